// Human formatting of sizes, durations, counts and times. Pure functions. What they return is made
// of digits and units only, so it is Safe (sanitize.ts) to show as it is.
import stringWidth from 'string-width';
import {formatCount} from './numbers.js';
import type {Safe} from './sanitize.js';

export {formatBytes, formatCount} from './numbers.js';

/** 1500 → "1.5s", 90_000 → "1m30s", 86_400_000 → "1d0h". */
export function formatDuration(ms: number | undefined | null): Safe {
	if (ms === undefined || ms === null || !Number.isFinite(ms)) return '-' as Safe;
	if (ms < 0) return '-' as Safe;
	// boundaries where rounding would print the next unit's value (1000ms, 10.0s, 60s) move down
	if (ms < 999.5) return `${Math.round(ms)}ms` as Safe;
	const s = ms / 1000;
	if (s < 9.95) return `${s.toFixed(1)}s` as Safe;
	if (s < 59.5) return `${Math.round(s)}s` as Safe;
	const totalSeconds = Math.round(s);
	const d = Math.floor(totalSeconds / 86_400);
	const h = Math.floor((totalSeconds % 86_400) / 3600);
	const m = Math.floor((totalSeconds % 3600) / 60);
	const sec = totalSeconds % 60;
	if (d > 0) return `${d}d${h}h` as Safe;
	if (h > 0) return `${h}h${String(m).padStart(2, '0')}m` as Safe;
	return `${m}m${String(sec).padStart(2, '0')}s` as Safe;
}

/** Redis PTTL semantics: -1 no expiry, -2 gone. */
export function formatTtl(pttl: number | undefined | null): Safe {
	if (pttl === undefined || pttl === null) return '-' as Safe;
	if (pttl === -1) return 'none' as Safe;
	if (pttl === -2) return 'gone' as Safe;
	return formatDuration(pttl);
}

/**
 * A count with its noun: "1 key", "2 keys", "1,234 keys"; `many` for a plural that is not `one` + s
 * ("1 entry", "2 entries"). The nouns are literals in opsdeck's code, so the result is Safe.
 */
export function plural(n: number, one: string, many = `${one}s`): Safe {
	return `${formatCount(n)} ${n === 1 ? one : many}` as Safe;
}

export function formatDelta(n: number): Safe {
	if (n > 0) return `+${formatCount(n)}` as Safe;
	if (n < 0) return `-${formatCount(-n)}` as Safe;
	return '0' as Safe;
}

export function formatPercent(ratio: number | undefined | null, digits = 1): Safe {
	if (ratio === undefined || ratio === null || !Number.isFinite(ratio)) return '-' as Safe;
	return `${(ratio * 100).toFixed(digits)}%` as Safe;
}

/** 10:15:32 in local time. */
export function formatClock(date: Date): Safe {
	return date.toTimeString().slice(0, 8) as Safe;
}

/** 2025-12-04 10:30:00 (UTC) */
export function formatDateTime(date: Date | number): Safe {
	const d = typeof date === 'number' ? new Date(date) : date;
	return d.toISOString().replace('T', ' ').slice(0, 19) as Safe;
}

/** Cut to width with an ellipsis; pad to width when pad is set. Safe in, Safe out. */
export function fit(text: Safe, width: number, pad?: boolean): Safe;
export function fit(text: string, width: number, pad?: boolean): string;
export function fit(text: string, width: number, pad = false): string {
	if (width <= 0) return '';
	const chars = Array.from(text);
	let out = chars.length > width ? chars.slice(0, Math.max(0, width - 1)).join('') + '…' : text;
	if (pad && chars.length < width) out += ' '.repeat(width - chars.length);
	return out;
}

const printableAscii = /^[\u0020-\u007e]*$/;

/** The terminal cells text takes: a wide character two, a combining mark none (string-width, as Ink measures). */
export function cellWidth(text: string): number {
	return printableAscii.test(text) ? text.length : stringWidth(text);
}

// What sanitize and keyText write for a byte or a character they escape (\\, \xHH, \uXXXX, \u{X…}):
// a cut inside one would show another byte or character, or a lone backslash.
const shownEscape = /\\(?:\\|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4})/g;
let graphemes: Intl.Segmenter | undefined;
/** where a name splits into words: a cut is better just after one of these */
const separator = /^[:_ -]$/;

