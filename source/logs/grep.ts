// The whole file, start to end, through a filter (`logs --grep`, `--level`, `--since`): large
// chunked reads into one reused buffer, candidates found per chunk rather than per line (the bytes
// themselves for a plain word or the text a regex's every match holds: Buffer.indexOf; else one
// regex run over the decoded chunk), and
// only the lines found become strings. Counts what `grep -c` counts: lines, the last one without
// its newline included. Without onLines it only counts (`--count`, count.ts): no line is made.
// A range [from, to) of line starts lets count.ts split a file between threads.
import {isAscii} from 'node:buffer';
import type {LineFilter} from './filter.js';
import {lineFrom, maxLineBytes, type LogLine} from './lines.js';
import type {LogFile} from './tail.js';

export type GrepOptions = {
	/** undefined: every line */
	readonly filter?: LineFilter;
	/** where to begin (a line start: --since's offset); default 0 */
	readonly from?: number;
	/** where to stop (a line start, or the end): default the size when it began */
	readonly to?: number;
	/** default 8 MB; a line longer than the buffer doubles it, up to 64 MB */
	readonly chunkBytes?: number;
	/** the buffer to read into first (instead of a new one of chunkBytes) */
	readonly buffer?: Buffer;
	readonly signal?: AbortSignal;
	/** each chunk's lines, in file order; awaited (the caller's backpressure); without it they are only counted */
	readonly onLines?: (lines: LogLine[]) => void | Promise<void>;
};

export type GrepResult = {
	readonly matched: number;
	readonly bytesRead: number;
	/** where it stopped: the size when it began (lines added later are a follower's) */
	readonly end: number;
};

const maxBuffer = 64 * 1024 * 1024;

export async function grepFile(file: LogFile, options: GrepOptions): Promise<GrepResult> {
	const limit = options.to ?? (await file.handle.stat()).size;
	const filter = options.filter;
	const onLines = options.onLines;
	let buf = options.buffer ?? Buffer.allocUnsafe(options.chunkBytes ?? 8 * 1024 * 1024);
	let filled = 0;
	let base = options.from ?? 0;
	let pos = base;
	let matched = 0;
	let bytesRead = 0;
	// what to look for in the bytes, chosen on the first bytes read
	let needles: Needles | undefined;
	while (pos < limit && !options.signal?.aborted) {
		if (filled === buf.length) {
			if (buf.length >= maxBuffer) {
				// a line longer than 64 MB: matched on its first 64 MB, the rest of it skipped
				const lines: LogLine[] = [];
				const found = region(buf, filled, base, filter, undefined, true, onLines && lines);
				const skipped = await skipToNewline(file, pos, limit);
				bytesRead += skipped.read;
				if (found > 0) {
					matched++;
					if (onLines) await onLines([{...lines[0]!, bytes: lines[0]!.bytes + skipped.read}]);
				}
				pos = skipped.next;
				base = pos;
				filled = 0;
				continue;
			}
			const bigger = Buffer.allocUnsafe(buf.length * 2);
			buf.copy(bigger, 0, 0, filled);
			buf = bigger;
		}
		const {bytesRead: n} = await file.handle.read(buf, filled, Math.min(buf.length - filled, limit - pos), pos);
		if (n === 0) break;
		pos += n;
		bytesRead += n;
		filled += n;
		const eof = pos >= limit;
		const lastNl = buf.lastIndexOf(0x0a, filled - 1);
		if (lastNl === -1 && !eof) continue;
		const end = eof ? filled : lastNl + 1;
		needles ??= filter && literalNeedles(filter, buf.subarray(0, Math.min(filled, sampleBytes)));
		const lines: LogLine[] = [];
		const found = region(buf, end, base, filter, needles, false, onLines && lines);
		if (found > 0) {
			matched += found;
			if (onLines) await onLines(lines);
		}
		buf.copy(buf, 0, end, filled);
		filled -= end;
		base += end;
	}
	return {matched, bytesRead, end: limit};
}

/**
 * How many lines of `buf[0, end)` (whole lines, the last maybe without its newline) pass; each one
 * pushed on `out` when given (none is made otherwise: a count).
 */
