// Defect 12: a hash field or value, or a zset member, holding one control character was dumped
// byte by byte (`\x66\x1b\x5b\x32\x4a`) in the value view and `inspect`, while a string showed the
// readable `clr\x1b[2Jafter`. Every piece of a value is read the same way: text with the control
// escaped; hex only for bytes that are not UTF-8 or are mostly controls.
import {describe, expect, it} from 'vitest';
import {show, type ValueItem} from '../../source/cache/values.js';
import {isBinary} from '../../source/text/sanitize.js';
import {itemLine} from '../../source/text/value-text.js';

const piece = (text: string) => show(Buffer.from(text, 'utf8'));

describe('a value piece with a control character reads like a string', () => {
	it('hash field and value, zset member, set member, list item', () => {
		expect(itemLine('hash', {field: piece('f\x1b[2J'), value: piece('v\x07')} as ValueItem)).toBe('f\\x1b[2J = v\\x07');
		expect(itemLine('zset', {score: 1, value: piece('m\x1b[31mred')} as ValueItem)).toBe('1  m\\x1b[31mred');
		expect(itemLine('set', {value: piece('a\x00b')} as ValueItem)).toBe('a\\x00b');
		expect(itemLine('list', {index: 0, value: piece('clr\x1b[2Jafter')} as ValueItem)).toBe('0  clr\\x1b[2Jafter');
	});

	it('still hex: bytes that are not UTF-8, and UTF-8 that is mostly controls', () => {
		expect(isBinary(Buffer.from([0x66, 0xff]))).toBe(true);
		expect(isBinary(Buffer.from([0, 1, 2, 0x41]))).toBe(true);
		expect(itemLine('set', {value: show(Buffer.from([0x66, 0xff]))} as ValueItem)).toBe('\\x66\\xff');
	});
});
