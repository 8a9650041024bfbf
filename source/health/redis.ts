// The Redis card: PING for latency and state, then INFO server clients memory stats keyspace (the
// sections it reads; a server older than Redis 7 takes one section at a time and gets the default
// INFO instead) on every master, summed for a cluster. Evictions are counted between
// two checks of the same backend (the console's and serve's polls), not since the server started.
import type {RedisBackend} from '../backends/index.js';
import {serverName} from '../redis-server/servers.js';
import {withTimeout} from '../backends/status.js';
import {errorMessage} from '../text/mask.js';
import {roundMs, waitWhileConnecting, type ProbeState} from './wait.js';

export type RedisHealth = {
	readonly url: string;
	readonly db: number;
	readonly state: ProbeState;
	readonly latencyMs: number | null;
	readonly version: string | null;
	readonly uptimeSeconds: number | null;
	readonly usedMemoryBytes: number | null;
	/** null when maxmemory is 0 (no limit) */
	readonly maxMemoryBytes: number | null;
	readonly memoryRatio: number | null;
	readonly clients: number | null;
	/** keys in the configured db (every master of a cluster) */
	readonly keys: number | null;
	readonly opsPerSec: number | null;
	/** keyspace_hits / (hits + misses) since the server started */
	readonly hitRate: number | null;
	/** keys evicted since the server started (every master) */
	readonly evictedKeys: number | null;
	/** keys evicted per second since the previous check of this backend; null on the first check */
	readonly evictedPerSec: number | null;
	readonly cluster: boolean;
	readonly masters: number | null;
	readonly lastError: string | null;
	readonly reconnects: number;
};

/** "# Server\r\nredis_version:7.0.15\r\n…" → {redis_version: '7.0.15', …} */
export function parseInfo(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of text.split(/\r?\n/)) {
		if (!line || line.startsWith('#')) continue;
		const i = line.indexOf(':');
		if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
	}
	return out;
}

/**
 * Only the fields named, found by their `\nname:` line: the card reads a dozen of the ~150 fields of
 * an INFO reply, once a second (no object of every field, no string per line).
 */
export function pickInfo(text: string, names: readonly string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of names) {
		const key = `${name}:`;
		let from: number;
		if (text.startsWith(key)) from = key.length;
		else {
			const at = text.indexOf(`\n${key}`);
			if (at < 0) continue;
			from = at + 1 + key.length;
		}
		let to = text.indexOf('\n', from);
		if (to < 0) to = text.length;
		if (text.charCodeAt(to - 1) === 13) to--;
		out[name] = text.slice(from, to);
	}
	return out;
}

/** The sections the card reads (INFO with several sections: Redis 7 and later). */
export const cardSections = ['server', 'clients', 'memory', 'stats', 'keyspace'] as const;
const cardFields = ['redis_version', 'uptime_in_seconds', 'connected_clients', 'used_memory', 'maxmemory', 'keyspace_hits', 'keyspace_misses', 'evicted_keys', 'instantaneous_ops_per_sec'];

/** Servers that refused INFO with several sections (older than Redis 7): asked the default INFO. */
const oneSectionOnly = new WeakSet<object>();

/** INFO of the card's sections, or the default INFO where a server takes only one section at a time. */
async function cardInfo(master: {info(): Promise<string>; call(command: string, ...args: string[]): Promise<unknown>}): Promise<string> {
	if (!oneSectionOnly.has(master)) {
		try {
			const text = String(await master.call('INFO', ...cardSections));
			// every header there: a server that read only some of the sections is asked the default INFO
			if (cardSections.every(section => text.includes(`# ${section[0]!.toUpperCase()}${section.slice(1)}`))) return text;
		} catch (error) {
			// a refusal ("ERR syntax error" before Redis 7); a lost connection fails the default INFO too
			if (!/^ERR /.test(errorMessage(error))) throw error;
		}
		oneSectionOnly.add(master);
	}
	return master.info();
}

/** "keys=12,expires=3,avg_ttl=0" → 12 */
export function keyspaceKeys(value: string | undefined): number {
	const m = /(?:^|,)keys=(\d+)/.exec(value ?? '');
	return m ? Number(m[1]) : 0;
}

const num = (value: string | undefined): number | null => {
	if (value === undefined || value === '') return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
};

function sum(values: readonly (number | null)[]): number | null {
	if (values.some(v => v === null)) return null;
	return (values as number[]).reduce((a, b) => a + b, 0);
}

