import {describe, expect, it} from 'vitest';
import {fit, formatBytes, formatCount, formatDateTime, formatDelta, formatDuration, formatPercent, formatTtl, plural} from '../../source/text/format.js';

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