function region(buf: Buffer, end: number, base: number, filter: LineFilter | undefined, needles: Needles | undefined, oneLine: boolean, out: LogLine[] | undefined): number {
	const view = buf.subarray(0, end);
	if (oneLine) return keep(out, view, 0, end, base, filter, filter === undefined);
	if (!filter) return everyLine(view, base, out);
	if (needles) return literalLines(view, base, filter, needles.list, needles.decided, out);
	if ('regex' in filter.scan) return regexLines(view, base, filter, filter.scan.regex, filter.scan.asciiOnly, out);
	throw new Error('grep.ts: a literal scan without its needles');
}

/** A literal every match holds, looked for by a part of it (`part` at `offset`), then checked whole. */
type Needle = {readonly literal: Buffer; readonly part: Buffer; readonly offset: number};
type Needles = {readonly list: readonly Needle[]; readonly decided: boolean};

const sampleBytes = 64 * 1024;
// Buffer.indexOf looks for a needle of 6 bytes or fewer with a memchr of its first byte, for a longer
// one with Boyer-Moore-Horspool; in a log the first is faster when that byte is one of the rarer ones
// there (`status=5` found by `us=5`: 1 GB counted in three quarters of the CPU time, P9b)
const shortNeedle = 6;

/**
 * filter.scan's literals, each looked for by its part that starts at its byte rarest in `sample` (the
 * first bytes searched), at most 6 bytes long.
 */
function literalNeedles(filter: LineFilter, sample: Buffer): Needles | undefined {
	const scan = filter.scan;
	if ('regex' in scan) return undefined;
	const literals = 'literal' in scan ? [scan.literal] : scan.literals;
	const seen = new Uint32Array(256);
	for (let i = 0; i < sample.length; i++) seen[sample[i]!]++;
	const list = literals.map(literal => {
		let rarest = 0;
		for (let i = 1; i < literal.length; i++) if (seen[literal[i]!]! < seen[literal[rarest]!]!) rarest = i;
		// a short literal whose first byte is its rarest: itself
		const offset = rarest === 0 && literal.length <= shortNeedle ? 0 : rarest;
		return {literal, part: literal.subarray(offset, Math.min(literal.length, offset + shortNeedle)), offset};
	});
	return {list, decided: 'literal' in scan && filter.scanDecides};
}

/** Where needle's literal next starts in `view` at or after `from`, or -1. */
function nextLiteral(view: Buffer, needle: Needle, from: number): number {
	const {literal, part, offset} = needle;
	for (let at = view.indexOf(part, from + offset); at !== -1; at = view.indexOf(part, at + 1)) {
		const start = at - offset;
		if (part.length === literal.length) return start;
		if (start + literal.length <= view.length && holds(view, start, literal)) return start;
	}
	return -1;
}

/**
 * Whether `view` holds `literal` at `at` (in range): a byte loop here, not Buffer.compare, whose call
 * into C++ cost ~120 ns a candidate, a tenth of the CPU of P9b's count (700,000 candidates a GB).
 */
function holds(view: Buffer, at: number, literal: Buffer): boolean {
	for (let i = 0; i < literal.length; i++) if (view[at + i] !== literal[i]) return false;
	return true;
}

function lineEnd(view: Buffer, from: number): number {
	const nl = view.indexOf(0x0a, from);
	return nl === -1 ? view.length : nl;
}

function everyLine(view: Buffer, base: number, out: LogLine[] | undefined): number {
	let count = 0;
	for (let start = 0; start < view.length; count++) {
		const end = lineEnd(view, start);
		out?.push(lineFrom(view, start, end, base + start));
		start = end + 1;
	}
	return count;
}

/**
 * A candidate line `view[start, end)`: kept (1) when the match decides, or the whole filter says so on
 * the whole line — the text a LogLine would hold (its CR dropped), or all of it when it is cut.
 */
function keep(out: LogLine[] | undefined, view: Buffer, start: number, end: number, base: number, filter: LineFilter | undefined, decided: boolean): number {
	if (out === undefined) {
		if (decided || filter === undefined) return 1;
		const stop = end - start <= maxLineBytes && end > start && view[end - 1] === 0x0d ? end - 1 : end;
		return filter.test(view.toString('utf8', start, stop)) ? 1 : 0;
	}
	const line = lineFrom(view, start, end, base + start);
	if (!(decided || filter === undefined || (line.cut ? filter.test(view.toString('utf8', start, end)) : filter.passes(line)))) return 0;
	out.push(line);
	return 1;
}

