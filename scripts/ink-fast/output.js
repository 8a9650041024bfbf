// A drop-in for ink/build/output.js (Ink 6), swapped in by scripts/bundle.mjs. Ink builds every frame
// from scratch: a grid of one object per cell, every line of text tokenized into styled characters,
// every row turned back into a string — for the whole screen, even when one clock digit changed.
// In a console left open all day that is most of its idle CPU (bench P5b/P5c). This version gives
// the same string for the same operations (test/console/ink-output.test.ts compares the two), but
//   - the tokenizing and width caches live across frames (bounded), and
//   - a row is composed only when what is written on it differs from a row composed before: the
//     composed string is cached under the row's exact inputs (width, and each write's x and text).
// The clipping and transformer logic is Ink's, line for line.
//
// Memory (issue 16, point 8): under `demo --traffic` every tick draws new lines, and the caches, 4,000
// entries each, filled up: ansi-tokenize's styled characters (`{...token, styles: [...codes]}`, each
// given a V8 map of its own: ~330 bytes a character) held ~130 MB (RSS 96 → 264 MB). Now a character
// is one fixed-shape object sharing its style array (~70 bytes), and each cache forgets everything
// once it holds cacheCharLimit characters (a few MB at most).
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize} from '@alcalzone/ansi-tokenize';

/** characters (keys and values) one cache holds before it starts over: many screens of 100x30, a few of 250x70 */
export const cacheCharLimit = 128_000;

/** A Map that forgets everything once what it holds passes cacheCharLimit characters. */
class BoundedCache {
	#map = new Map();
	#held = 0;

	get(key) {
		return this.#map.get(key);
	}

	set(key, value, size) {
		if (this.#held + size > cacheCharLimit) {
			this.#map.clear();
			this.#held = 0;
		}
		this.#map.set(key, value);
		this.#held += size;
		return value;
	}

	get held() {
		return this.#held;
	}
}

/**
 * ansi-tokenize's styledCharsFromTokens with a fixed-shape object per character, and one style array
 * per run of equally styled characters (reduceAnsiCodesIncremental returns a new array whenever the
 * style changes, and nothing here or in Ink mutates one).
 */
function styledCharsOf(line) {
	let codes = [];
	const out = [];
	for (const token of tokenize(line)) {
		if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
		else if (token.type === 'char') out.push({type: 'char', value: token.value, fullWidth: token.fullWidth, styles: codes});
	}
	return out;
}

const widths = new BoundedCache();
const blockWidths = new BoundedCache();
const styledChars = new BoundedCache();
const rowCache = new BoundedCache();

/** Characters the caches hold now (test/console/ink-output.test.ts checks they stay bounded). */
export function cachedChars() {
	return widths.held + blockWidths.held + styledChars.held + rowCache.held;
}

const caches = {
	getStyledChars(line) {
		return styledChars.get(line) ?? styledChars.set(line, styledCharsOf(line), 2 * line.length);
	},
	getStringWidth(text) {
		return widths.get(text) ?? widths.set(text, stringWidth(text), text.length);
	},
	getWidestLine(text) {
		let cached = blockWidths.get(text);
		if (cached === undefined) {
			let lineWidth = 0;
			for (const line of text.split('\n')) lineWidth = Math.max(lineWidth, caches.getStringWidth(line));
			cached = blockWidths.set(text, lineWidth, text.length);
		}
		return cached;
	},
};

/** a and b hold the same codes in the same order: no code is needed between them */
function sameStyles(a, b) {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
	return true;
}

const noStyles = [];
const blank = {type: 'char', value: ' ', fullWidth: false, styles: noStyles};

/**
 * ansi-tokenize's styledCharsToString, the same string, without its diff between two characters of
 * the same style: that diff made three Sets and two arrays per character (most of what an idle
 * Status tab allocated: a few changed rows a second, 100 characters each). Only where the style
 * changes does it diff, as ansi-tokenize does.
 */
