// The memory scan's commands for a batch of keys: MEMORY USAGE with TYPE, then the count that fits
// each type. One pipeline per master (grouped by the pipeline helper's groupByMaster: the slot of
// each key's exact bytes) over a bare connection (pipe.ts): one write, the replies read straight
// from the bytes. Through ioredis each command was an object, a promise and a timer — 3 M of them
// for 1 M keys, 18 s of CPU where this takes ~4 s.
import type {RedisBackend} from '../backends/redis/client.js';
import {keyBytes} from '../backends/redis/key-bytes.js';
import {encodeCommandBytes, type RawReply} from '../backends/redis/pipe.js';
import {groupByMaster} from '../backends/redis/pipeline.js';

export type MemoryPipeTarget = Pick<RedisBackend, 'isCluster' | 'masters' | 'masterFor' | 'pipeFor'>;

/**
 * How long one batch may take: MEMORY USAGE SAMPLES 0 walks every element of a key, so a batch of
 * big keys can keep the server busy for seconds (the pipe's usual 5 s would drop it mid-scan).
 */
export const batchTimeoutMs = 60_000;

/** `$5\r\nvalue\r\n` */
const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

/**
 * For each key, `perKey` commands encoded by `encode` (a string for a UTF-8 key: a batch is one
 * Buffer.from; a Buffer for a key that is not UTF-8: its exact bytes). Sent on `lane` of each
 * master's bare connection; the replies in key order.
 */
export async function exchange(redis: MemoryPipeTarget, keys: readonly string[], perKey: number, encode: (key: string, index: number) => string | Buffer, lane = 0): Promise<RawReply[]> {
	const out = new Array<RawReply>(keys.length * perKey);
	const groups = groupByMaster(redis, keys.map((_, i) => i), i => keys[i]!);
	await Promise.all(
		[...groups].map(async ([master, indexes]) => {
			const parts: Buffer[] = [];
			let text = '';
			for (const i of indexes) {
				const encoded = encode(keys[i]!, i);
				if (typeof encoded === 'string') text += encoded;
				else {
					parts.push(Buffer.from(text), encoded);
					text = '';
				}
			}
			parts.push(Buffer.from(text));
			const replies = await redis.pipeFor(master, lane).exec(parts.length === 1 ? parts[0]! : Buffer.concat(parts), indexes.length * perKey, batchTimeoutMs);
			for (let n = 0; n < indexes.length; n++) {
				const at = indexes[n]! * perKey;
				for (let c = 0; c < perKey; c++) out[at + c] = replies[n * perKey + c]!;
			}
		}),
	);
	return out;
}

/** MEMORY USAGE key SAMPLES n, then TYPE key: two replies per key. */
export function usageAndType(samples: number): (key: string) => string | Buffer {
	const usage = '*5\r\n$6\r\nMEMORY\r\n$5\r\nUSAGE\r\n';
	const tail = bulk('SAMPLES') + bulk(String(samples));
	const type = '*2\r\n$4\r\nTYPE\r\n';
	return key => {
		const bytes = keyBytes(key);
		if (typeof bytes !== 'string') return Buffer.concat([encodeCommandBytes(['MEMORY', 'USAGE', bytes, 'SAMPLES', String(samples)]), encodeCommandBytes(['TYPE', bytes])]);
		const name = bulk(key);
		return usage + name + tail + type + name;
	};
}

/** TYPE key: one reply per key (the biggest-keys scan, which measures no memory). */
export function typeOnly(key: string): string | Buffer {
	const bytes = keyBytes(key);
	if (typeof bytes !== 'string') return encodeCommandBytes(['TYPE', bytes]);
	return `*2\r\n$4\r\nTYPE\r\n${bulk(key)}`;
}

/** `command key` (STRLEN, ZCARD, ...): one reply per key. */
export function countOf(command: string, key: string): string | Buffer {
	const bytes = keyBytes(key);
	if (typeof bytes !== 'string') return encodeCommandBytes([command, bytes]);
	return `*2\r\n${bulk(command)}${bulk(key)}`;
}
