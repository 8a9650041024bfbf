// The demo's sample chat app, generated in memory: chats, users with badges, messages over the
// last ~20 hours, pinned messages and backroom chatter. Pure (no backends): demo.ts writes it.
import crypto from 'node:crypto';
import {chatNames, hostLines, lines, namePartsA, namePartsB, reactionNames, slugs, topics} from './words.js';

export type Random = () => number;

/** mulberry32: a small seeded PRNG, so a test (or a screenshot) can ask for the same sample twice. */
export function seededRandom(seed: number): Random {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

export const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
export const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

export type DemoMessage = {
	readonly id: string;
	readonly chat_code: string;
	username: string;
	content: string;
	/** ISO 8601 */
	readonly created_at: string;
	badges: string[];
	/** ms since the epoch (the cache score) */
	readonly createdMs: number;
	/** ms since the epoch, when pinned */
	pinnedUntil?: number;
};

export type DemoUser = {readonly username: string; readonly badges: readonly string[]};

export type DemoChat = {
	readonly code: string;
	readonly name: string;
	readonly host: DemoUser;
	readonly users: readonly DemoUser[];
	/** oldest first */
	readonly messages: DemoMessage[];
	/** backroom chatter (cache only: the app keeps it in Redis), oldest first */
	readonly backroom: DemoMessage[];
};

/** The cache member: EXACTLY these fields in this order (the key browser parses it). */
export function messageJson(m: Pick<DemoMessage, 'id' | 'chat_code' | 'username' | 'content' | 'created_at' | 'badges'>): string {
	return JSON.stringify({id: m.id, chat_code: m.chat_code, username: m.username, content: m.content, created_at: m.created_at, badges: m.badges});
}

const codeLetters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Like ZCMLY634: five letters and three digits. */
export function chatCode(random: Random): string {
	let code = '';
	for (let i = 0; i < 5; i++) code += pick(random, [...codeLetters]);
	for (let i = 0; i < 3; i++) code += String(Math.floor(random() * 10));
	return code;
}

export function makeUsers(random: Random, count: number): DemoUser[] {
	const seen = new Set<string>();
	const users: DemoUser[] = [];
	while (users.length < count) {
		const style = random();
		const a = pick(random, namePartsA);
		const b = pick(random, namePartsB);
		const name = style < 0.4 ? `${a}${b}` : style < 0.7 ? `${a}_${b}` : style < 0.9 ? `${a}${b}${between(random, 1, 99)}` : `${b}.${a}`;
		if (seen.has(name)) continue;
		seen.add(name);
		users.push({username: name, badges: random() < 0.15 ? ['verified'] : []});
	}
	return users;
}

export function messageText(random: Random, users: readonly DemoUser[], isHost: boolean): string {
	const template = isHost && random() < 0.3 ? pick(random, hostLines) : pick(random, lines);
	return template
		.replaceAll('{user}', () => pick(random, users).username)
		.replaceAll('{num}', () => String(between(random, 2, 90)))
		.replaceAll('{topic}', () => pick(random, topics))
		.replaceAll('{slug}', () => pick(random, slugs));
}

export function makeMessage(random: Random, chat: Pick<DemoChat, 'code' | 'host' | 'users'>, createdMs: number): DemoMessage {
	const user = random() < 0.12 ? chat.host : pick(random, chat.users);
	return {
		id: crypto.randomUUID(),
		chat_code: chat.code,
		username: user.username,
		content: messageText(random, chat.users, user === chat.host),
		created_at: new Date(createdMs).toISOString(),
		badges: [...user.badges],
		createdMs,
	};
}

/** Messages in a chat: a few busy chats (over the cache limit), most medium, some quiet. */
function chatSize(random: Random, index: number, count: number): number {
	if (index < Math.max(1, Math.round(count / 8))) return between(random, 600, 1100);
	if (random() < 0.25) return between(random, 15, 80);
	return between(random, 120, 420);
}

export type GenerateOptions = {
	readonly chats: number;
	readonly now: number;
	readonly random: Random;
	/** chat codes that must not be used (keys of someone else's chats) */
	readonly avoid?: ReadonlySet<string>;
};

export function generateChats(options: GenerateOptions): DemoChat[] {
	const {random, now} = options;
	const pool = makeUsers(random, Math.min(400, 40 + options.chats * 8));
	const codes = new Set<string>();
	const chats: DemoChat[] = [];
	for (let i = 0; i < options.chats; i++) {
		let code = chatCode(random);
		while (codes.has(code) || options.avoid?.has(code)) code = chatCode(random);
		codes.add(code);
		const participants = new Set<DemoUser>();
		const wanted = between(random, 4, 30);
		while (participants.size < Math.min(wanted, pool.length)) participants.add(pick(random, pool));
		const [first, ...rest] = [...participants];
		const host: DemoUser = {username: first!.username, badges: first!.badges.includes('verified') ? ['host', 'verified'] : ['host']};
		const users = [host, ...rest];
		const name = i < chatNames.length && random() < 0.85 ? chatNames[i]! : `${pick(random, chatNames)} ${i + 1}`;
		const chat: DemoChat = {code, name, host, users, messages: [], backroom: []};
		// most chats were active a moment ago; some went quiet hours ago (their TTL runs down)
		const end = random() < 0.75 ? now - between(random, 5_000, 300_000) : now - between(random, 1, 10) * 3_600_000;
		const start = Math.min(end - 600_000, now - 20 * 3_600_000 + between(random, 0, 4 * 3_600_000));
		const size = chatSize(random, i, options.chats);
		const times = Array.from({length: size}, () => start + Math.floor(random() * (end - start))).sort((a, b) => a - b);
		for (let t = 0; t < times.length; t++) chat.messages.push(makeMessage(random, chat, times[t]! + (t > 0 && times[t]! <= times[t - 1]! ? t : 0)));
		// a host announcement or two pinned in about half of the chats
		if (random() < 0.5 && chat.messages.length > 0) {
			for (let p = between(random, 1, 3); p > 0; p--) {
				const m = chat.messages[Math.max(0, chat.messages.length - 1 - between(random, 0, 120))]!;
				m.username = host.username;
				m.badges = [...host.badges];
				m.content = pick(random, hostLines).replaceAll('{user}', pick(random, users).username).replaceAll('{num}', String(between(random, 2, 60))).replaceAll('{topic}', pick(random, topics)).replaceAll('{slug}', pick(random, slugs));
				m.pinnedUntil = now + between(random, 2, 144) * 3_600_000;
			}
		}
		if (random() < 0.35) {
			const staff = users.filter(u => u.badges.length > 0);
			for (let b = between(random, 5, 40); b > 0; b--) {
				const m = makeMessage(random, {...chat, users: staff}, start + Math.floor(random() * (end - start)));
				chat.backroom.push(m);
			}
			chat.backroom.sort((a, b) => a.createdMs - b.createdMs);
		}
		chats.push(chat);
	}
	return chats;
}

/** 1-4 reactions with skewed counts, for a reactions hash. */
export function makeReactions(random: Random): Record<string, number> {
	const out: Record<string, number> = {};
	for (let n = between(random, 1, 4); n > 0; n--) out[pick(random, reactionNames)] = 1 + Math.floor(random() ** 3 * 40);
	return out;
}
