// What a key does to the one text field every prompt and dialog types into.
import {describe, expect, it} from 'vitest';
import {tail, typeKey} from '../../source/console/components/text-field.js';
import {splitKeys} from '../../source/console/input/keys.js';
import type {Safe} from '../../source/text/sanitize.js';

const type = (start: string, chunk: string, max = 512) => splitKeys(chunk).reduce((value, key) => typeKey(value, key, max), start);

describe('typeKey', () => {
	it('types printable keys, deletes with Backspace and Delete, clears with Ctrl-U', () => {
		expect(type('', 'chat:*')).toBe('chat:*');
		expect(type('flush', '\u007f\u007f\u007fash')).toBe('flash');
		expect(type('abc', '\u001b[3~')).toBe('ab');
		expect(type('abc', '\u0015x')).toBe('x');
		expect(type('😀', '\u007f')).toBe('');
	});

	it('lets no control in, and stops at the limit', () => {
		expect(type('a', '\u0007\u001b[A\t\u001b\u009b')).toBe('a');
		expect(type('', 'abcdef', 4)).toBe('abcd');
	});
});

describe('tail', () => {
	it('keeps the end of a long text, where the typing happens', () => {
		expect(tail('abcdef' as Safe, 4)).toBe('…def');
		expect(tail('abc' as Safe, 4)).toBe('abc');
	});
});
