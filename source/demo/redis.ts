// Redis plumbing for the demo: many writes as one pipeline per master (a cluster routes keys to
// different nodes), and a SCAN of the collections layout to find which chats already have keys.
import type {RedisBackend} from '../backends/redis/client.js';
import type {CollectionsLayout} from '../config/config.js';
import {parseKey, patternFor} from '../cache/layout.js';

export type RedisCommand = readonly [name: string, key: string, ...args: ReadonlyArray<string | number>];

/** Runs the commands (in order per key), one pipeline per master in chunks; throws the first error. */
export async function runCommands(redis: RedisBackend, commands: readonly RedisCommand[], chunk = 2000): Promise<unknown[]> {
	const results: unknown[] = new Array(commands.length);
	const groups = new Map<ReturnType<RedisBackend['masterFor']>, number[]>();
	commands.forEach((command, index) => {
		const master = redis.masterFor(command[1]);
		const list = groups.get(master);
		if (list) list.push(index);
		else groups.set(master, [index]);
	});
	await Promise.all([...groups].map(async ([master, indexes]) => {
		for (let start = 0; start < indexes.length; start += chunk) {
			const slice = indexes.slice(start, start + chunk);
			const pipeline = master.pipeline();
			for (const i of slice) {
				const [name, ...args] = commands[i]!;
				pipeline.call(name, ...args);
			}
			const replies = (await pipeline.exec()) ?? [];
			replies.forEach(([error, value], n) => {
				if (error) throw error;
				results[slice[n]!] = value;
			});
		}
	}));
	return results;
}

export const layoutTemplates = (layout: CollectionsLayout): string[] => [layout.messages, layout.pinned, layout.backroom, layout.reactions];

/** The chat a key belongs to under the layout, or undefined when it is not a layout key. */
export function chatOfKey(layout: CollectionsLayout, key: string): string | undefined {
	for (const template of layoutTemplates(layout)) {
		const ids = parseKey(template, key);
		if (ids) return ids.chat;
	}
	return undefined;
}

/**
 * Every layout key (SCAN with MATCH per template on every master; never KEYS), grouped by chat.
 * With firstOnly it stops at the first one found (enough to refuse).
 */
export async function scanLayoutKeys(redis: RedisBackend, layout: CollectionsLayout, options: {readonly count?: number; readonly firstOnly?: boolean} = {}): Promise<Map<string, string[]>> {
	const byChat = new Map<string, string[]>();
	const seen = new Set<string>();
	for (const master of redis.masters()) {
		for (const template of layoutTemplates(layout)) {
			let cursor = '0';
			do {
				const [next, keys] = await master.scan(cursor, 'MATCH', patternFor(template), 'COUNT', options.count ?? 1000);
				cursor = next;
				for (const key of keys) {
					const chat = chatOfKey(layout, key);
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
