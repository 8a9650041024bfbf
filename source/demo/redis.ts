// Redis plumbing for the demo: its writes through the pipeline helper (one pipeline per master in
// chunks), and one SCAN of the collections layout to find which chats already have keys.
import type {RedisBackend} from '../backends/redis/client.js';
import {batchValues} from '../backends/redis/pipeline.js';
import {scanKeys} from '../backends/redis/scan.js';
import type {CollectionsLayout} from '../config/config.js';
import {compileLayout, layoutPattern} from '../cache/layout-scan.js';

export type RedisCommand = readonly [name: string, key: string, ...args: ReadonlyArray<string | number>];

/** Runs the commands (in order per key), one pipeline per master in chunks; throws the first error. */
export async function runCommands(redis: RedisBackend, commands: readonly RedisCommand[], chunk = 2000): Promise<unknown[]> {
	return batchValues(redis, commands.map(([name, key, ...args]) => [key, name, key, ...args] as const), {chunk});
}

/**
 * Every layout key (SCAN on every master; never KEYS), grouped by chat. With firstOnly it stops at
 * the first one found (enough to refuse).
 */
export async function scanLayoutKeys(redis: RedisBackend, layout: CollectionsLayout, options: {readonly count?: number; readonly firstOnly?: boolean} = {}): Promise<Map<string, string[]>> {
	const classify = compileLayout(layout);
	const byChat = new Map<string, string[]>();
	for await (const keys of scanKeys(redis, {pattern: layoutPattern(layout), count: options.count, dedupe: true})) {
		for (const key of keys) {
			const chat = classify(key)?.chat;
			if (chat === undefined) continue;
			const list = byChat.get(chat);
			if (list) list.push(key);
			else byChat.set(chat, [key]);
			if (options.firstOnly) return byChat;
		}
	}
	return byChat;
}
