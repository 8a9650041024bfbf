// `opsdeck stats`: exact totals over the whole cache — a full SCAN of the layout's keys (every
// master of a cluster), then ZCARD of every sorted set in pipelines. No sampling.
import type {Backends} from '../backends/index.js';
import {scanCache} from './layout-scan.js';
import {batch, type BatchCommand} from '../backends/redis/pipeline.js';

export type CacheStats = {
	/** chats with a messages cache */
	readonly chatsCached: number;
	/** chats with any cache key (messages, pinned, backroom or reactions) */
	readonly chatsWithAnyKey: number;
	/** members of every messages sorted set */
	readonly messagesCached: number;
	readonly pinnedCaches: number;
	readonly pinnedMessages: number;
	readonly backroomCaches: number;
	readonly backroomMessages: number;
	readonly reactionCaches: number;
	/** the messages cache with the most members */
	readonly largest: {readonly chat: string; readonly key: string; readonly messages: number} | undefined;
	/** chats whose messages cache holds more than the configured maximum */
	readonly overMax: number;
	readonly configured: {readonly maxMessages: number; readonly ttlSeconds: number; readonly pinnedTtlSeconds: number};
	/** keys the layout pattern matched */
	readonly keysScanned: number;
	readonly masters: number;
};

export async function cacheStats(deps: Pick<Backends, 'redis' | 'config'>, signal?: AbortSignal): Promise<CacheStats> {
	const layout = deps.config.collections;
	const masters = deps.redis.masters().length;
	const {chats, scanned} = await scanCache(deps.redis, layout, deps.config.scanCount, signal);
	const commands: BatchCommand[] = [];
	const owners: {chat: string; kind: 'messages' | 'pinned' | 'backroom'; key: string}[] = [];
	let reactionCaches = 0;
	for (const [chat, entry] of chats) {
		reactionCaches += entry.reactions;
		for (const kind of ['messages', 'pinned', 'backroom'] as const) {
			const key = entry[kind];
			if (!key) continue;
			commands.push([key, 'zcard', key]);
			owners.push({chat, kind, key});
		}
	}
	const results = await batch(deps.redis, commands);
	const totals = {messages: 0, pinned: 0, backroom: 0};
	const caches = {messages: 0, pinned: 0, backroom: 0};
	let largest: CacheStats['largest'];
	let overMax = 0;
	owners.forEach((owner, i) => {
		const r = results[i]!;
		// a key of the wrong type (WRONGTYPE) or gone since the scan is not a cache
		if (r.error || r.value === null || r.value === undefined) return;
		const count = Number(r.value);
		if (count === 0) return;
		caches[owner.kind]++;
		totals[owner.kind] += count;
		if (owner.kind === 'messages') {
			if (!largest || count > largest.messages) largest = {chat: owner.chat, key: owner.key, messages: count};
			if (count > layout.maxMessages) overMax++;
		}
	});
	return {
		chatsCached: caches.messages,
		chatsWithAnyKey: chats.size,
		messagesCached: totals.messages,
		pinnedCaches: caches.pinned,
		pinnedMessages: totals.pinned,
		backroomCaches: caches.backroom,
		backroomMessages: totals.backroom,
		reactionCaches,
		largest,
		overMax,
		configured: {maxMessages: layout.maxMessages, ttlSeconds: layout.ttlSeconds, pinnedTtlSeconds: layout.pinnedTtlSeconds},
		keysScanned: scanned,
		masters,
	};
}