function styledCharsToString(chars) {
	let ret = '';
	for (let i = 0; i < chars.length; i++) {
		const char = chars[i];
		if (i === 0) {
			if (char.styles.length > 0) ret += ansiCodesToString(char.styles);
		} else {
			const previous = chars[i - 1].styles;
			if (!sameStyles(previous, char.styles)) ret += ansiCodesToString(diffAnsiCodes(previous, char.styles));
		}
		ret += char.value;
		// reset active styles at the end of the string
		if (i === chars.length - 1 && char.styles.length > 0) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
	}
	return ret;
}

/** Ink's composition of one row: blank cells, then each write's styled characters in order. */
function composeRow(width, writes) {
	const row = [];
	// (one blank for every cell: nothing changes a cell, a write replaces it)
	for (let x = 0; x < width; x++) row.push(blank);
	for (const {x, line} of writes) {
		const characters = caches.getStyledChars(line);
		let offsetX = x;
		for (const character of characters) {
			row[offsetX] = character;
			const characterWidth = Math.max(1, caches.getStringWidth(character.value));
			if (characterWidth > 1) {
				for (let index = 1; index < characterWidth; index++) {
					row[offsetX + index] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
				}
			}
			offsetX += characterWidth;
		}
	}
	return styledCharsToString(row.filter(item => item !== undefined)).trimEnd();
}

export default class Output {
	width;
	height;
	operations = [];
	caches = caches;

	constructor(options) {
		const {width, height} = options;
		this.width = width;
		this.height = height;
	}

	write(x, y, text, options) {
		const {transformers} = options;
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers});
	}

	clip(clip) {
		this.operations.push({type: 'clip', clip});
	}

	unclip() {
		this.operations.push({type: 'unclip'});
	}

	get() {
		// what each row receives, in order: [x, line] after clipping and transformers
		const rows = [];
		for (let y = 0; y < this.height; y++) rows.push([]);
		const clips = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			if (operation.type === 'unclip') clips.pop();
			if (operation.type === 'write') {
				const {text, transformers} = operation;
				let {x, y} = operation;
				let lines = text.split('\n');
				const clip = clips.at(-1);
				if (clip) {
					const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
					const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
					if (clipHorizontally) {
						const width = caches.getWidestLine(text);
						if (x + width < clip.x1 || x > clip.x2) continue;
					}
					if (clipVertically) {
						const height = lines.length;
						if (y + height < clip.y1 || y > clip.y2) continue;
					}
					if (clipHorizontally) {
						lines = lines.map(line => {
							const from = x < clip.x1 ? clip.x1 - x : 0;
							const width = caches.getStringWidth(line);
							const to = x + width > clip.x2 ? clip.x2 - x : width;
							return sliceAnsi(line, from, to);
						});
						if (x < clip.x1) x = clip.x1;
					}
					if (clipVertically) {
						const from = y < clip.y1 ? clip.y1 - y : 0;
						const height = lines.length;
						const to = y + height > clip.y2 ? clip.y2 - y : height;
						lines = lines.slice(from, to);
						if (y < clip.y1) y = clip.y1;
					}
				}
				let offsetY = 0;
				for (let [index, line] of lines.entries()) {
					const row = rows[y + offsetY];
					if (!row) continue;
					for (const transformer of transformers) line = transformer(line, index);
					row.push({x, line});
					offsetY++;
				}
			}
		}
		const out = [];
		for (const writes of rows) {
			if (writes.length === 0) {
				out.push('');
				continue;
			}
			// the row's exact inputs, unambiguous (lengths before each text)
			let key = `${this.width}`;
			for (const {x, line} of writes) key += `|${x}:${line.length}:${line}`;
			let composed = rowCache.get(key);
			if (composed === undefined) {
				composed = composeRow(this.width, writes);
				rowCache.set(key, composed, key.length + composed.length);
			}
			out.push(composed);
		}
		return {output: out.join('\n'), height: rows.length};
	}
}