/** ioredis' words for a command sent on a socket that just died, in the operator's words */
function friendly(message: string): string {
	return /Stream isn't writeable|Connection is closed/.test(message) ? 'connection lost' : message;
}

/** Each backend's previous check: when, and evicted_keys per master. */
const previousEvictions = new WeakMap<RedisBackend, {readonly at: number; readonly byServer: ReadonlyMap<string, number>}>();

/**
 * Keys evicted per second since the previous check: the masters seen both times, summed; a master
 * whose counter went down restarted in between and counts from 0. null on the first check.
 */
function evictionRate(redis: RedisBackend, now: ReadonlyMap<string, number>, at: number): number | null {
	const before = previousEvictions.get(redis);
	previousEvictions.set(redis, {at, byServer: now});
	if (!before || at <= before.at) return null;
	let evicted = 0;
	for (const [server, count] of now) {
		const was = before.byServer.get(server);
		if (was !== undefined) evicted += count >= was ? count - was : count;
	}
	return evicted / ((at - before.at) / 1000);
}

export async function probeRedis(redis: RedisBackend, timeoutMs: number): Promise<RedisHealth> {
	const base = {url: redis.maskedUrl, db: redis.db};
	const empty = {
		latencyMs: null, version: null, uptimeSeconds: null, usedMemoryBytes: null, maxMemoryBytes: null, memoryRatio: null,
		clients: null, keys: null, opsPerSec: null, hitRate: null, evictedKeys: null, evictedPerSec: null, cluster: false, masters: null,
	};
	try {
		await redis.start();
		await waitWhileConnecting(redis.keeper, timeoutMs);
		// While down the client fails fast anyway; not pinging keeps the backend's own last error
		// (ECONNREFUSED) instead of replacing it with "redis is down: …".
		if (redis.status.state !== 'up') throw new Error(redis.status.lastError ?? 'connection lost');
		const latencyMs = await withTimeout(redis.ping(), timeoutMs, `no answer to PING within ${timeoutMs} ms`);
		const masters = redis.masters();
		const infos = await withTimeout(
			Promise.all(masters.map(async master => pickInfo(await cardInfo(master), [...cardFields, `db${redis.db}`]))),
			timeoutMs,
			`no answer to INFO within ${timeoutMs} ms`,
		);
		const first = infos[0] ?? {};
		const used = sum(infos.map(i => num(i.used_memory)));
		const maxes = infos.map(i => num(i.maxmemory));
		const max = maxes.every(m => m !== null && m > 0) ? sum(maxes) : null;
		const hits = sum(infos.map(i => num(i.keyspace_hits))) ?? 0;
		const misses = sum(infos.map(i => num(i.keyspace_misses))) ?? 0;
		const evicted = new Map<string, number>();
		infos.forEach((info, n) => {
			const count = num(info.evicted_keys);
			if (count !== null) evicted.set(serverName(masters[n]!), count);
		});
		return {
			...base,
			state: 'up',
			latencyMs: roundMs(latencyMs),
			version: first.redis_version ?? null,
			uptimeSeconds: Math.min(...infos.map(i => num(i.uptime_in_seconds) ?? Number.POSITIVE_INFINITY)),
			usedMemoryBytes: used,
			maxMemoryBytes: max,
			memoryRatio: used !== null && max ? used / max : null,
			clients: sum(infos.map(i => num(i.connected_clients))),
			keys: infos.reduce((n, i) => n + keyspaceKeys(i[`db${redis.db}`]), 0),
			opsPerSec: sum(infos.map(i => num(i.instantaneous_ops_per_sec))),
			hitRate: hits + misses > 0 ? hits / (hits + misses) : null,
			evictedKeys: sum(infos.map(i => num(i.evicted_keys))),
			evictedPerSec: evictionRate(redis, evicted, Date.now()),
			cluster: redis.isCluster,
			masters: infos.length,
			lastError: redis.status.lastError ?? null,
			reconnects: redis.status.reconnects,
		};
	} catch (error) {
		const status = redis.status;
		// still on its first connection after the whole wait: a server that took the connection and
		// never answered (stopped, stalled) is down, said as PostgreSQL's stall is, not "connecting"
		if (status.state === 'connecting') return {...base, ...empty, state: 'down', lastError: `no answer within ${timeoutMs} ms`, reconnects: status.reconnects};
		return {
			...base,
			...empty,
			state: 'down',
			// the backend's own last error says why (ECONNREFUSED); ours only says "redis is down"
			lastError: friendly(status.lastError ?? errorMessage(error)),
			reconnects: status.reconnects,
		};
	}
}
