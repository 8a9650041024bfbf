// The slow log of every server (every master of a Cluster): SLOWLOG GET, newest first, each
// argument as its exact bytes (a key that is not UTF-8 stays that key; see key-bytes.ts) with its
// full size when Redis cut it, and SLOWLOG RESET through the mutation guard. Nothing here is
// sanitized: the presenter (text/redis-server-text.ts) does that.
import type {Config} from '../config/config.js';
import {keyFromBytes} from '../backends/redis/key-bytes.js';
import {runMutation, type MutationRequest} from '../mutations/registry.js';
import {configValue, eachServer, type ServerSource} from './servers.js';
import type {RedisBackend} from '../backends/redis/client.js';

export type SlowlogArg = {
	/** the argument as Redis kept it (lossless: key-bytes.ts) */
	readonly text: string;
	/** its size in bytes before Redis cut it */
	readonly bytes: number;
	/** Redis kept only the first 128 bytes */
	readonly cut: boolean;
};

export type SlowlogEntry = {
	readonly server: string;
	readonly id: number;
	/** unix seconds */
	readonly time: number;
	readonly durationMicros: number;
	/** the command and its arguments */
	readonly args: readonly SlowlogArg[];
	/** arguments Redis left out (it keeps 32) */
	readonly moreArgs: number;
	/** ip:port of the client */
	readonly client: string;
	readonly clientName: string;
};

export type SlowlogServer = {
	readonly server: string;
	/** entries in the log (SLOWLOG LEN) */
	readonly length: number;
	/** slowlog-log-slower-than in µs (negative: off); null when CONFIG is refused */
	readonly slowerThanMicros: number | null;
	readonly maxLength: number | null;
};

export type Slowlog = {readonly servers: readonly SlowlogServer[]; readonly entries: readonly SlowlogEntry[]};

const cutSuffix = /\.\.\. \((\d+) more bytes\)$/;
const moreArgsText = /^\.\.\. \((\d+) more arguments\)$/;
// what slowlog.c keeps of a long argument, and of a long argument list
const keptBytes = 128;
const keptArgs = 32;

function parseArg(raw: Buffer): SlowlogArg {
	// the tail as latin1: one char per byte, so lengths are byte counts
	const tail = raw.subarray(Math.max(0, raw.length - 40)).toString('latin1');
	const m = cutSuffix.exec(tail);
	if (m && raw.length - m[0].length === keptBytes) {
		return {text: keyFromBytes(raw.subarray(0, keptBytes)), bytes: keptBytes + Number(m[1]), cut: true};
	}
	return {text: keyFromBytes(raw), bytes: raw.length, cut: false};
}

/** One reply entry of SLOWLOG GET (read with callBuffer) (pure: tested on its own). */
export function slowlogEntryFrom(server: string, reply: unknown): SlowlogEntry {
	const [id, time, duration, rawArgs, client, name] = reply as [number, number, number, Buffer[], Buffer | undefined, Buffer | undefined];
	const args = (rawArgs ?? []).map(parseArg);
	let moreArgs = 0;
	const last = args.at(-1);
	if (args.length === keptArgs && last) {
		const m = moreArgsText.exec(last.text);
		if (m) {
			moreArgs = Number(m[1]);
			args.pop();
		}
	}
	return {server, id: Number(id), time: Number(time), durationMicros: Number(duration), args, moreArgs, client: client?.toString() ?? '', clientName: name?.toString() ?? ''};
}

/** The newest `count` entries of each server's slow log, merged newest first. */
export async function readSlowlog(redis: ServerSource, count = 128): Promise<Slowlog> {
	const per = await eachServer(redis, async ({name, client}) => {
		const [entries, length, slower, max] = await Promise.all([
			client.callBuffer('SLOWLOG', 'GET', count) as Promise<unknown[]>,
			client.call('SLOWLOG', 'LEN') as Promise<number>,
			configValue(client, 'slowlog-log-slower-than'),
			configValue(client, 'slowlog-max-len'),
		]);
		const server: SlowlogServer = {server: name, length: Number(length), slowerThanMicros: slower === null ? null : Number(slower), maxLength: max === null ? null : Number(max)};
		return {server, entries: entries.map(entry => slowlogEntryFrom(name, entry))};
	});
	const entries = per.flatMap(p => p.entries).sort((a, b) => b.time - a.time || b.id - a.id);
	return {servers: per.map(p => p.server), entries};
}

/** What SLOWLOG RESET is confirmed and audited as. */
export function slowlogResetRequest(redis: Pick<RedisBackend, 'maskedUrl' | 'isCluster' | 'masters'>): MutationRequest {
	const where = redis.isCluster ? `${redis.maskedUrl} (cluster, every master)` : redis.maskedUrl;
	return {action: 'slowlog-reset', target: `SLOWLOG RESET on ${where}`};
}

/** SLOWLOG RESET on every server, through the guard (refused read-only, audited). Returns the entries dropped. */
export async function resetSlowlog(config: Pick<Config, 'readOnly' | 'auditLog'>, redis: Pick<RedisBackend, 'maskedUrl' | 'isCluster' | 'masters'>): Promise<number> {
	return runMutation(config, slowlogResetRequest(redis), async () => {
		const dropped = await eachServer(redis, async ({client}) => {
			const length = Number(await client.call('SLOWLOG', 'LEN'));
			await client.call('SLOWLOG', 'RESET');
			return length;
		});
		return dropped.reduce((a, b) => a + b, 0);
	});
}
