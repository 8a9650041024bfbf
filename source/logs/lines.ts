// One line of a log as every reader here hands it on: its byte offset (where paging and following
// go on from), its text, and its real length. A line longer than maxLineBytes keeps only its first
// maxLineBytes (cut at a character boundary) and says how long it was: a log with a 1 GB line must
// not put 1 GB in memory or on a screen.
import type {Level} from './level.js';

export const maxLineBytes = 64 * 1024;

export type LogLine = {
	/** byte offset of the line's first byte in its file (journal entries: their position in the read) */
	readonly offset: number;
	/** the text, decoded as UTF-8, a final CR dropped; the first maxLineBytes of it when cut */
	readonly text: string;
	/** the line's length in bytes, without its newline */
	readonly bytes: number;
	/** longer than maxLineBytes: text holds only its start */
	readonly cut: boolean;
	/** known from the source itself (journald's PRIORITY); files: read from the text when asked */
	readonly level?: Level;
	/** known from the source itself (journald's timestamp), epoch ms */
	readonly time?: number;
	/** journald's cursor: where paging up and following go on from */
	readonly cursor?: string;
};

const newline = 0x0a;
const cr = 0x0d;

/** Where to cut `buf[start, end)` at most `max` bytes in, backing off to a UTF-8 character boundary. */
function cutPoint(buf: Uint8Array, start: number, end: number, max: number): number {
	if (end - start <= max) return end;
	let at = start + max;
	// a continuation byte (10xxxxxx) cannot start a character: step back to the one that does
	while (at > start && (buf[at]! & 0xc0) === 0x80) at--;
	return at;
}

/**
 * A LogLine from the bytes `buf[start, end)` (no newline in them). `bytes` is the line's full length
 * when the caller kept only its start (a long line read in parts).
 */
export function lineFrom(buf: Buffer, start: number, end: number, offset: number, bytes = end - start): LogLine {
	const cut = bytes > maxLineBytes;
	let stop = cut ? cutPoint(buf, start, end, maxLineBytes) : end;
	// CRLF logs: the CR is not part of what is shown
	if (!cut && stop > start && buf[stop - 1] === cr) stop--;
	return {offset, text: buf.toString('utf8', start, stop), bytes, cut};
}

/**
 * A line being assembled from parts (a follower's read ends mid-line; a reader going backwards meets
 * a line's end first). Keeps at most maxLineBytes of it and counts the rest.
 */
export class LineParts {
	private parts: Buffer[] = [];
	private kept = 0;
	/** bytes of the line so far, kept or not */
	length = 0;

	/** Appends bytes that come after what is there (reading forwards). */
	append(bytes: Buffer): void {
		this.length += bytes.length;
		if (this.kept >= maxLineBytes + 1 || bytes.length === 0) return;
		// one byte over the limit is enough to know the line is cut
		const room = maxLineBytes + 1 - this.kept;
		const part = bytes.length > room ? Buffer.from(bytes.subarray(0, room)) : Buffer.from(bytes);
		this.parts.push(part);
		this.kept += part.length;
	}

	/** Prepends bytes that come before what is there (reading backwards); true while all is kept. */
	prepend(bytes: Buffer): boolean {
		this.length += bytes.length;
		if (this.kept < 0) return false;
		if (this.length > maxLineBytes + 1) {
			// too long: its start is what is shown, and that is further back; the caller reads it then
			this.parts = [];
			this.kept = -1;
			return false;
		}
		this.parts.unshift(bytes);
		this.kept += bytes.length;
		return true;
	}

	/** Whether prepend() dropped the parts (the caller reads the line's start itself). */
	get dropped(): boolean {
		return this.kept < 0;
	}

	/** The line (starting at `offset`) from what was kept; then empty again. */
	take(offset: number): LogLine {
		const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
		const line = lineFrom(buf, 0, buf.length, offset, this.length);
		this.clear();
		return line;
	}

	clear(): void {
		this.parts = [];
		this.kept = 0;
		this.length = 0;
	}
}

/**
 * Reading forwards (a follower, a stream): bytes in, complete lines out, the unfinished end kept
 * (bounded) until its newline comes.
 */
export class LineSplitter {
	private readonly rest = new LineParts();
	private restStart = 0;

	/** `buf` was read at file offset `offset`, right after what came before. */
	push(buf: Buffer, offset: number, emit: (line: LogLine) => void): void {
		let start = 0;
		for (;;) {
			const nl = buf.indexOf(newline, start);
			if (nl === -1) break;
			if (this.rest.length > 0) {
				this.rest.append(buf.subarray(start, nl));
				emit(this.rest.take(this.restStart));
			} else {
				emit(lineFrom(buf, start, nl, offset + start));
			}
			start = nl + 1;
		}
		if (start < buf.length) {
			if (this.rest.length === 0) this.restStart = offset + start;
			this.rest.append(buf.subarray(start));
		}
	}

	/** Bytes of a line still waiting for its newline. */
	get pending(): number {
		return this.rest.length;
	}

	/** The unfinished line as a line (its file is done: rotated away); nothing when there is none. */
	flush(emit: (line: LogLine) => void): void {
		if (this.rest.length > 0) emit(this.rest.take(this.restStart));
	}

	clear(): void {
		this.rest.clear();
	}
}