/** The pieces a cut may fall between: whole escapes and whole characters (graphemes), with their cells. */
function pieces(text: string): {readonly text: string; readonly width: number}[] {
	const out: {text: string; width: number}[] = [];
	const plain = (chunk: string) => {
		if (printableAscii.test(chunk)) {
			for (const ch of chunk) out.push({text: ch, width: 1});
			return;
		}
		// made on first use: loading ICU's segmentation costs start-up time a plain key never needs
		graphemes ??= new Intl.Segmenter();
		for (const {segment} of graphemes.segment(chunk)) out.push({text: segment, width: stringWidth(segment)});
	};
	let last = 0;
	for (const match of text.matchAll(shownEscape)) {
		plain(text.slice(last, match.index));
		out.push({text: match[0], width: match[0].length});
		last = match.index + match[0].length;
	}
	plain(text.slice(last));
	return out;
}

/**
 * Cut to `width` terminal cells in the middle, keeping both ends: the end of a key, a backup name or
 * a URL is often what tells it from its neighbours (`chat:BZLLP379:…ctions:42`, not `chat:BZLLP379…`
 * for every reaction key of a chat). A Redis key's first two `:` parts (namespace and id) stay
 * whole when they leave a few cells for the end. Escapes (\xHH) and wide characters are never
 * split; pad fills to exactly `width` cells. Safe in, Safe out.
 */
export function fitMiddle(text: Safe, width: number, pad?: boolean): Safe;
export function fitMiddle(text: string, width: number, pad?: boolean): string;
export function fitMiddle(text: string, width: number, pad = false): string {
	if (width <= 0) return '';
	const total = cellWidth(text);
	if (total <= width) return pad ? text + ' '.repeat(width - total) : text;
	const budget = width - 1;
	let tailRoom = Math.floor(budget / 2);
	const secondColon = text.indexOf(':', text.indexOf(':') + 1);
	if (secondColon > 0) {
		const lead = cellWidth(text.slice(0, secondColon));
		if (lead <= budget - 3) tailRoom = Math.min(tailRoom, budget - lead);
	}
	const parts = pieces(text);
	let used = 0;
	let next = 0;
	for (; next < parts.length && used + parts[next]!.width <= budget - tailRoom; next++) used += parts[next]!.width;
	// a head that ends a few cells into a word ends before it (`chat:X:reactions:…`, not `…:03c…`)
	for (let i = next - 1, back = 0; i > 0 && back < 3 && next < parts.length && !separator.test(parts[next]!.text); back += parts[i]!.width, i--) {
		if (!separator.test(parts[i]!.text)) continue;
		for (let j = i + 1; j < next; j++) used -= parts[j]!.width;
		next = i + 1;
		break;
	}
	const head = parts.slice(0, next).map(part => part.text).join('');
	// what the head could not use (a wide character or an escape that did not fit) goes to the end
	let tail = '';
	for (let i = parts.length - 1; i >= next && used + parts[i]!.width <= budget; i--) {
		tail = parts[i]!.text + tail;
		used += parts[i]!.width;
	}
	const out = `${head}…${tail}`;
	return pad ? out + ' '.repeat(Math.max(0, width - used - 1)) : out;
}

/**
 * Lines of at most `width` cells: broken at spaces, a word longer than a line broken between
 * characters (never inside an escape). For text a dialog must show whole (paths, keys, plans).
 */
export function wrapCells(text: Safe, width: number): Safe[];
export function wrapCells(text: string, width: number): string[];
export function wrapCells(text: string, width: number): string[] {
	const room = Math.max(1, width);
	const lines: string[] = [];
	let line = '';
	let used = 0;
	const flush = () => {
		lines.push(line.trimEnd());
		line = '';
		used = 0;
	};
	for (const word of text.split(/(?<= )/)) {
		const w = cellWidth(word);
		const visible = cellWidth(word.trimEnd());
		if (used + visible <= room || visible <= room) {
			if (used > 0 && used + visible > room) flush();
			line += word;
			used += w;
			continue;
		}
		// longer than a line: from where the line is, broken where the line ends
		for (const piece of pieces(word)) {
			if (used > 0 && used + piece.width > room && piece.text !== ' ') flush();
			line += piece.text;
			used += piece.width;
		}
	}
	if (line !== '' || lines.length === 0) flush();
	return lines;
}
