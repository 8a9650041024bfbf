import {describe, expect, it} from 'vitest';
import {hexdumpLines} from '../../source/text/hexdump.js';
import {wrapLine} from '../../source/text/member-text.js';
import type {Safe} from '../../source/text/sanitize.js';

describe('hexdump', () => {
	it('writes offset, hex in pairs and ASCII like xxd, a dot for every byte that is not printable ASCII', () => {
		const bytes = Buffer.concat([Buffer.from('Hello world\n'), Buffer.from([0x00, 0x01, 0x1b, 0x9b, 0xff, 0x41])]);
		// what `xxd` prints for the same bytes
		expect(hexdumpLines(bytes)).toEqual([
			'00000000: 4865 6c6c 6f20 776f 726c 640a 0001 1b9b  Hello world.....',
			'00000010: ff41                                     .A',
		]);
		expect(hexdumpLines(Buffer.alloc(0))).toEqual([]);
	});

	it('numbers the lines from the offset given, and nothing a terminal acts on gets through', () => {
		const bytes = Buffer.from(Array.from({length: 256}, (_, i) => i));
		const lines = hexdumpLines(bytes, 0x100);
		expect(lines).toHaveLength(16);
		expect(lines[0]!.startsWith('00000100: 0001 0203')).toBe(true);
		expect(lines[15]!.startsWith('000001f0: f0f1 f2f3')).toBe(true);
		for (const line of lines) expect(line).toMatch(/^[\x20-\x7e]+$/);
	});
});

describe('wrapLine', () => {
	it('cuts after a space in the second half of the width, else at the width; nothing is lost', () => {
		const text = 'the quick brown fox jumps over the lazy dog' as Safe;
		const lines = wrapLine(text, 10);
		expect(lines).toEqual(['the quick ', 'brown fox ', 'jumps ', 'over the ', 'lazy dog']);
		expect(lines.join('')).toBe(text);
		expect(wrapLine('abcdefghijklmnopqrstuvwxyz' as Safe, 10)).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
		expect(wrapLine('' as Safe, 10)).toEqual(['']);
		// by characters, not UTF-16 units
		expect(wrapLine('😀😀😀' as Safe, 2)).toEqual(['😀😀', '😀']);
	});
});
