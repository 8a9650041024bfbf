// Turns a watch list (exact keys and glob patterns) into keys: the SCAN iterator (MATCH, every
// master, never KEYS) for the patterns, the exact keys as they are (they are watched even while
// they do not exist).
import type {RedisBackend} from '../backends/redis/client.js';
import type {PipelineTarget} from '../backends/redis/pipeline.js';
import {scanKeys} from '../backends/redis/scan.js';

/**
 * What the counters need from the Redis backend (RedisBackend fits): the masters to SCAN and
 * group keys by, and pipeFor, a bare pipeline connection to a master (every tick's counts go over it).
 */
export type RedisForCounters = PipelineTarget & Pick<RedisBackend, 'pipeFor'>;

/** A watch with an unescaped *, ? or [ is a pattern; anything else is one exact key. */
export function isPattern(watch: string): boolean {
	return /(^|[^\\])(\\\\)*[*?[]/.test(watch);
}

/** chat\*odd → chat*odd: an exact key written with glob escapes. */
export function unescapeGlob(watch: string): string {
	return watch.replace(/\\(.)/gs, '$1');
}

export type Resolved = {
	/** each key once, with the first watch that matched it */
	readonly keys: readonly {key: string; watch: string}[];
	/** the watches that are patterns */
	readonly patterns: ReadonlySet<string>;
	readonly truncated: boolean;
};

export async function resolveWatches(
	redis: RedisForCounters,
	watches: readonly string[],
	options: {readonly scanCount: number; readonly maxKeys: number; readonly signal?: AbortSignal},
): Promise<Resolved> {
	const out = new Map<string, string>();
	const patterns = new Set<string>();
	let truncated = false;
	for (const watch of watches) {
		if (!isPattern(watch)) {
			const key = unescapeGlob(watch);
			if (!out.has(key)) out.set(key, watch);
			continue;
		}
		patterns.add(watch);
		options.signal?.throwIfAborted();
		// full before this pattern's scan or between two of its batches: it may have more keys
		if (out.size >= options.maxKeys) {
			truncated = true;
			continue;
		}
		const scan = scanKeys(redis, {pattern: watch, count: options.scanCount, signal: options.signal});
		scanning: for await (const keys of scan) {
			for (const key of keys) {
				if (out.has(key)) continue;
				if (out.size >= options.maxKeys) {
					truncated = true;
					break scanning;
				}
				out.set(key, watch);
			}
			if (out.size >= options.maxKeys && !scan.done) {
				truncated = true;
				break;
			}
		}
	}
	return {keys: [...out].map(([key, watch]) => ({key, watch})), patterns, truncated};
}
