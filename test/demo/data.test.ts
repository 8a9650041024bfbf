// The demo's generated sample (no servers): its shape is what the console and compare rely on.
import {describe, expect, it} from 'vitest';
import {generateChats, messageJson, seededRandom} from '../../source/demo/data.js';

const now = Date.parse('2026-11-22T12:00:00Z');

describe('demo sample', () => {
	it('is the same for the same seed (ids aside) and different for another', () => {
		const strip = (seed: number) => generateChats({chats: 6, now, random: seededRandom(seed)}).map(c => ({code: c.code, name: c.name, contents: c.messages.map(m => [m.username, m.content, m.createdMs])}));
		expect(strip(42)).toEqual(strip(42));
		expect(strip(42)[0]!.code).not.toBe(strip(43)[0]!.code);
	});

	it('has chat codes like ZCMLY634, messages over the last 20 hours in order, busy and quiet chats, badges and pins', () => {
		const chats = generateChats({chats: 24, now, random: seededRandom(1)});
		expect(new Set(chats.map(c => c.code)).size).toBe(24);
		for (const chat of chats) {
			expect(chat.code).toMatch(/^[A-Z]{5}[0-9]{3}$/);
			expect(chat.host.badges).toContain('host');
			const times = chat.messages.map(m => m.createdMs);
			expect(times).toEqual([...times].sort((a, b) => a - b));
			expect(times[0]).toBeGreaterThanOrEqual(now - 20 * 3_600_000);
			expect(times.at(-1)).toBeLessThan(now);
			for (const m of chat.messages) expect(m.created_at).toBe(new Date(m.createdMs).toISOString());
		}
		const sizes = chats.map(c => c.messages.length);
		expect(Math.max(...sizes)).toBeGreaterThan(500);
		expect(Math.min(...sizes)).toBeLessThan(200);
		const all = chats.flatMap(c => c.messages);
		expect(all.some(m => m.badges.includes('verified'))).toBe(true);
		expect(all.some(m => m.pinnedUntil !== undefined && m.pinnedUntil > now)).toBe(true);
		expect(chats.some(c => c.backroom.length > 0)).toBe(true);
		// plain printable text: no controls, no emoji (terminals disagree on their width)
		expect(all.every(m => /^[\x20-\x7e\u00a0-\u024f]+$/.test(m.content) && /^[\x20-\x7e]+$/.test(m.username))).toBe(true);
	});

	it('serialises a cached message as exactly the app fields, in order', () => {
		const [chat] = generateChats({chats: 1, now, random: seededRandom(2)});
		const m = chat!.messages[0]!;
		expect(messageJson(m)).toBe(JSON.stringify({id: m.id, chat_code: m.chat_code, username: m.username, content: m.content, created_at: m.created_at, badges: m.badges}));
		const pinned = {...m, pinnedUntil: now + 1};
		expect(Object.keys(JSON.parse(messageJson(pinned)) as object)).toEqual(['id', 'chat_code', 'username', 'content', 'created_at', 'badges']);
	});
});
