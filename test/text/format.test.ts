import {describe, expect, it} from 'vitest';
import {cellWidth, fit, fitMiddle, formatBytes, formatCount, formatDateTime, formatDelta, formatDuration, formatPercent, formatTtl, plural, wrapCells} from '../../source/text/format.js';

describe('formatBytes', () => {
	it('uses binary units with one decimal below 10', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(1023)).toBe('1023 B');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(20 * 1024)).toBe('20 KB');
		expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
	});

	it('shows a dash for unknown sizes', () => {
		expect(formatBytes(undefined)).toBe('-');
		expect(formatBytes(null)).toBe('-');
		expect(formatBytes(Number.NaN)).toBe('-');
	});
});

describe('formatDuration', () => {
	it('matches the documented examples', () => {
		expect(formatDuration(1500)).toBe('1.5s');
		expect(formatDuration(90_000)).toBe('1m30s');
		expect(formatDuration(86_400_000)).toBe('1d0h');
	});

	it('covers every range', () => {
		expect(formatDuration(0)).toBe('0ms');
		expect(formatDuration(250.4)).toBe('250ms');
		expect(formatDuration(42_000)).toBe('42s');
		expect(formatDuration(3_600_000 + 5 * 60_000)).toBe('1h05m');
		expect(formatDuration(-5)).toBe('-');
		expect(formatDuration(undefined)).toBe('-');
	});

	it('never shows a value that belongs to the next unit', () => {
		expect(formatDuration(999.7)).toBe('1.0s');
		expect(formatDuration(9_990)).toBe('10s');
		expect(formatDuration(59_800)).toBe('1m00s');
	});
});

describe('formatTtl', () => {
	it('speaks Redis PTTL', () => {
		expect(formatTtl(-1)).toBe('none');
		expect(formatTtl(-2)).toBe('gone');
		expect(formatTtl(7 * 86_400_000)).toBe('7d0h');
		expect(formatTtl(undefined)).toBe('-');
	});
});

describe('counts, deltas and percentages', () => {
	it('groups thousands', () => {
		expect(formatCount(3450)).toBe('3,450');
		expect(formatCount(1_234_567.4)).toBe('1,234,567');
		expect(formatCount(undefined)).toBe('-');
		// every group boundary, negatives and the largest integers before exponents, as toLocaleString groups them
		for (const n of [0, 7, 999, 1000, -1000, 12_345, -123_456, 999_999, 1_000_000, -9_876_543_210, 2 ** 53, 9.99e20]) {
			expect(formatCount(n), String(n)).toBe(Math.round(n).toLocaleString('en-US'));
		}
		// (no "-0")
		expect(formatCount(-0.4)).toBe('0');
	});

	it('signs deltas', () => {
		expect(formatDelta(12)).toBe('+12');
		expect(formatDelta(-1500)).toBe('-1,500');
		expect(formatDelta(0)).toBe('0');
	});

	it('formats ratios as percentages', () => {
		expect(formatPercent(0.753)).toBe('75.3%');
		expect(formatPercent(1, 0)).toBe('100%');
		expect(formatPercent(undefined)).toBe('-');
	});
});

describe('formatDateTime', () => {
	it('is UTC and second precision', () => {
		expect(formatDateTime(Date.UTC(2025, 11, 4, 10, 30, 0, 999))).toBe('2025-12-04 10:30:00');
	});
});

describe('fit', () => {
	it('cuts with an ellipsis and pads on request', () => {
		expect(fit('abcdef', 4)).toBe('abc…');
		expect(fit('abcd', 4)).toBe('abcd');
		expect(fit('ab', 4, true)).toBe('ab  ');
		expect(fit('anything', 0)).toBe('');
	});

	it('counts an astral character as one, never splitting it', () => {
		expect(fit('😀😀😀', 2)).toBe('😀…');
	});
});

describe('plural', () => {
	it('one noun for 1, the plural for every other count, thousands grouped (issue 16: "1 fields", "1 keys")', () => {
		expect(plural(1, 'key')).toBe('1 key');
		expect(plural(0, 'key')).toBe('0 keys');
		expect(plural(2, 'field')).toBe('2 fields');
		expect(plural(1234, 'message')).toBe('1,234 messages');
		expect(plural(1, 'entry', 'entries')).toBe('1 entry');
		expect(plural(3, 'entry', 'entries')).toBe('3 entries');
	});
});

