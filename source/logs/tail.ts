// The last lines of a log file, read BACKWARDS from its end in blocks: the first screen of a 1 GB
// log costs one or two 64 KB reads, never the whole file. The same call pages further up (`before`
// = the page's `start`) and, with a filter, keeps reading back until it has its lines (the blocks
// grow as it goes, so a long way back is not thousands of small reads).
import {constants as fsConstants} from 'node:fs';
import fs from 'node:fs/promises';
import type {LineFilter} from './filter.js';
import {LineParts, lineFrom, maxLineBytes, type LogLine} from './lines.js';

/** An open log file: the handle every read of one page or one follow goes through, and which file it is. */
export type LogFile = {
	readonly path: string;
	readonly handle: fs.FileHandle;
	readonly dev: number;
	readonly ino: number;
	/** the size when it was opened (a page reads up to the size at its own start) */
	readonly size: number;
};

const notRegular = (path: string) => Object.assign(new Error(`${path} is not a regular file`), {code: 'EISDIR'});

/**
 * Opens a log for reading; anything but a regular file (a folder, a device, a FIFO, a socket) is
 * refused (code EISDIR). Looked at before it is opened: open() on a FIFO blocks until a writer
 * comes (`logs` hung, the tab said "reading…" for ever and q never exited); and opened non-blocking
 * in case the name turns into one in between (O_NONBLOCK changes nothing for a regular file).
 */
export async function openLog(path: string): Promise<LogFile> {
	if (!(await fs.stat(path)).isFile()) throw notRegular(path);
	const handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
	try {
		const stat = await handle.stat();
		if (!stat.isFile()) throw notRegular(path);
		return {path, handle, dev: stat.dev, ino: stat.ino, size: stat.size};
	} catch (error) {
		await handle.close();
		throw error;
	}
}

export type TailOptions = {
	/** lines wanted (after the filter) */
	readonly count: number;
	/** read the lines that end before this offset (a line start: the previous page's `start`); default the end */
	readonly before?: number;
	/** do not read before this offset (a line start: where --since begins); default 0 */
	readonly from?: number;
	readonly filter?: Pick<LineFilter, 'passes'>;
	/** give up after scanning this many bytes (a filter that matches little); `start` says where it got to */
	readonly maxScanBytes?: number;
	/** the last line when it has no newline yet (default true; a follower passes false and reads it when it is done) */
	readonly partial?: boolean;
	/** the first block's size (default 64 KB); each next one is twice as large, up to 4 MB */
	readonly blockSize?: number;
};

export type TailPage = {
	/** oldest first */
	readonly lines: LogLine[];
	/** the offset of the oldest line looked at: the next page up passes it as `before` */
	readonly start: number;
	/** just after the last complete line: where following goes on from */
	readonly end: number;
	/** nothing further up (the start of the file, or `from`) */
	readonly atStart: boolean;
	/** bytes read from the file for this page (a block is read whole: the next page up reads again what lies between its `readFrom` and `start`) */
	readonly bytesRead: number;
	/** the lowest offset this page read from: the page covered [readFrom, the size it was read at) */
	readonly readFrom: number;
	/** the file's size when this page was read */
	readonly size: number;
};

const maxBlock = 4 * 1024 * 1024;

export async function readLastLines(file: LogFile, options: TailOptions): Promise<TailPage> {
	const {handle} = file;
	const size = (await handle.stat()).size;
	const floor = Math.max(0, options.from ?? 0);
	const top = Math.min(options.before ?? size, size);
	const atEof = options.before === undefined || options.before >= size;
	const filter = options.filter;
	const maxScan = options.maxScanBytes ?? Number.POSITIVE_INFINITY;
	let block = options.blockSize ?? 64 * 1024;
	let bytesRead = 0;
	const found: LogLine[] = [];
	const parts = new LineParts();
	let lineEnd = top;
	let pos = top;
	// the candidate that ends at `top` first: at the end of the file it has no newline (a partial
	// line, or nothing when the file ends with one); from `before` it is always empty
	let first = true;
	let end = top;
	let start = top;

	const take = async (lineStart: number): Promise<void> => {
		let line: LogLine;
		if (parts.dropped) {
			// a line over maxLineBytes met from its end: its start is what is shown
			const head = Buffer.allocUnsafe(maxLineBytes + 1);
			const {bytesRead: n} = await handle.read(head, 0, head.length, lineStart);
			bytesRead += n;
			line = lineFrom(head, 0, n, lineStart, parts.length);
			parts.clear();
		} else {
			line = parts.take(lineStart);
		}
		if (first) {
			first = false;
			// nothing after the last newline
			if (line.bytes === 0) return;
			// a line still being written: following starts at its beginning
			end = lineStart;
			if (!atEof || options.partial === false) return;
		}
		start = lineStart;
		if (!filter || filter.passes(line)) found.push(line);
	};

	while (pos > floor && found.length < options.count && top - pos < maxScan) {
		const length = Math.min(block, pos - floor);
		pos -= length;
		block = Math.min(block * 2, maxBlock);
		const buf = Buffer.allocUnsafe(length);
		const {bytesRead: n} = await handle.read(buf, 0, length, pos);
		bytesRead += n;
		if (n < length) throw new Error(`${file.path} shrank while it was read (truncated?)`);
		let i = length;
		while (i > 0 && found.length < options.count) {
			const nl = buf.lastIndexOf(0x0a, i - 1);
			if (nl === -1) {
				parts.prepend(buf.subarray(0, i));
				i = 0;
				break;
			}
			parts.prepend(buf.subarray(nl + 1, i));
			await take(pos + nl + 1);
			lineEnd = pos + nl;
			i = nl;
		}
		// the count was reached mid-block: the scan ends at the line last taken
		if (found.length >= options.count) break;
	}
	// the first line of the file (or of `from`), which no newline precedes
	if (found.length < options.count && pos <= floor && (lineEnd > floor || parts.length > 0 || (lineEnd === floor && top > floor && !first))) {
		await take(floor);
	}
	found.reverse();
	return {lines: found, start, end, atStart: start <= floor, bytesRead, readFrom: pos, size};
}
