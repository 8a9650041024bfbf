// scripts/ink-fast/widest-line.js replaces widest-line in the bundle (the same function with a
// bounded cache: Ink measures every text node on every frame). Whatever it caches, it must answer
// what widest-line answers: the two are run side by side on random text — several lines, colours,
// wide characters, emoji, combining marks, tabs, control characters — asked again and again (the
// cache serving), and past the cache's bound (the cache cleared and filled anew).
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';

type WidestLine = (text: string) => number;

const root = path.resolve(import.meta.dirname, '../..');
const load = async (file: string) => ((await import(pathToFileURL(path.join(root, file)).href)) as {default: WidestLine}).default;
const inkWidestLine = await load('node_modules/widest-line/index.js');
const fastWidestLine = await load('scripts/ink-fast/widest-line.js');

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1_664_525 + 1_013_904_223) >>> 0;
		return s / 2 ** 32;
	};
}

const pieces = [
	'opsdeck', 'Redis  up', '12:11:51', '漢字', '日本語テキスト', '🙂', '👩‍💻', '🇫🇷', '1️⃣', 'é', 'e\u0301', '\u200b', 'a\tb',
	'chat:ZCMLY634:messages', '▁▂▃▅▇', '─│┌', '', ' ', '\u001b[31m', '\u001b[39m', '\u001b[1mbold\u001b[22m', '\u001b[38;2;10;200;30m',
	'\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007', '\u0007', '\r', 'ﾊﾝｶｸ', '한국어', '\ud83d', 'x'.repeat(90),
];

function randomText(rand: () => number): string {
	const lines: string[] = [];
	const count = 1 + Math.floor(rand() * 4);
	for (let l = 0; l < count; l++) {
		let line = '';
		const parts = Math.floor(rand() * 6);
		for (let p = 0; p < parts; p++) line += pieces[Math.floor(rand() * pieces.length)]!;
		lines.push(line);
	}
	return lines.join('\n');
}

describe('the bundle\'s widest-line (scripts/ink-fast/widest-line.js)', () => {
	it('gives widest-line\'s width for 3,000 random texts, each asked twice', () => {
		const rand = random(11);
		const widths = new Set<number>();
		for (let i = 0; i < 3000; i++) {
			const text = randomText(rand);
			const expected = inkWidestLine(text);
			expect(fastWidestLine(text), `text ${i}: ${JSON.stringify(text)}`).toBe(expected);
			expect(fastWidestLine(text), `text ${i} again (cached)`).toBe(expected);
			widths.add(expected);
		}
		// the texts really differ in width (the comparison is not of one answer 3,000 times)
		expect(widths.size).toBeGreaterThan(40);
	});

	it('still answers right past its cache bound (4,000 texts), for texts seen before and after the clear', () => {
		const rand = random(5);
		const texts = Array.from({length: 9000}, () => randomText(rand));
		for (const text of texts) expect(fastWidestLine(text)).toBe(inkWidestLine(text));
		// the first ones were cleared out long ago, the last ones are cached
		for (const text of [...texts.slice(0, 200), ...texts.slice(-200)]) expect(fastWidestLine(text)).toBe(inkWidestLine(text));
	});
});