describe('fitMiddle (issue 16: rows that differ only at the end stay apart in a narrow pane)', () => {
	it('keeps both ends: reaction keys of one chat stay distinct where an end cut made them all alike', () => {
		const keys = ['chat:BZLLP379:reactions:41', 'chat:BZLLP379:reactions:42', 'chat:BZLLP379:reactions:43'];
		expect(keys.map(k => fit(k, 14))).toEqual(['chat:BZLLP379…', 'chat:BZLLP379…', 'chat:BZLLP379…']);
		const shown = keys.map(k => fitMiddle(k, 23));
		expect(shown).toEqual(['chat:BZLLP379…ctions:41', 'chat:BZLLP379…ctions:42', 'chat:BZLLP379…ctions:43']);
		expect(new Set(shown).size).toBe(3);
	});

	it('keeps a key\'s namespace and id whole when they leave room for the end, otherwise halves, ending the head at a word', () => {
		expect(fitMiddle('chat:ZCMLY634:messages', 17)).toBe('chat:ZCMLY634…ges');
		const uuid = 'chat:AIOEF156:reactions:03001c9b-8757-4195-ae5f-192d1db36c72';
		expect(fitMiddle(uuid, 33)).toBe('chat:AIOEF156:…-ae5f-192d1db36c72');
		expect(fitMiddle('manual_2026-11-30T10-02-47.db', 18)).toBe('manual_…0-02-47.db');
		expect(fitMiddle('redis://127.0.0.1:43241/0', 20)).toBe('redis://12…1:43241/0');
	});

	it('leaves text that fits alone, pads on request, and is exactly width cells when cut', () => {
		expect(fitMiddle('abc', 5)).toBe('abc');
		expect(fitMiddle('abc', 5, true)).toBe('abc  ');
		expect(fitMiddle('abcdef', 1)).toBe('…');
		expect(fitMiddle('abcdef', 0)).toBe('');
		for (let w = 1; w < 30; w++) expect(cellWidth(fitMiddle('session:123456789:payload:abcdef', w))).toBe(Math.min(w, 32));
	});

	it('counts terminal cells: a wide character is two cells and is never split', () => {
		expect(cellWidth('聊天')).toBe(4);
		const cut = fitMiddle('聊天聊天聊天聊天', 7);
		expect(cut).toBe('聊…聊天');
		expect(cellWidth(cut)).toBe(7);
		// 6 cells of room for 2-cell characters on each side of the ellipsis: 5 cells used, padded to 6
		expect(fitMiddle('聊天聊天聊天', 6, true)).toBe('聊…天 ');
		expect(cellWidth(fitMiddle('👍x👍x👍x👍x👍', 8))).toBeLessThanOrEqual(8);
	});

	it('cuts around an escape keyText or sanitize wrote, never inside it', () => {
		const key = 'bin:\\xff\\xfe\\xfd\\xfc:end';
		for (let w = 2; w <= cellWidth(key); w++) {
			const cut = fitMiddle(key, w);
			expect(cellWidth(cut)).toBeLessThanOrEqual(w);
			// every backslash left starts a whole escape
			expect(cut.replace(/\\x[0-9a-f]{2}/g, '')).not.toContain('\\');
		}
		expect(fitMiddle('bin:\\xff\\xfe\\xfd\\xfc:end', 13)).toBe('bin:…\\xfc:end');
		expect(fitMiddle('a\\u{1f600}b\\\\c', 8)).toBe('a…b\\\\c');
	});
});

describe('wrapCells', () => {
	it('breaks at spaces, a word longer than a line where the line ends, nothing wider than width', () => {
		const plan = 'Replace /tmp/opsdeck-media-4ByeL9/data/app.db with backup manual_2026-11-30T10-02-47.db.';
		const lines = wrapCells(plan, 36);
		expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('manual_2026-11-30T10-02-47.db.');
		expect(lines.join('').replace(/ /g, '')).toBe(plan.replace(/ /g, ''));
		for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(36);
		expect(wrapCells('', 10)).toEqual(['']);
		expect(wrapCells('one two three', 7)).toEqual(['one two', 'three']);
	});

	it('counts wide characters and keeps escapes whole', () => {
		expect(wrapCells('聊天聊天聊', 4)).toEqual(['聊天', '聊天', '聊']);
		expect(wrapCells('ab\\x1bcd', 4)).toEqual(['ab', '\\x1b', 'cd']);
	});
});
