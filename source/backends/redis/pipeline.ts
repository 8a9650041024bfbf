// Many single-key commands in as few round trips as possible: one pipeline per master (a cluster
// node only accepts keys whose slot it owns, and ioredis' Cluster pipeline refuses mixed slots),
// results handed back in the order asked.
import type {RedisBackend} from './client.js';
import {keyBytes} from './key-bytes.js';

/**
 * [routing key, command, ...args], e.g. [k, 'zcard', k] or [k, 'memory', 'usage', k]. Keys are the
 * names of key-bytes: each string is sent as its exact bytes (keyBytes), so a key that is not
 * UTF-8 is the same key here as in the SCAN that found it.
 */
export type BatchCommand = readonly [route: string, command: string, ...args: (string | number)[]];

export type BatchResult = {readonly error?: Error; readonly value?: unknown};

/**
 * Runs the commands in chunks (bounded memory for 1M keys), one pipeline per master per chunk.
 * `confirm` (for writes): each pipeline is sent right after its connection is seen on the
 * configured db (RedisBackend.confirmTarget).
 */
export async function batch(redis: RedisBackend, commands: readonly BatchCommand[], chunk = 5000, options: {readonly confirm?: boolean} = {}): Promise<BatchResult[]> {
	const results: BatchResult[] = new Array<BatchResult>(commands.length);
	for (let start = 0; start < commands.length; start += chunk) {
		const part = commands.slice(start, start + chunk);
		const groups = new Map<ReturnType<RedisBackend['masterFor']>, number[]>();
		for (let i = 0; i < part.length; i++) {
			const master = redis.masterFor(keyBytes(part[i]![0]));
			const list = groups.get(master);
			if (list) list.push(i);
			else groups.set(master, [i]);
		}
		await Promise.all(
			[...groups].map(async ([master, indexes]) => {
				if (options.confirm) await redis.confirmTarget(master);
				const pipeline = master.pipeline();
				for (const i of indexes) {
					const [, command, ...args] = part[i]!;
					pipeline.call(command, ...args.map(a => (typeof a === 'string' ? keyBytes(a) : a)));
				}
				const replies = (await pipeline.exec()) ?? [];
				indexes.forEach((i, n) => {
					const [error, value] = replies[n] ?? [new Error('no reply'), undefined];
					results[start + i] = error ? {error} : {value};
				});
			}),
		);
	}
	return results;
}

/** The values, or the first error thrown. */
export async function batchValues(redis: RedisBackend, commands: readonly BatchCommand[]): Promise<unknown[]> {
	const results = await batch(redis, commands);
	return results.map(r => {
		if (r.error) throw r.error;
		return r.value;
	});
}

/** The sum of DBSIZE over every master (the whole keyspace of a cluster). */
export async function totalDbsize(redis: RedisBackend): Promise<number> {
	const sizes = await Promise.all(redis.masters().map(m => m.dbsize()));
	return sizes.reduce((a, b) => a + b, 0);
}
