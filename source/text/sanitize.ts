// Everything a server sends us (keys, values, rows, error messages) passes through here before it
// is drawn or printed. Nothing that can move the cursor, retitle the window, write the clipboard,
// flip text direction or hide characters reaches the terminal raw: it is shown escaped instead.
import {isUtf8} from 'node:buffer';

/**
 * Text that is safe to put on a terminal: made only by sanitize() and its kin, the format helpers
 * and the `safe` template tag. A component that shows server text takes Safe, so the compiler
 * rejects a raw string there (issue 14).
 */
export type Safe = string & {readonly __safe: true};

// Escaped, by Unicode property rather than a hand list (issue 14, case 2): controls (C0, DEL, C1),
// format characters (bidi, zero-width, tag characters, BOM...), every Default_Ignorable code point
// (Hangul fillers, U+034F, variation selectors...), unassigned, private-use and lone surrogate
// code points (no agreed width, or no UTF-8 at all), and the line/paragraph separators.
const unsafeSet = '\\p{Cc}\\p{Cf}\\p{Default_Ignorable_Code_Point}\\p{Cn}\\p{Co}\\p{Cs}\\p{Zl}\\p{Zp}';
// made when first needed: building it costs ~1 ms of a start-up that prints only ASCII (`logs`, P9)
let dangerous: RegExp | undefined;
// The cheap check first: printable ASCII (nearly every key and line) needs no Unicode lookup.
const plainAscii = /^[\u0020-\u007e]*$/;
const plainAsciiLines = /^[\n\u0020-\u007e]*$/;

function escapeChar(ch: string): string {
	const code = ch.codePointAt(0)!;
	// \xHH only for ASCII: keyText shows a byte that is not UTF-8 as \xHH, so U+00AD (a character)
	// shown as \xad looked like the byte 0xad (two keys, one line)
	if (code <= 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
	// a lone U+DC80..U+DCFF is a byte that is not UTF-8 kept in a key name (backends/redis/key-bytes.ts):
	// shown as that byte, as keyText shows it, wherever a key is drawn with sanitize alone (the Monitor)
	if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16)}`;
	if (code > 0xffff) return `\\u{${code.toString(16)}}`;
	return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of untrusted text: every control (newline and tab included) shown escaped. */
export function sanitize(text: string): Safe {
	if (plainAscii.test(text)) return text as Safe;
	dangerous ??= new RegExp(`[${unsafeSet}]`, 'gu');
	return text.replace(dangerous, escapeChar) as Safe;
}

/**
 * Untrusted text shown so that it cannot be mistaken: a real backslash as `\\`, then sanitize(), so
 * the four characters `\x1b` typed into a query or an application_name never look like a real ESC
 * shown escaped (as keyText does for Redis keys).
 */
export function sanitizeExact(text: string): Safe {
	return sanitize(text.includes('\\') ? text.replaceAll('\\', '\\\\') : text);
}

/**
 * Untrusted text in double quotes for a one-line message (`"evil\x1b]0;T\x07.db" is not a backup
 * name`): a quote or backslash in it escaped by a backslash, controls as sanitize() shows them
 * everywhere else (never JSON's `\u001b`).
 */
export function quote(text: string): Safe {
	return `"${sanitize(text.replace(/["\\]/g, ch => `\\${ch}`))}"` as Safe;
}

/** Multi-line untrusted text: keeps newlines, turns tabs into two spaces, escapes the rest. */
export function sanitizeMultiline(text: string): Safe {
	return text
		.split(/\r?\n/)
		.map(line => sanitize(line.replaceAll('\t', '  ')))
		.join('\n') as Safe;
}

/** Text for a pipe or a log: keeps newlines as they are, escapes everything else (tabs and CR too). */
export function sanitizeLines(text: string): Safe {
	if (plainAsciiLines.test(text)) return text as Safe;
	return text.split('\n').map(sanitize).join('\n') as Safe;
}

/**
 * A line put together from code's own words and Safe parts: safe`${name}  ${formatCount(n)}`.
 * Only literals written in the source and Safe values (or numbers) go in, so nothing is escaped.
 */
export function safe(strings: TemplateStringsArray, ...values: readonly (Safe | number)[]): Safe {
	let out = strings[0]!;
	for (let i = 0; i < values.length; i++) out += String(values[i]) + strings[i + 1]!;
	return out as Safe;
}

/**
 * For a parameter as `message: T & Shown<T>` (T extends string): a literal written in the code
 * ('cancelled: nothing was done', or a choice of literals) or Safe text; any other string is refused
 * by the compiler.
 */
export type Shown<T extends string> = string extends T ? Safe : T;

/** Safe parts joined by a literal separator. */
export function joinSafe(parts: readonly Safe[], separator: string): Safe {
	return parts.join(sanitize(separator)) as Safe;
}

/** Hex dump of bytes, e.g. `\x00\xff` style, bounded to `max` bytes. */
export function hex(bytes: Uint8Array, max = 4096): Safe {
	const shown = bytes.subarray(0, max);
	let out = '';
	for (const byte of shown) out += `\\x${byte.toString(16).padStart(2, '0')}`;
	if (bytes.length > max) out += ` … (${bytes.length - max} more bytes)`;
	return out as Safe;
}

export function isBinary(bytes: Uint8Array): boolean {
	if (!isUtf8(bytes)) return true;
	// Valid UTF-8 that is mostly NULs or controls is still binary for a person. Mostly: more than
	// half. At a tenth, a short hash field or zset member with one escape sequence (`f\x1b[2J`) was
	// dumped byte by byte (`\x66\x1b\x5b…`) while a longer string read `clr\x1b[2Jafter` (defect 12).
	let controlCount = 0;
	const n = Math.min(bytes.length, 4096);
	for (let i = 0; i < n; i++) {
		const b = bytes[i]!;
		if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) controlCount++;
	}
	return n > 0 && controlCount / n > 0.5;
}

/** Bytes from a server: text when it is text (sanitized), hex when it is binary. */
export function sanitizeBytes(bytes: Uint8Array, max = 4096): Safe {
	if (isBinary(bytes)) return hex(bytes, max);
	return sanitize(Buffer.from(bytes).toString('utf8'));
}

// JSON.stringify escapes C0 controls and lone surrogates but leaves DEL, C1 controls (0x9B is CSI
// to some terminals), bidi overrides, tag characters and the other invisibles raw. The same set as
// sanitize() is escaped as \uXXXX (a surrogate pair for astral ones): the JSON means the same data.
// (not the newlines of pretty-printed JSON: inside strings JSON.stringify already wrote them as \n)
const jsonUnsafe = new RegExp(`[[${unsafeSet}]--[\\n]]`, 'gv');
// JSON.stringify already escaped every C0 control: only non-ASCII text (or DEL) needs the lookup.
const jsonAscii = /^[\u0000-\u007e]*$/;

function jsonEscape(ch: string): string {
	let out = '';
	for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
	return out;
}

/** JSON text that is safe to print on a terminal: same data, nothing a terminal acts on. */
export function jsonText(value: unknown, space?: number): Safe {
	const text = JSON.stringify(value, null, space);
	// JSON.stringify(undefined) is undefined: callers pass data, but keep the type honest
	if (text === undefined) return 'null' as Safe;
	if (jsonAscii.test(text)) return text as Safe;
	return text.replace(jsonUnsafe, jsonEscape) as Safe;
}