/** Lines holding one of the literals (found in the bytes); kept when the match decides or the filter says so. */
function literalLines(view: Buffer, base: number, filter: LineFilter, needles: readonly Needle[], decided: boolean, out: LogLine[] | undefined): number {
	let count = 0;
	const next = needles.map(needle => nextLiteral(view, needle, 0));
	for (;;) {
		let at = -1;
		for (const p of next) if (p !== -1 && (at === -1 || p < at)) at = p;
		if (at === -1) break;
		const start = at === 0 ? 0 : view.lastIndexOf(0x0a, at - 1) + 1;
		const end = lineEnd(view, at);
		count += keep(out, view, start, end, base, filter, decided);
		for (let i = 0; i < next.length; i++) if (next[i]! !== -1 && next[i]! <= end) next[i] = end + 1 < view.length ? nextLiteral(view, needles[i]!, end + 1) : -1;
	}
	return count;
}

function regexLines(view: Buffer, base: number, filter: LineFilter, regex: RegExp, asciiOnly: boolean, out: LogLine[] | undefined): number {
	// byte for byte (latin1: a character per byte, no UTF-8 decoding, a match's index is its byte
	// offset) when that finds the same lines: the chunk is ASCII, or the regex matches only ASCII
	if (asciiOnly || isAscii(view)) {
		const text = view.toString('latin1');
		let count = 0;
		// the next CR at or after a line's start (Infinity: none): see below
		let nextCr = -1;
		regex.lastIndex = 0;
		for (let m = regex.exec(text); m; m = regex.exec(text)) {
			const start = m.index === 0 ? 0 : text.lastIndexOf('\n', m.index - 1) + 1;
			// `^` matches after the final newline too: no line there
			if (start >= text.length) break;
			const end = lineEnd(view, m.index);
			if (nextCr < start) {
				const cr = view.indexOf(0x0d, start);
				nextCr = cr === -1 ? Infinity : cr;
			}
			// a match that ran on past the line's end (\s, [\n]) is checked on the line alone by keep(),
			// and so is a line with a CR in it: the scan's multiline ^ and $ match at a CR too (JavaScript
			// takes it for a line end), while the line is its text without the CR of a CRLF (lines.ts)
			count += keep(out, view, start, end, base, filter, filter.scanDecides && m.index + m[0].length <= end && nextCr >= end);
			regex.lastIndex = end + 1;
		}
		return count;
	}
	return utf8Lines(view, base, filter, regex, out);
}

/** The same over the UTF-8 text: the n-th newline of the text is the n-th newline byte, so both are walked to each line found. */
function utf8Lines(view: Buffer, base: number, filter: LineFilter, regex: RegExp, out: LogLine[] | undefined): number {
	let count = 0;
	const text = view.toString('utf8');
	let charAt = 0;
	let byteAt = 0;
	regex.lastIndex = 0;
	for (let m = regex.exec(text); m; m = regex.exec(text)) {
		const start = m.index === 0 ? 0 : text.lastIndexOf('\n', m.index - 1) + 1;
		if (start >= text.length) break;
		let end = text.indexOf('\n', m.index);
		if (end === -1) end = text.length;
		if (filter.test(text.slice(start, end).replace(/\r$/, ''))) {
			count++;
			if (out) {
				while (charAt < start) {
					charAt = text.indexOf('\n', charAt) + 1;
					byteAt = view.indexOf(0x0a, byteAt) + 1;
				}
				out.push(lineFrom(view, byteAt, lineEnd(view, byteAt), base + byteAt));
			}
		}
		regex.lastIndex = end + 1;
	}
	return count;
}

async function skipToNewline(file: LogFile, pos: number, limit: number): Promise<{next: number; read: number}> {
	const buf = Buffer.allocUnsafe(1024 * 1024);
	let at = pos;
	while (at < limit) {
		const {bytesRead: n} = await file.handle.read(buf, 0, Math.min(buf.length, limit - at), at);
		if (n === 0) break;
		const nl = buf.subarray(0, n).indexOf(0x0a);
		if (nl !== -1) return {next: at + nl + 1, read: at + nl - pos};
		at += n;
	}
	return {next: limit, read: at - pos};
}
