// Where each generated message goes: the database, the cache, or (for the few chats put out of
// sync on purpose) only one of them. Pure: demo.ts writes the plan.
import type {CollectionsLayout} from '../config/config.js';
import {messageJson, type DemoChat, type DemoMessage, type Random} from './data.js';
import type {RedisCommand} from './redis.js';

export type OutOfSync = {readonly chat: string; readonly missing: readonly string[]; readonly extra: readonly string[]};

export type CachePlan = {chat: DemoChat; db: DemoMessage[]; cache: DemoMessage[]};

const newest = <T>(list: readonly T[], n: number): T[] => list.slice(Math.max(0, list.length - n));

/** Which messages go where: extras are cached but deleted from the database, missing are not cached. */
export function planCaches(chats: readonly DemoChat[], layout: CollectionsLayout, random: Random, outOfSync: number, now: number): {plans: CachePlan[]; report: OutOfSync[]} {
	const max = layout.maxMessages;
	// prefer chats that fit in the cache, so "missing" means the same whatever window compare uses
	const candidates = [...chats].sort((a, b) => Number(a.messages.length >= max) - Number(b.messages.length >= max) || b.messages.length - a.messages.length).filter(c => c.messages.length >= 4);
	const chosen = new Map(candidates.slice(0, outOfSync).map((c, i) => [c, i % 3] as const));
	const plans: CachePlan[] = [];
	const report: OutOfSync[] = [];
	for (const chat of chats) {
		const window = newest(chat.messages, max);
		const kind = chosen.get(chat);
		// "missing" means what compare means: in the newest maxMessages and younger than the TTL
		const young = (m: DemoMessage) => m.createdMs > now - layout.ttlSeconds * 1000;
		const victims = window.filter(m => m.pinnedUntil === undefined && young(m));
		const take = (n: number): Set<DemoMessage> => {
			const set = new Set<DemoMessage>();
			while (set.size < Math.min(n, victims.length)) set.add(victims[Math.floor(random() * victims.length)]!);
			return set;
		};
		// kind 0: missing only; 1: extra only; 2: both
		const extras = kind === 1 || kind === 2 ? take(2 + Math.floor(random() * 4)) : new Set<DemoMessage>();
		const missing = kind === 0 || kind === 2 ? take(3 + Math.floor(random() * 8)) : new Set<DemoMessage>();
		for (const m of extras) missing.delete(m);
		const db = chat.messages.filter(m => !extras.has(m));
		const cache = window.filter(m => !missing.has(m));
		if (kind !== undefined) {
			// computed from the final sets, the way compare sees them
			const cachedIds = new Set(cache.map(m => m.id));
			const dbIds = new Set(db.map(m => m.id));
			report.push({chat: chat.code, missing: newest(db, max).filter(m => young(m) && !cachedIds.has(m.id)).map(m => m.id), extra: cache.filter(m => !dbIds.has(m.id)).map(m => m.id)});
		}
		plans.push({chat, db, cache});
	}
	return {plans, report};
}

/** What the app's TTL would have left: refreshed at the last write, never below a minute. */
export function ttlLeft(ttlSeconds: number, lastMs: number | undefined, now: number): number {
	const age = lastMs === undefined ? 0 : Math.floor((now - lastMs) / 1000);
	return Math.max(Math.min(ttlSeconds, 60), Math.min(ttlSeconds, ttlSeconds - age));
}

export function zadd(key: string, messages: readonly DemoMessage[], score: (m: DemoMessage) => number): RedisCommand[] {
	const commands: RedisCommand[] = [];
	for (let i = 0; i < messages.length; i += 250) {
		const args: Array<string | number> = [];
		for (const m of messages.slice(i, i + 250)) args.push(score(m), messageJson(m));
		commands.push(['zadd', key, ...args]);
	}
	return commands;
}
