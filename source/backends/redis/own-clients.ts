// The CLIENT IDs of this process's own Redis connections, per server. A client's name proves
// nothing (another person's console, or any client, may call itself `opsdeck`): a connection is
// ours when its id is one a connection of ours was given (CLIENT ID, asked on that connection).
// The bare pipes (pipe.ts) register here when they connect and leave when they drop; the ioredis
// connection a view lists clients through is asked at the time (redis-server/clients.ts).

const own = new Map<string, Set<number>>();

/** The server's name as redis-server/servers.ts gives it: the socket path, or host:port. */
export function ownServerKey(o: {readonly path?: string | null; readonly host?: string; readonly port?: number}): string {
	return o.path ?? `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
}

export function addOwnClient(server: string, id: number): void {
	let ids = own.get(server);
	if (!ids) own.set(server, (ids = new Set()));
	ids.add(id);
}

export function removeOwnClient(server: string, id: number): void {
	own.get(server)?.delete(id);
}

/** The ids of our connections to `server` that registered (the pipes); a copy. */
export function ownClientIds(server: string): Set<number> {
	return new Set(own.get(server));
}
