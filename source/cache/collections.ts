// The app's chat caches (the configurable layout in config.collections): the list of chats, one
// chat in detail, and clearing one chat's cache. Comparing with PostgreSQL lives in compare.ts.
import type {Backends} from '../backends/index.js';
import {keyFor, messageAffixes, patternFor} from './layout.js';
import {scanAll} from './keys.js';
import {parseFlat, type CachedMessage} from './messages.js';
import {runMutation, type MutationRequest} from '../mutations/registry.js';
import type {RedisBackend} from '../backends/redis/client.js';
import {batch, type BatchCommand} from '../backends/redis/pipeline.js';
import {scanCache} from './layout-scan.js';

type Deps = Pick<Backends, 'redis' | 'config'>;

export type ChatSummary = {
	readonly chat: string;
	/** ZCARD of each sorted set; null when the key does not exist */
	readonly messages: number | null;
	readonly pinned: number | null;
	readonly backroom: number | null;
	/** reaction hashes cached for this chat */
	readonly reactions: number;
	/** PTTL of the messages key (-1 no expiry, -2 gone / none) */
	readonly ttlMs: number;
	readonly pinnedTtlMs: number;
	readonly backroomTtlMs: number;
};

function num(result: {error?: Error; value?: unknown} | undefined): number | null {
	if (!result || result.error || result.value === null || result.value === undefined) return null;
	return Number(result.value);
}

/** Every chat with any cache key, sorted by code; counts and TTLs in one pipeline per master. */
export async function listChats(deps: Deps, signal?: AbortSignal): Promise<ChatSummary[]> {
	const {chats} = await scanCache(deps.redis, deps.config.collections, deps.config.scanCount, signal);
	const codes = [...chats.keys()].sort();
	const commands: BatchCommand[] = [];
	const slots: (number | undefined)[][] = [];
	for (const code of codes) {
		const entry = chats.get(code)!;
		const at: (number | undefined)[] = [];
		for (const name of ['messages', 'pinned', 'backroom'] as const) {
			const key = entry[name];
			if (key) {
				at.push(commands.length);
				commands.push([key, 'zcard', key], [key, 'pttl', key]);
			} else at.push(undefined);
		}
		slots.push(at);
	}
	const results = await batch(deps.redis, commands);
	return codes.map((chat, i) => {
		const [m, p, b] = slots[i]!;
		const count = (at: number | undefined) => (at === undefined ? null : num(results[at]));
		const ttl = (at: number | undefined) => (at === undefined ? -2 : num(results[at + 1]) ?? -2);
		return {chat, messages: count(m), pinned: count(p), backroom: count(b), reactions: chats.get(chat)!.reactions, ttlMs: ttl(m), pinnedTtlMs: ttl(p), backroomTtlMs: ttl(b)};
	});
}

export type ReactionCache = {readonly message: string; readonly key: string; readonly counts: Readonly<Record<string, number>>};

export type ChatDetail = {
	readonly chat: string;
	readonly keys: {readonly messages: string; readonly pinned: string; readonly backroom: string};
	readonly counts: {readonly messages: number; readonly pinned: number; readonly backroom: number; readonly reactions: number};
	readonly ttlMs: {readonly messages: number; readonly pinned: number; readonly backroom: number};
	readonly oldest: CachedMessage | undefined;
	readonly newest: CachedMessage | undefined;
	/** the newest N messages, oldest first */
	readonly messages: readonly CachedMessage[];
	/** pinned (score = pinned until) and backroom, newest N each */
	readonly pinned: readonly CachedMessage[];
	readonly backroom: readonly CachedMessage[];
	/** reaction hashes (bounded to 200), when asked for */
	readonly reactions: readonly ReactionCache[] | undefined;
	/** true when no key of this chat exists */
	readonly empty: boolean;
};

/**
 * The reaction-hash keys of one chat (a SCAN with the chat filled in). The pattern matches few
 * keys, so a bigger COUNT walks a million-key space in ~100 calls instead of ~1,000 (each call
 * stays a few ms on the server).
 */
export async function reactionKeys(deps: Deps, chat: string): Promise<string[]> {
	return scanAll(deps.redis, {pattern: patternFor(deps.config.collections.reactions, {chat}), count: Math.max(deps.config.scanCount, 10_000)});
}

