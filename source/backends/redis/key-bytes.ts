// A Redis key is bytes, not text. Keys travel through opsdeck as JS strings that keep those bytes
// exactly (issue 14, point 3): valid UTF-8 decodes as usual, and each byte that is not part of
// valid UTF-8 becomes a lone low surrogate U+DC80..U+DCFF (Python's "surrogateescape"). Decoding
// UTF-8 never yields a lone surrogate, so two different byte strings never become the same string:
// `bin:\xff` and `bin:\xef\xbf\xbd` (U+FFFD) stay two keys. Such a string must never reach ioredis
// as text (it would be sent as U+FFFD): every command is given keyBytes(key).
import {isUtf8} from 'node:buffer';
import {sanitize, type Safe} from '../../text/sanitize.js';

/** a lone low surrogate of the escape range (not the second half of a surrogate pair) */
const escapedByte = /(?<![\ud800-\udbff])[\udc80-\udcff]/;
const lowSurrogate = /[\udc80-\udcff]/;
/** a cheap first test for keyText: a backslash, any low surrogate, or U+FFFD */
const maybeEscaped = /[\\\udc80-\udcff\ufffd]/;
/**
 * what keyText escapes before sanitize: a backslash, an escaped byte, and U+FFFD (shown \ufffd: it
 * is what a terminal or argv makes of a byte that is not UTF-8, so raw it names nothing for sure)
 */
const shownEscapes = new RegExp(`\\\\|\ufffd|${escapedByte.source}`, 'g');

/** The key name for these bytes (as SCAN returned them). */
export function keyFromBytes(bytes: Buffer): string {
	const text = bytes.toString('utf8');
	// U+FFFD in the decoded text: either a real U+FFFD or bytes that were not UTF-8
	if (!text.includes('\ufffd') || isUtf8(bytes)) return text;
	let out = '';
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i]!;
		if (b < 0x80) {
			out += String.fromCharCode(b);
			i++;
			continue;
		}
		const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
		let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
		let ok = need > 0;
		for (let n = 1; ok && n <= need; n++) {
			const c = bytes[i + n];
			if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
			else cp = (cp << 6) | (c & 0x3f);
		}
		const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
		if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
			out += String.fromCodePoint(cp);
			i += need + 1;
		} else {
			out += String.fromCharCode(0xdc00 + b);
			i++;
		}
	}
	return out;
}

/** True when the key is not valid UTF-8 (it holds escaped bytes). */
export function isBinaryKey(key: string): boolean {
	// the plain class first: the lookbehind only runs for the rare key with a low surrogate
	return lowSurrogate.test(key) && escapedByte.test(key);
}

/** The exact bytes of a key, for a command (a plain string when the key is UTF-8: ioredis sends it as is). */
export function keyBytes(key: string): string | Buffer {
	if (!isBinaryKey(key)) return key;
	const parts: Buffer[] = [];
	let text = '';
	for (let i = 0; i < key.length; i++) {
		const unit = key.charCodeAt(i);
		const lone = unit >= 0xdc80 && unit <= 0xdcff && !(i > 0 && key.charCodeAt(i - 1) >= 0xd800 && key.charCodeAt(i - 1) <= 0xdbff);
		if (!lone) {
			text += key[i];
			continue;
		}
		parts.push(Buffer.from(text, 'utf8'), Buffer.from([unit - 0xdc00]));
		text = '';
	}
	parts.push(Buffer.from(text, 'utf8'));
	return Buffer.concat(parts);
}

/** The key's bytes in hex (for JSON: the unambiguous name of a key that is not UTF-8). */
export function keyHex(key: string): string {
	const bytes = keyBytes(key);
	return (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('hex');
}

/**
 * How a key is shown: a backslash doubled, each byte that is not UTF-8 as `\xHH`, and controls and
 * invisible characters escaped by sanitize. The empty name (legal in Redis) is `""`, not nothing (a
 * blank row, a delete dialog naming no key); the one key literally named `""` is then `\x22\x22`.
 * Two different keys never look the same, and parseKeyName reads the shown form back to the key
 * (`opsdeck inspect` takes what `keys` printed).
 */
export function keyText(key: string): Safe {
	if (key.length <= 2 && (key === '' || key === '""')) return sanitize(key === '' ? '""' : '\\x22\\x22');
	// the common key has neither: one quick scan, then only sanitize (`opsdeck keys` on 1M keys)
	if (!maybeEscaped.test(key)) return sanitize(key);
	return sanitize(key.replace(shownEscapes, ch => (ch === '\\' ? '\\\\' : ch === '\ufffd' ? '\\ufffd' : `\\x${(ch.charCodeAt(0) - 0xdc00).toString(16)}`)));
}

/**
 * A key named on the command line in the form keyText shows: `\\` a backslash, `\xHH` a byte,
 * `\uXXXX` / `\u{X…}` a character, `""` (exactly) the empty name. Any other backslash stays as
 * typed. undefined when the name has no escape at all (it is the key as typed).
 */
export function parseKeyName(name: string): string | undefined {
	// keyText's form of the empty name
	if (name === '""') return '';
	if (!/\\(\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\})/.test(name)) return undefined;
	const bytes: number[] = [];
	const pushText = (text: string) => {
		for (const b of Buffer.from(text, 'utf8')) bytes.push(b);
	};
	const escape = /\\(?:(\\)|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\})/g;
	let last = 0;
	for (const match of name.matchAll(escape)) {
		pushText(name.slice(last, match.index));
		last = match.index + match[0].length;
		if (match[1]) bytes.push(0x5c);
		else if (match[2]) bytes.push(Number.parseInt(match[2], 16));
		else {
			const cp = Number.parseInt(match[3] ?? match[4]!, 16);
			// a code point that cannot be a character is kept as typed
			if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) pushText(match[0]);
			else pushText(String.fromCodePoint(cp));
		}
	}
	pushText(name.slice(last));
	return keyFromBytes(Buffer.from(bytes));
}

/**
 * A key or chat code typed on the command line, in the form `opsdeck keys` prints (\xHH a byte,
 * \\ a backslash, \uXXXX a character). A raw U+FFFD is refused: it is what Node makes of a byte
 * that is not UTF-8 in argv, so `chat show $'\xff' --clear` named the U+FFFD chat instead.
 * Returns the problem as text, or the name.
 */
export function nameFromArgument(typed: string): {readonly name: string} | {readonly problem: string} {
	if (typed.includes('\ufffd')) {
		return {problem: `${keyText(typed)} holds U+FFFD, which is also what a byte that is not UTF-8 becomes on a command line: write the byte as \\xHH (as opsdeck keys shows it) or the character as \\ufffd`};
	}
	return {name: parseKeyName(typed) ?? typed};
}
