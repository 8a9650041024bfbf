// A piece of a value (a member, a field, a string) as whole lines for a view `width` columns wide:
// JSON pretty-printed when it parses, a hexdump (offset, hex, ASCII) when it is binary, otherwise
// the text with its own line breaks, each line wrapped at the width — nothing cut at the edge.
import {prettyJson, shownBytes, type Shown} from '../cache/values.js';
import {formatBytes} from './format.js';
import {hexdumpLines} from './hexdump.js';
import {sanitize, sanitizeMultiline, type Safe} from './sanitize.js';

/**
 * A line cut into lines of at most `width` characters: after a space when there is one in the
 * second half of the piece (prose reads on), else at the width (a long token, a hex run).
 */
export function wrapLine(line: Safe, width: number): Safe[] {
	const chars = Array.from(line);
	const room = Math.max(1, width);
	const out: Safe[] = [];
	let at = 0;
	while (chars.length - at > room) {
		let cut = at + room;
		const space = chars.lastIndexOf(' ', cut - 1);
		if (space >= at + room / 2) cut = space + 1;
		out.push(chars.slice(at, cut).join('') as Safe);
		at = cut;
	}
	out.push(chars.slice(at).join('') as Safe);
	return out;
}

export type PieceKind = 'json' | 'binary' | 'text';

export function pieceKind(s: Shown): PieceKind {
	if (s.binary) return 'binary';
	return !s.truncated && prettyJson(s.text) !== undefined ? 'json' : 'text';
}

/** The piece as lines; a cut one ends with a line that says how much of it is shown. */
export function pieceLines(s: Shown, width: number): Safe[] {
	const kind = pieceKind(s);
	const lines = kind === 'binary'
		? hexdumpLines(shownBytes(s))
		: sanitizeMultiline(kind === 'json' ? prettyJson(s.text)! : s.text).split('\n').flatMap(line => wrapLine(line as Safe, width));
	if (s.truncated) lines.push(sanitize(`… ${formatBytes(kind === 'binary' ? shownBytes(s).length : Buffer.byteLength(s.text))} of ${formatBytes(s.bytes)} shown`));
	return lines;
}
