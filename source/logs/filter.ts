// Which lines to keep: a regular expression (--grep, the tab's `/` with a regex), plain text in any
// case (the tab's `/`), a level and worse (--level, the tab's `e`/`w`). One compiled filter serves
// three readers: line by line (tail, follow), whole chunks at once (grep.ts: `scan` finds candidate
// lines, `test` decides), and the presenter's highlighting (`ranges`).
import {regexpFallback} from '../regexp-fallback.js';
import {levelPasses, levelPrefilter, lineLevel, type Level, type LevelFilter} from './level.js';
import type {LogLine} from './lines.js';
import {requiredLiterals} from './literals.js';
import {exponentialRisk} from './regex-risk.js';

export type FilterSpec = {
	/** a JavaScript regular expression, case-sensitive like grep; `/re/i` gives flags */
	readonly grep?: string;
	/** plain text, matched in any case */
	readonly text?: string;
	readonly level?: LevelFilter;
};

/**
 * How grep.ts finds candidate lines in a chunk: the exact bytes (fastest); the text every match
 * must hold (literals.ts), in the bytes, then the regex on those lines only; or a regex over the
 * decoded chunk. `asciiOnly`: the regex can match ASCII characters only, so it finds the same lines
 * in the chunk decoded byte for byte (latin1, no UTF-8 decoding) as in its UTF-8 text.
 */
export type Scan = {readonly literal: Buffer} | {readonly literals: readonly Buffer[]} | {readonly regex: RegExp; readonly asciiOnly: boolean};

export type LineFilter = {
	readonly spec: FilterSpec;
	/** `known`: the line's level when its source says it (journald) */
	test(text: string, known?: Level): boolean;
	/** test() for a LogLine (a cut line is matched on the part that was kept) */
	passes(line: LogLine): boolean;
	/** every line that passes contains a match of this (a superset: test() decides) */
	readonly scan: Scan;
	/**
	 * a match of `scan` inside one line is all it takes (only --grep, and no lookbehind that would
	 * see the line before): test() need not run again on that line
	 */
	readonly scanDecides: boolean;
	/** where the regex or the text matches in `text`, for highlighting ([start, end) in characters) */
	ranges(text: string): Array<readonly [number, number]>;
};

/** --grep is not a valid regular expression (exit 2). */
export class FilterError extends Error {}

const metachars = /[\\^$.*+?()[\]{}|]/;
const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** `/re/flags` (flags: i s u v, or one or two other letters: refused below); anything else is plain. */
export const slashedRegex = /^\/(.+)\/([isuv]*|[A-Za-z]{1,2})$/s;

/**
 * `--grep` as a RegExp: `/source/flags` takes flags (i, s, u, v), anything else is the source as it
 * is. Refused (FilterError): an invalid regex, other flags, and a pattern that can backtrack
 * exponentially (regex-risk.ts) — Node cannot stop a regex once it runs.
 */
export function grepRegex(value: string): RegExp {
	const slashed = slashedRegex.exec(value);
	const [source, flags] = slashed ? [slashed[1]!, slashed[2]!] : [value, ''];
	if (!/^[isuv]*$/.test(flags)) throw new FilterError(`--grep has an unknown regex flag in ${value}: only i, s, u and v are taken (to match the text itself, write it without the first /)`);
	let regex: RegExp;
	// (V8's linear-time engine takes over a regex that backtracks too much: decided as it is compiled)
	regexpFallback();
	try {
		regex = new RegExp(source, flags);
	} catch (error) {
		throw new FilterError(`--grep is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
	}
	const risk = exponentialRisk(regex);
	if (risk) throw new FilterError(`--grep is refused: ${risk}`);
	return regex;
}

/**
 * Whether a regex can match ASCII characters only (conservative: `.`, negated classes, \\W \\S \\D \\s,
 * escapes above 0x7f, non-ASCII text or the u/v flags say no). Such a regex finds a line in bytes
 * decoded as latin1 exactly when it finds it in the UTF-8 text: what it matches is the same bytes.
 */
export function asciiOnly(regex: RegExp): boolean {
	if (/[uv]/.test(regex.flags)) return false;
	const source = regex.source;
	if (/[^\x00-\x7f]/.test(source)) return false;
	let inClass = false;
	for (let i = 0; i < source.length; i++) {
		const ch = source[i]!;
		if (ch === '\\') {
			const next = source[i + 1] ?? '';
			if ('WSDspPk'.includes(next)) return false;
			if (next === 'x' && parseInt(source.slice(i + 2, i + 4), 16) > 0x7f) return false;
			if (next === 'u') return false;
			i++;
		} else if (inClass) {
			if (ch === ']') inClass = false;
		} else if (ch === '[') {
			if (source[i + 1] === '^') return false;
			inClass = true;
		} else if (ch === '.') {
			return false;
		}
	}
	return true;
}

/** The filter for a spec; undefined when it keeps every line. */
export function compileFilter(spec: FilterSpec): LineFilter | undefined {
	const grep = spec.grep === undefined || spec.grep === '' ? undefined : grepRegex(spec.grep);
	const text = spec.text ? new RegExp(escape(spec.text), 'i') : undefined;
	const level = spec.level;
	if (!grep && !text && !level) return undefined;
	const test = (line: string, known?: Level) => (!grep || grep.test(line)) && (!text || text.test(line)) && (!level || levelPasses(known ?? lineLevel(line), level));
	const search = grep ?? text;
	let scan: Scan;
	const literal = grep !== undefined && !grep.flags.includes('i') && !metachars.test(grep.source) && !grep.source.includes('\n') && !grep.source.includes('\r');
	const required = grep && !literal ? requiredLiterals(grep) : undefined;
	if (literal) scan = {literal: Buffer.from(grep.source)};
	else if (required) scan = {literals: required};
	else if (search) scan = {regex: new RegExp(search.source, `${search.flags}gm`), asciiOnly: asciiOnly(search)};
	else scan = {regex: new RegExp(levelPrefilter(level!).source, 'gim'), asciiOnly: true};
	const marks = [grep, text].filter((r): r is RegExp => r !== undefined).map(r => new RegExp(r.source, `${r.flags}g`));
	return {
		spec,
		test,
		passes: line => test(line.text, line.level),
		scan,
		scanDecides: grep !== undefined && !text && !level && !/\(\?<[=!]/.test(grep.source),
		ranges(line) {
			const found: Array<readonly [number, number]> = [];
			for (const mark of marks) {
				mark.lastIndex = 0;
				for (let m = mark.exec(line); m; m = mark.exec(line)) {
					if (m[0].length === 0) {
						mark.lastIndex++;
						continue;
					}
					found.push([m.index, m.index + m[0].length]);
				}
			}
			return found.sort((a, b) => a[0] - b[0]);
		},
	};
}
