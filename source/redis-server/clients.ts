// The clients of every server (CLIENT LIST), and CLIENT KILL ID through the mutation guard. This
// process's own connections are marked and never killed: killing them would cut the view that
// asked. They are known by CLIENT ID (each of our connections asked), never by name: any client
// may call itself `opsdeck`, and another person's console is killable like any client. Client ids
// are per server, so on a Cluster the same id may be on two masters: a kill then names the server
// (SERVER/ID).
import type {Config} from '../config/config.js';
import type {Redis as RedisClient} from 'ioredis';
import type {RedisBackend} from '../backends/redis/client.js';
import {ownClientIds} from '../backends/redis/own-clients.js';
import {MutationRefusedError, runMutation, type MutationRequest} from '../mutations/registry.js';
import {eachServer, servers, type ServerSource} from './servers.js';
import {quote} from '../text/sanitize.js';

export type ClientInfo = {
	readonly server: string;
	readonly id: number;
	/** ip:port of the client */
	readonly addr: string;
	readonly name: string;
	readonly db: number;
	readonly ageSeconds: number;
	readonly idleSeconds: number;
	/** the last command it ran, e.g. "get" or "client|list" */
	readonly cmd: string;
	/** tot-mem: every buffer the server holds for it */
	readonly memoryBytes: number;
	readonly flags: string;
	readonly user: string;
	/** one of this opsdeck's own connections (by CLIENT ID, not by name): marked, never killed */
	readonly opsdeck: boolean;
};

/** One line of CLIENT LIST (pure: tested on its own); `own`: the ids of our connections to that server. */
export function clientFrom(server: string, line: string, own: ReadonlySet<number> = new Set()): ClientInfo {
	const f: Record<string, string> = {};
	for (const token of line.trim().split(' ')) {
		const at = token.indexOf('=');
		if (at > 0) f[token.slice(0, at)] = token.slice(at + 1);
	}
	const n = (value: string | undefined) => (value === undefined || !/^-?\d+$/.test(value) ? 0 : Number(value));
	const name = f.name ?? '';
	return {
		server,
		id: n(f.id),
		addr: f.addr ?? '',
		name,
		db: n(f.db),
		ageSeconds: n(f.age),
		idleSeconds: n(f.idle),
		cmd: f.cmd ?? '',
		memoryBytes: n(f['tot-mem']),
		flags: f.flags ?? '',
		user: f.user ?? '',
		opsdeck: own.has(n(f.id)),
	};
}

export function clientsFrom(server: string, text: string, own: ReadonlySet<number> = new Set()): ClientInfo[] {
	return text.split('\n').filter(line => line.trim()).map(line => clientFrom(server, line, own));
}

/** CLIENT LIST of one server, our connections marked: the one asking (its CLIENT ID) and the registered pipes. */
async function listOn(name: string, client: RedisClient): Promise<ClientInfo[]> {
	const [list, id] = await Promise.all([client.call('CLIENT', 'LIST'), client.call('CLIENT', 'ID')]);
	const own = ownClientIds(name);
	own.add(Number(id));
	return clientsFrom(name, String(list), own);
}

/** Every client of every server. */
export async function readClients(redis: ServerSource): Promise<ClientInfo[]> {
	const per = await eachServer(redis, async ({name, client}) => listOn(name, client));
	return per.flat();
}

export type ClientSort = 'idle' | 'memory' | 'age' | 'id';

/** Longest idle / most memory / oldest first; by id (ascending) within a tie and for 'id'. */
export function sortClients(clients: readonly ClientInfo[], by: ClientSort): ClientInfo[] {
	const key = (c: ClientInfo) => (by === 'idle' ? c.idleSeconds : by === 'memory' ? c.memoryBytes : by === 'age' ? c.ageSeconds : 0);
	return [...clients].sort((a, b) => key(b) - key(a) || a.server.localeCompare(b.server) || a.id - b.id);
}

export type KillTarget = {readonly id: number; readonly server?: string};

/** "42" or "127.0.0.1:7001/42" (as `redis clients` shows it on a Cluster); undefined when neither. */
export function parseKillTarget(text: string): KillTarget | undefined {
	const m = /^(?:(.+)\/)?(\d{1,15})$/.exec(text.trim());
	if (!m) return undefined;
	return m[1] === undefined ? {id: Number(m[2])} : {id: Number(m[2]), server: m[1]};
}

/** The target names no client, or names one on several servers. */
export class KillTargetError extends Error {}

/** opsdeck's own connection: refused (audited as refused). */
export class OwnClientError extends MutationRefusedError {
	constructor(readonly client: ClientInfo) {
		super(`client ${client.id} on ${client.server} is one of this opsdeck's own connections: refused, nothing was done`);
		this.name = 'OwnClientError';
	}
}

/** The client a kill target names, read from its server now. */
export async function findClient(redis: ServerSource, target: KillTarget): Promise<ClientInfo> {
	const all = servers(redis);
	const candidates = target.server === undefined ? all : all.filter(s => s.name === target.server);
	if (candidates.length === 0) throw new KillTargetError(`no server ${target.server} here (the servers: ${all.map(s => s.name).join(', ')})`);
	const found = (await Promise.all(candidates.map(async ({name, client}) => (await listOn(name, client)).filter(c => c.id === target.id)))).flat();
	if (found.length === 0) throw new KillTargetError(`no client ${target.id}${target.server === undefined ? '' : ` on ${target.server}`} (see opsdeck redis clients)`);
	if (found.length > 1) throw new KillTargetError(`client ${target.id} is on ${found.map(c => c.server).join(' and ')}: name one, e.g. ${found[0]!.server}/${target.id}`);
	return found[0]!;
}

/** What killing this client is confirmed and audited as; the word to type is its id. */
export function killRequest(client: ClientInfo): MutationRequest {
	const name = client.name ? ` name ${quote(client.name)}` : '';
	return {action: 'client-kill', target: `CLIENT KILL ID ${client.id} on ${client.server} (addr ${client.addr}${name})`, word: String(client.id)};
}

/**
 * CLIENT KILL ID through the guard: refused read-only, audited; looked up again on its server right
 * before (it may have gone, or the id been given to another connection); opsdeck's own refused.
 * Returns whether the server killed it.
 */
export async function killClient(config: Pick<Config, 'readOnly' | 'auditLog'>, redis: Pick<RedisBackend, 'masters' | 'isCluster'>, client: ClientInfo): Promise<boolean> {
	return runMutation(config, killRequest(client), async () => {
		const now = await findClient(redis, {id: client.id, server: client.server});
		if (now.opsdeck) throw new OwnClientError(now);
		// ids only grow while a server runs: another address means the server restarted in between
		if (now.addr !== client.addr) throw new KillTargetError(`client ${client.id} on ${client.server} is now ${now.addr}, not ${client.addr}: nothing was done`);
		const server = servers(redis).find(s => s.name === client.server)!;
		return Number(await server.client.call('CLIENT', 'KILL', 'ID', String(client.id))) === 1;
	});
}
