// The bundle's Ink leaves a text's yoga node clean when its new value takes the same cells as the
// old one (scripts/patches.mjs, inkDomText: idle CPU, bench P5b), so yoga keeps the layout it
// computed. That is only right if such a text measures the same as the old one at every width and
// in every wrap mode Ink measures it with: checked here against Ink's own measure (measure-text and
// wrap-text, as dom.js's measureTextNode calls them) for random pairs, coloured parts included; and
// pairs that differ in a way that can change the measure are not taken for the same.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {inkDomText, sameCellsSource} from '../../scripts/patches.mjs';

// (Ink's own files, past its package exports)
const ink = path.resolve(import.meta.dirname, '../../node_modules/ink/build');
const {default: measureText} = (await import(pathToFileURL(path.join(ink, 'measure-text.js')).href)) as {default: (text: string) => {width: number; height: number}};
const {default: wrapText} = (await import(pathToFileURL(path.join(ink, 'wrap-text.js')).href)) as {default: (text: string, width: number, mode: string) => string};

const sameCells = new Function(`${sameCellsSource}\nreturn sameCells;`)() as (a: string, b: string) => boolean;

/** dom.js's measureTextNode for a text at a width */
function measure(text: string, width: number, textWrap: string) {
	const dimensions = measureText(text);
	if (dimensions.width <= width) return dimensions;
	if (dimensions.width >= 1 && width > 0 && width < 1) return dimensions;
	return measureText(wrapText(text, width, textWrap));
}

const modes = ['wrap', 'truncate', 'truncate-end', 'truncate-middle', 'truncate-start', 'end', 'middle'];
const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:.,/-()%     ';

function random(seed: number) {
	let s = seed;
	return () => {
		s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
		return s / 2_147_483_648;
	};
}

describe('the bundle\'s Ink: a text changed to the same cells keeps its layout', () => {
	it('measures the same as the old text at every width and wrap mode, whenever the patch leaves it clean', () => {
		const rand = random(7);
		let checked = 0;
		for (let n = 0; n < 1000; n++) {
			const length = 1 + Math.floor(rand() * 40);
			let old = '';
			for (let i = 0; i < length; i++) old += alphabet[Math.floor(rand() * alphabet.length)];
			// the new value: the same spaces, other characters swapped at random
			let next = '';
			for (const ch of old) next += ch === ' ' || rand() < 0.5 ? ch : alphabet[Math.floor(rand() * (alphabet.length - 5))];
			expect(sameCells(old, next)).toBe(true);
			// the text as Ink squashes it: a label before, a coloured value in the middle, more after
			const before = rand() < 0.5 ? '  label ' : '';
			const after = rand() < 0.5 ? '\u001B[2m  (current)\u001B[22m' : '';
			const a = `${before}\u001B[32m${old}\u001B[39m${after}`;
			const b = `${before}\u001B[32m${next}\u001B[39m${after}`;
			for (const mode of modes) {
				for (let width = 1; width <= 60; width += 1 + Math.floor(rand() * 3)) {
					expect(measure(b, width, mode), `${JSON.stringify(a)} → ${JSON.stringify(b)} at ${width}, ${mode}`).toEqual(measure(a, width, mode));
					checked++;
				}
			}
		}
		expect(checked).toBeGreaterThan(20_000);
	});

	it('marks the text dirty for any other change: length, a space moved, a wide, control or non-ASCII character', () => {
		expect(sameCells('12:03:45', '12:03:46')).toBe(true);
		expect(sameCells('0.4ms', '1.2ms')).toBe(true);
		expect(sameCells('9.9ms', '10ms')).toBe(false);
		expect(sameCells('a b', 'ab ')).toBe(false);
		expect(sameCells('ab', '漢')).toBe(false);
		expect(sameCells('ab', 'a\u0007')).toBe(false);
		expect(sameCells('abc', 'ab\u00e9')).toBe(false);
		expect(sameCells('ab\u001B', 'abc')).toBe(false);
		// and a pair it refuses can measure differently (the check is needed, not just cautious)
		expect(measure('aa bb cc dd', 4, 'wrap')).not.toEqual(measure('aabbccdd   ', 4, 'wrap'));
		expect(sameCells('aa bb cc dd', 'aabbccdd   ')).toBe(false);
	});

	it('is applied to the dom.js Ink 6.8.0 ships, the one place Ink marks a changed text dirty', () => {
		const file = path.join(ink, 'dom.js');
		const patched = inkDomText(fs.readFileSync(file, 'utf8'), file);
		expect(patched).toContain('if (typeof old === \'string\' && sameCells(old, text)) return;\n    markNodeAsDirty(node);');
		expect(patched.match(/markNodeAsDirty\(/g)?.length).toBe(fs.readFileSync(file, 'utf8').match(/markNodeAsDirty\(/g)?.length);
	});
});
