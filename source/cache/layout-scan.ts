// One SCAN over the app's cache keys (the configured layout), each key classified as a messages,
// pinned, backroom or reactions key of a chat. Shared by the chat list and `stats`.
import type {RedisBackend} from '../backends/redis/client.js';
import type {CollectionsLayout} from '../config/config.js';
import {scanKeys} from '../backends/redis/scan.js';
import {escapeGlob, templateRegex} from './layout.js';

export const collectionNames = ['messages', 'pinned', 'backroom', 'reactions'] as const;
export type CollectionName = (typeof collectionNames)[number];

export type Classified = {readonly collection: CollectionName; readonly chat: string; readonly message?: string};

type Matcher = {readonly collection: CollectionName; readonly regex: RegExp};

/** A key of the layout read back into its collection and ids (the templates compiled once, for a million keys). */
export function compileLayout(layout: CollectionsLayout): (key: string) => Classified | undefined {
	const matchers: Matcher[] = collectionNames.map(collection => ({collection, regex: templateRegex(layout[collection])}));
	return key => {
		for (const {collection, regex} of matchers) {
			const match = regex.exec(key);
			if (match?.groups) {
				const {chat, message} = match.groups;
				return message === undefined ? {collection, chat: chat!} : {collection, chat: chat!, message};
			}
		}
		return undefined;
	};
}

/** A MATCH pattern that covers every template: their common literal prefix, then '*'. */
export function layoutPattern(layout: CollectionsLayout): string {
	const prefixes = collectionNames.map(c => layout[c].slice(0, layout[c].indexOf('{')));
	let common = prefixes[0]!;
	for (const p of prefixes) while (!p.startsWith(common)) common = common.slice(0, -1);
	return `${escapeGlob(common)}*`;
}

export type ChatKeys = {
	messages?: string;
	pinned?: string;
	backroom?: string;
	/** reaction hashes of this chat */
	reactions: number;
};

export type CacheScan = {
	readonly chats: Map<string, ChatKeys>;
	/** keys examined (the whole match of the layout pattern) */
	readonly scanned: number;
};

/**
 * Every cache key of the layout, grouped by chat. Exact: a full SCAN, no sampling. An abort stops
 * the scan and returns what was found so far.
 */
export async function scanCache(redis: RedisBackend, layout: CollectionsLayout, count = 1000, signal?: AbortSignal): Promise<CacheScan> {
	const classify = compileLayout(layout);
	const chats = new Map<string, ChatKeys>();
	let scanned = 0;
	try {
		for await (const keys of scanKeys(redis, {pattern: layoutPattern(layout), count, dedupe: true, signal})) {
			scanned += keys.length;
			for (const key of keys) {
				const c = classify(key);
				if (!c) continue;
				let entry = chats.get(c.chat);
				if (!entry) {
					entry = {reactions: 0};
					chats.set(c.chat, entry);
				}
				if (c.collection === 'reactions') entry.reactions++;
				else entry[c.collection] = key;
			}
		}
	} catch (error) {
		if (!signal?.aborted) throw error;
	}
	return {chats, scanned};
}
