// The bundle's string-width builds its RGI emoji regex on first need and tests a segment against it
// only when the segment begins with an Emoji code point (scripts/patches.mjs: start-up). Same
// answers as string-width itself: every Emoji code point alone, with VS16, with a skin tone, and as
// a keycap, and random mixed text, measured by both.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {lazyEmojiStringWidth} from '../../scripts/patches.mjs';

type StringWidth = (text: string) => number;

const root = path.resolve(import.meta.dirname, '../..');
const original = path.join(root, 'node_modules/string-width/index.js');
// the patched file inside node_modules (a folder of its own), so its imports resolve as the original's do
const dir = fs.mkdtempSync(path.join(root, 'node_modules', '.opsdeck-string-width-'));
fs.writeFileSync(path.join(dir, 'index.mjs'), lazyEmojiStringWidth(fs.readFileSync(original, 'utf8'), original));
const stringWidth = ((await import(pathToFileURL(original).href)) as {default: StringWidth}).default;
const patched = ((await import(pathToFileURL(path.join(dir, 'index.mjs')).href)) as {default: StringWidth}).default;

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const emoji: string[] = [];
for (let code = 0; code <= 0x10ffff; code++) {
	if (code >= 0xd800 && code <= 0xdfff) continue;
	const char = String.fromCodePoint(code);
	if (/\p{Emoji}/u.test(char)) emoji.push(char);
}

describe('the bundle\'s string-width (RGI emoji regex on first need)', () => {
	it('measures every Emoji code point as string-width does: alone, with VS16, with a skin tone, as a keycap', () => {
		expect(emoji.length).toBeGreaterThan(1000);
		for (const char of emoji) {
			for (const text of [char, `${char}\ufe0f`, `${char}\u{1f3fd}`, `${char}\ufe0f\u20e3`, `${char}\u20e3`, `a${char}b`]) {
				expect(patched(text), JSON.stringify(text)).toBe(stringWidth(text));
			}
		}
	});

	it('measures random text of emoji sequences, flags, tags, CJK, marks and ANSI as string-width does', () => {
		const pieces = ['👩‍💻', '🏳️‍🌈', '🇫🇷', '🇫', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤', '❤️', '©', '™', '1️⃣', '#⃣', '👍🏽', '漢字', 'ﾊﾝｶｸ', 'e\u0301', '\u200d', '\ufe0f', 'a', ' ', '\t', '\u001b[31m', '\u001b[39m', '한', '\u1100\u1161'];
		let s = 3;
		const rand = () => (s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
		for (let i = 0; i < 5000; i++) {
			let text = '';
			for (let p = Math.floor(rand() * 6); p >= 0; p--) text += pieces[Math.floor(rand() * pieces.length)]!;
			expect(patched(text), JSON.stringify(text)).toBe(stringWidth(text));
		}
	});
});
