// The bundle's Ink bounds its two text caches (scripts/patches.mjs, inkMeasureTextBounded and
// inkWrapTextBounded): Ink kept every text it measured or wrapped for the life of the process, so a
// console left in a tmux pane for weeks grew with every new value of a counter. Checked on Ink's own
// files as the bundle patches them: past the limit the cache starts again, and every answer is still
// the one the unpatched file gives.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {inkMeasureTextBounded, inkWrapTextBounded, textCacheLimit} from '../../scripts/patches.mjs';

const ink = path.resolve(import.meta.dirname, '../../node_modules/ink/build');
const {default: measureText} = (await import(pathToFileURL(path.join(ink, 'measure-text.js')).href)) as {default: (text: string) => {width: number; height: number}};
const {default: wrapText} = (await import(pathToFileURL(path.join(ink, 'wrap-text.js')).href)) as {default: (text: string, width: number, mode: string) => string};
const {default: widestLine} = await import('widest-line');
const {default: wrapAnsi} = await import('wrap-ansi');
const {default: cliTruncate} = await import('cli-truncate');

/** a patched Ink file evaluated with its imports given, and a probe of its cache's size */
function patched<T>(file: string, patch: (source: string, file: string) => string, imports: Record<string, unknown>, size: string): {fn: T; size: () => number} {
	const source = patch(fs.readFileSync(path.join(ink, file), 'utf8'), file)
		.replace(/^import .*$/gm, '')
		.replace(/^export default (\w+);$/m, `return {fn: $1, size: () => ${size}};`)
		.replace(/^\/\/# sourceMappingURL.*$/m, '');
	return new Function(...Object.keys(imports), source)(...Object.values(imports)) as {fn: T; size: () => number};
}

const values = (n: number) => Array.from({length: n}, (_, i) => `uptime ${i}s, ${(i * 7919) % 100_000} ops/s`);

describe('the bundle\'s Ink: bounded text caches', () => {
	it('measure-text: never more than the limit, the same answers as Ink', () => {
		const bounded = patched<(text: string) => {width: number; height: number}>('measure-text.js', inkMeasureTextBounded, {widestLine}, 'cache.size');
		for (const text of values(textCacheLimit + 200)) {
			expect(bounded.fn(text)).toEqual(measureText(text));
			expect(bounded.size()).toBeLessThanOrEqual(textCacheLimit);
		}
		expect(bounded.size()).toBeGreaterThan(0);
		// a text measured again after the cache started anew: still right
		expect(bounded.fn('uptime 0s, 0 ops/s\nsecond line')).toEqual({width: 18, height: 2});
	});

	it('wrap-text: never more than the limit, the same answers as Ink', () => {
		const bounded = patched<(text: string, width: number, mode: string) => string>('wrap-text.js', inkWrapTextBounded, {wrapAnsi, cliTruncate}, 'Object.keys(cache).length');
		const modes = ['wrap', 'truncate', 'truncate-middle', 'truncate-start'];
		for (const [i, text] of values(textCacheLimit + 200).entries()) {
			const mode = modes[i % modes.length]!;
			expect(bounded.fn(text, 12, mode)).toBe(wrapText(text, 12, mode));
			expect(bounded.size()).toBeLessThanOrEqual(textCacheLimit);
		}
	});
});