export async function chatDetail(deps: Deps, chat: string, options: {readonly messages?: number; readonly reactions?: boolean} = {}): Promise<ChatDetail> {
	const layout = deps.config.collections;
	const n = Math.max(1, options.messages ?? 20);
	const keys = {messages: keyFor(layout.messages, {chat}), pinned: keyFor(layout.pinned, {chat}), backroom: keyFor(layout.backroom, {chat})};
	const [results, reactionKeyList] = await Promise.all([
		batch(deps.redis, [
			[keys.messages, 'zcard', keys.messages],
			[keys.pinned, 'zcard', keys.pinned],
			[keys.backroom, 'zcard', keys.backroom],
			[keys.messages, 'pttl', keys.messages],
			[keys.pinned, 'pttl', keys.pinned],
			[keys.backroom, 'pttl', keys.backroom],
			[keys.messages, 'zrange', keys.messages, 0, 0, 'WITHSCORES'],
			[keys.messages, 'zrange', keys.messages, -n, -1, 'WITHSCORES'],
			[keys.pinned, 'zrange', keys.pinned, -n, -1, 'WITHSCORES'],
			[keys.backroom, 'zrange', keys.backroom, -n, -1, 'WITHSCORES'],
		]),
		reactionKeys(deps, chat),
	]);
	for (const r of results) if (r.error && !/WRONGTYPE/.test(r.error.message)) throw r.error;
	const flat = (i: number) => (results[i]!.error ? [] : (results[i]!.value as string[]));
	const messages = parseFlat(flat(7));
	let reactions: ReactionCache[] | undefined;
	if (options.reactions) {
		const shown = reactionKeyList.sort().slice(0, 200);
		const hashes = await batch(deps.redis, shown.map(key => [key, 'hgetall', key] as BatchCommand));
		reactions = shown.map((key, i) => {
			// ioredis turns an HGETALL reply into an object, even through call(); accept both shapes
			const reply = hashes[i]!.value ?? [];
			const counts: Record<string, number> = {};
			if (Array.isArray(reply)) for (let j = 0; j + 1 < reply.length; j += 2) counts[String(reply[j])] = Number(reply[j + 1]);
			else for (const [field, value] of Object.entries(reply as Record<string, string>)) counts[field] = Number(value);
			return {key, message: parseReactionMessage(layout.reactions, chat, key) ?? key, counts};
		});
	}
	const counts = {messages: num(results[0]) ?? 0, pinned: num(results[1]) ?? 0, backroom: num(results[2]) ?? 0, reactions: reactionKeyList.length};
	return {
		chat,
		keys,
		counts,
		ttlMs: {messages: num(results[3]) ?? -2, pinned: num(results[4]) ?? -2, backroom: num(results[5]) ?? -2},
		oldest: parseFlat(flat(6))[0],
		newest: messages.at(-1),
		messages,
		pinned: parseFlat(flat(8)),
		backroom: parseFlat(flat(9)),
		reactions,
		empty: counts.messages + counts.pinned + counts.backroom + counts.reactions === 0,
	};
}

function parseReactionMessage(template: string, chat: string, key: string): string | undefined {
	// the chat code is filled in literally: a code holding "{message}" or a NUL cannot shift the split
	const affixes = messageAffixes(template, chat);
	if (!affixes) return undefined;
	const {before, after} = affixes;
	if (key.length < before.length + after.length || !key.startsWith(before) || !key.endsWith(after)) return undefined;
	return key.slice(before.length, key.length - after.length);
}

/** Every existing key of one chat's cache (what "clear" removes). */
export async function chatKeys(deps: Deps, chat: string): Promise<string[]> {
	const layout = deps.config.collections;
	const fixed = [keyFor(layout.messages, {chat}), keyFor(layout.pinned, {chat}), keyFor(layout.backroom, {chat})];
	const [exists, reactions] = await Promise.all([batch(deps.redis, fixed.map(k => [k, 'exists', k] as BatchCommand)), reactionKeys(deps, chat)]);
	return [...fixed.filter((_, i) => Number(exists[i]!.value) > 0), ...reactions.sort()];
}

/** What clearing a chat's `count` keys is audited and confirmed as (the op, `chat show --clear`, the Keys tab). */
export function clearChatRequest(redis: Pick<RedisBackend, 'maskedUrl'>, chat: string, count: number): MutationRequest {
	return {action: 'clear-chat', target: `${redis.maskedUrl} chat ${JSON.stringify(chat)} (${count} keys)`};
}

/** Deletes one chat's cache keys through the mutation guard (read-only refuses). */
export async function clearChat(deps: Deps, chat: string, keys?: readonly string[]): Promise<{deleted: number; keys: readonly string[]}> {
	const list = keys ?? (await chatKeys(deps, chat));
	return runMutation(deps.config, clearChatRequest(deps.redis, chat, list.length), async () => {
		// each master's connection checked on the configured db right before its DELs go out
		const results = await batch(deps.redis, list.map(k => [k, 'del', k] as BatchCommand), {confirm: true});
		let deleted = 0;
		for (const r of results) {
			if (r.error) throw r.error;
			deleted += Number(r.value);
		}
		return {deleted, keys: list};
	});
}
