// The servers a Redis view is about: the one server, or every master of a Cluster (each master's
// replicas are reported by the master's own INFO). One name per server, the address opsdeck
// connects to, so a row in one view (a client, a slow-log entry) names the same server as another.
import type {Redis as RedisClient} from 'ioredis';
import type {RedisBackend} from '../backends/redis/client.js';

/** What the redis-server views need of the backend (RedisBackend fits). */
export type ServerSource = Pick<RedisBackend, 'masters' | 'isCluster'>;

export type Server = {
	/** "127.0.0.1:6379" (or the unix socket's path) */
	readonly name: string;
	readonly client: RedisClient;
};

export function serverName(client: RedisClient): string {
	const {path, host, port} = client.options;
	return path ?? `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}

/** The servers, in the order of masters(). Throws BackendDownError while Redis is down. */
export function servers(redis: ServerSource): Server[] {
	return redis.masters().map(client => ({name: serverName(client), client}));
}

/** Runs `fn` on every server in parallel; results in the order of servers(). */
export function eachServer<T>(redis: ServerSource, fn: (server: Server) => Promise<T>): Promise<T[]> {
	return Promise.all(servers(redis).map(fn));
}

/** CONFIG GET name's value, or null when the server refuses CONFIG (a managed Redis renames it). */
export async function configValue(client: RedisClient, name: string): Promise<string | null> {
	try {
		const reply = (await client.call('CONFIG', 'GET', name)) as unknown;
		return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : null;
	} catch {
		return null;
	}
}
