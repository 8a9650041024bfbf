// Redis plumbing for the demo: its writes through the pipeline helper (one pipeline per master in
// chunks), and a SCAN of the collections layout to find which chats already have keys.
import type {RedisBackend} from '../backends/redis/client.js';
import {batchValues} from '../backends/redis/pipeline.js';
import type {CollectionsLayout} from '../config/config.js';
import {patternFor} from '../cache/layout.js';
import {compileLayout} from '../cache/layout-scan.js';

export type RedisCommand = readonly [name: string, key: string, ...args: ReadonlyArray<string | number>];

/** Runs the commands (in order per key), one pipeline per master in chunks; throws the first error. */
export async function runCommands(redis: RedisBackend, commands: readonly RedisCommand[], chunk = 2000): Promise<unknown[]> {
	return batchValues(redis, commands.map(([name, key, ...args]) => [key, name, key, ...args] as const), {chunk});
}

const layoutTemplates = (layout: CollectionsLayout): string[] => [layout.messages, layout.pinned, layout.backroom, layout.reactions];

/**
 * Every layout key (SCAN with MATCH per template on every master; never KEYS), grouped by chat.
 * With firstOnly it stops at the first one found (enough to refuse).
 */
export async function scanLayoutKeys(redis: RedisBackend, layout: CollectionsLayout, options: {readonly count?: number; readonly firstOnly?: boolean} = {}): Promise<Map<string, string[]>> {
	const classify = compileLayout(layout);
	const byChat = new Map<string, string[]>();
	const seen = new Set<string>();
	for (const master of redis.masters()) {
		for (const template of layoutTemplates(layout)) {
			let cursor = '0';
			do {
				const [next, keys] = await master.scan(cursor, 'MATCH', patternFor(template), 'COUNT', options.count ?? 1000);
				cursor = next;
				for (const key of keys) {
					const chat = classify(key)?.chat;
					if (chat === undefined || seen.has(key)) continue;
					seen.add(key);
					const list = byChat.get(chat);
					if (list) list.push(key);
					else byChat.set(chat, [key]);
					if (options.firstOnly) return byChat;
				}
			} while (cursor !== '0');
		}
	}
	return byChat;
}
