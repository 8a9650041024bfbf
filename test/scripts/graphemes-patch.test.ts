// The bundle cuts text into graphemes without ICU when every character of it is a grapheme of its
// own (scripts/ink-fast/graphemes.js: start-up, no Intl.Segmenter before the first frame). Checked
// against ICU: every character of the fast set has a Grapheme_Cluster_Break class that never joins
// (tried before and after a character of each class that could), the segments are ICU's for random
// text of fast and other characters, and the bundle's string-width and ansi-tokenize answer as the
// originals do.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {lazySegmenter, segmenterOnFirstUse} from '../../scripts/ink-fast/graphemes.js';
import {lazyEmojiStringWidth, segmenterOnNeed} from '../../scripts/patches.mjs';

const icu = new Intl.Segmenter();
const cuts = (segments: Iterable<{segment: string; index: number}>) => [...segments].map(s => [s.index, s.segment]);

// the fast set, as graphemes.js's pattern lists it
const fast: string[] = [];
for (let code = 0; code <= 0xffff; code++) {
	const char = String.fromCharCode(code);
	if (/^[\u0007\u001B\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u23FF\u2500-\u27BF]$/.test(char)) fast.push(char);
}

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(root, 'node_modules', '.opsdeck-graphemes-'));
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});
/** a patched copy of a dependency file in a folder of node_modules (bare imports resolve as the original's; relative ones to the original's folder) */
async function patchedCopy<T>(relative: string, patch: (source: string, file: string) => string): Promise<{original: T; patched: T}> {
	const original = path.join(root, 'node_modules', relative);
	const copy = path.join(dir, `${relative.replaceAll('/', '_')}.mjs`);
	const folder = pathToFileURL(path.dirname(original)).href;
	fs.writeFileSync(copy, patch(fs.readFileSync(original, 'utf8'), original).replaceAll(' from "./', ` from "${folder}/`));
	return {original: (await import(pathToFileURL(original).href)) as T, patched: (await import(pathToFileURL(copy).href)) as T};
}

describe('graphemes without ICU (scripts/ink-fast/graphemes.js)', () => {
	it('every character of the fast set is a grapheme of its own beside any character that could join it', () => {
		expect(fast.length).toBeGreaterThan(2000);
		// one segment for `a` + char: char is Extend, ZWJ or SpacingMark; char + `a`: Prepend; char + V:
		// L, V or LV; char + T: V, T, LV or LVT; L + char: L, V, LV or LVT; char + RI: RI; char + LF: CR
		for (const char of fast) {
			for (const text of [`a${char}`, `${char}a`, `${char}\u1160`, `${char}\u11a8`, `\u1100${char}`, `${char}\u{1f1e6}`, `${char}\n`]) {
				expect(cuts(icu.segment(text)).length, JSON.stringify(text)).toBe(2);
			}
		}
	});

	it('cuts random text of fast and other characters as ICU does', () => {
		const others = ['e\u0301', '\u200d', '👩‍💻', '🇫🇷', '漢', '한', '\u1100\u1161', '\r\n', '\ufe0f', '1️⃣', '\u00ad', '\u200b', '\u0903'];
		const segmenter = lazySegmenter();
		let s = 7;
		const rand = () => (s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
		for (let i = 0; i < 20_000; i++) {
			let text = '';
			const mixed = i % 2 === 0;
			for (let n = Math.floor(rand() * 12); n >= 0; n--) {
				text += mixed && rand() < 0.2 ? others[Math.floor(rand() * others.length)]! : fast[Math.floor(rand() * fast.length)]!;
			}
			expect(cuts(segmenter.segment(text)), JSON.stringify(text)).toEqual(cuts(icu.segment(text)));
		}
		// the one made on first use
		expect(cuts(segmenterOnFirstUse(undefined, {granularity: 'grapheme'}).segment('e\u0301a'))).toEqual([[0, 'e\u0301'], [2, 'a']]);
	});

	it('the bundle\'s string-width, wrap-ansi\'s string-width and ansi-tokenize answer as the originals', async () => {
		const width = await patchedCopy<{default: (text: string) => number}>('string-width/index.js', (source, file) => segmenterOnNeed(lazyEmojiStringWidth(source, file), file, 'new Intl.Segmenter()'));
		const wrapWidth = await patchedCopy<{default: (text: string) => number}>('wrap-ansi/node_modules/string-width/index.js', (source, file) => segmenterOnNeed(source, file, 'new Intl.Segmenter()'));
		const tokenize = await patchedCopy<{tokenize: (text: string) => unknown[]}>('@alcalzone/ansi-tokenize/build/tokenize.js', (source, file) => segmenterOnNeed(source, file, 'new Intl.Segmenter(undefined, { granularity: "grapheme" })'));
		const pieces = [...fast.filter((_, i) => i % 7 === 0), '\u001b[1m', '\u001b[35m', '\u001b[39m', '\u001b]8;;https://x\u0007', 'e\u0301', '👍🏽', '漢字', '\u00ad', '…', '─', '·'];
		let s = 11;
		const rand = () => (s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
		for (let i = 0; i < 5000; i++) {
			let text = '';
			for (let n = Math.floor(rand() * 10); n >= 0; n--) text += pieces[Math.floor(rand() * pieces.length)]!;
			expect(width.patched.default(text), JSON.stringify(text)).toBe(width.original.default(text));
			expect(wrapWidth.patched.default(text), JSON.stringify(text)).toBe(wrapWidth.original.default(text));
			expect(tokenize.patched.tokenize(text), JSON.stringify(text)).toEqual(tokenize.original.tokenize(text));
		}
	});
});
