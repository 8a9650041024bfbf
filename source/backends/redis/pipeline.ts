// Many single-key commands in as few round trips as possible: one pipeline per master (a cluster
// node only accepts keys whose slot it owns, and ioredis' Cluster pipeline refuses mixed slots),
// in chunks, results handed back in the order asked. The one place that groups keys by master;
// the Monitor's counts reuse the grouping over their own bare connection (RawPipe, pipe.ts).
import type {Redis as RedisClient} from 'ioredis';
import type {RedisBackend} from './client.js';
import {keyBytes} from './key-bytes.js';

/**
 * [routing key, command, ...args], e.g. [k, 'zcard', k] or [k, 'memory', 'usage', k]. Keys are the
 * names of key-bytes: each string is sent as its exact bytes (keyBytes), so a key that is not
 * UTF-8 is the same key here as in the SCAN that found it.
 */
export type BatchCommand = readonly [route: string, command: string, ...args: (string | number)[]];

export type BatchResult = {readonly error?: Error; readonly value?: unknown};

/** What the helper needs of the backend (RedisBackend fits). */
export type PipelineTarget = Pick<RedisBackend, 'isCluster' | 'masters' | 'masterFor' | 'confirmTarget'>;

export type BatchOptions = {
	/** commands per pipeline (bounded memory for 1M keys); default 5000 */
	readonly chunk?: number;
	/** for writes: each pipeline is sent right after its connection is seen on the configured db */
	readonly confirm?: boolean;
};

/**
 * The items grouped by the master that owns their key (the slot of its exact bytes), in their
 * order within each group. Not a cluster: one group, without a slot computed per key.
 */
export function groupByMaster<T>(redis: Pick<PipelineTarget, 'isCluster' | 'masters' | 'masterFor'>, items: readonly T[], keyOf: (item: T) => string): Map<RedisClient, T[]> {
	if (!redis.isCluster) return items.length === 0 ? new Map() : new Map([[redis.masters()[0]!, [...items]]]);
	const groups = new Map<RedisClient, T[]>();
	for (const item of items) {
		const master = redis.masterFor(keyBytes(keyOf(item)));
		const list = groups.get(master);
		if (list) list.push(item);
		else groups.set(master, [item]);
	}
	return groups;
}

/**
 * Runs the commands, one pipeline per master per chunk: the masters in parallel, each master's
 * chunks one after another (so commands on one key run in the order given). Every result is
 * returned, errors included.
 */
export async function batch(redis: PipelineTarget, commands: readonly BatchCommand[], options: BatchOptions = {}): Promise<BatchResult[]> {
	const chunk = options.chunk ?? 5000;
	const results = new Array<BatchResult>(commands.length);
	const indexes = commands.map((_, i) => i);
	await Promise.all(
		[...groupByMaster(redis, indexes, i => commands[i]![0])].map(async ([master, group]) => {
			for (let start = 0; start < group.length; start += chunk) {
				const part = group.slice(start, start + chunk);
				if (options.confirm) await redis.confirmTarget(master);
				const pipeline = master.pipeline();
				for (const i of part) {
					const [, command, ...args] = commands[i]!;
					pipeline.call(command, ...args.map(a => (typeof a === 'string' ? keyBytes(a) : a)));
				}
				const replies = (await pipeline.exec()) ?? [];
				part.forEach((i, n) => {
					const [error, value] = replies[n] ?? [new Error('no reply'), undefined];
					results[i] = error ? {error} : {value};
				});
			}
		}),
	);
	return results;
}

/** The values, or the first error (in the order of the commands). */
export async function batchValues(redis: PipelineTarget, commands: readonly BatchCommand[], options: BatchOptions = {}): Promise<unknown[]> {
	const results = await batch(redis, commands, options);
	return results.map(r => {
		if (r.error) throw r.error;
		return r.value;
	});
}

/** The sum of DBSIZE over every master (the whole keyspace of a cluster). */
export async function totalDbsize(redis: Pick<PipelineTarget, 'masters'>): Promise<number> {
	const sizes = await Promise.all(redis.masters().map(m => m.dbsize()));
	return sizes.reduce((a, b) => a + b, 0);
}
