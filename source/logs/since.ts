// Where `--since` begins in a file, found by bisection on the lines' timestamps (a log is written in
// time order), so "the last 10 minutes" of a 1 GB log reads a few dozen small windows, not the file.
// Lines with no timestamp (stack traces, continuation lines) belong to the timed line above them.
import {lineTime, timestampFormats} from './timestamps.js';
import type {LogFile} from './tail.js';

/** The file has no timestamp opsdeck can read (exit 2: --since cannot be used on it). */
export class NoTimestampsError extends Error {}

const window = 64 * 1024;
const maxProbe = 1024 * 1024;

type Timed = {readonly start: number; readonly time: number};

/**
 * The first line starting at or after `at` whose timestamp `accept`s (any timestamp by default),
 * looking no further than `reach` bytes; undefined when there is none.
 */
async function timedLineAfter(file: LogFile, at: number, size: number, now: number, accept = (_time: number) => true, reach = maxProbe): Promise<Timed | undefined> {
	// from one byte before: a newline there means `at` is a line start
	let pos = Math.max(0, at - 1);
	let skipFirst = at > 0;
	let carry = Buffer.alloc(0);
	let carryStart = pos;
	while (pos < size && pos - at < reach) {
		const buf = Buffer.allocUnsafe(Math.min(window, size - pos));
		const {bytesRead: n} = await file.handle.read(buf, 0, buf.length, pos);
		if (n === 0) break;
		const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
		const chunkStart = carry.length > 0 ? carryStart : pos;
		pos += n;
		let start = 0;
		for (;;) {
			const nl = chunk.indexOf(0x0a, start);
			const end = nl === -1 ? (pos >= size ? chunk.length : -1) : nl;
			if (end === -1) break;
			if (skipFirst) skipFirst = false;
			else {
				const time = lineTime(chunk.toString('utf8', start, Math.min(end, start + 400)), now);
				if (time !== undefined && accept(time)) return {start: chunkStart + start, time};
			}
			if (nl === -1) return undefined;
			start = nl + 1;
		}
		carry = Buffer.from(chunk.subarray(start));
		carryStart = chunkStart + start;
	}
	return undefined;
}

/**
 * The offset of the first line written at or after `since` (epoch ms): the file's size when every
 * line is older. Throws NoTimestampsError when the file's first lines carry no timestamp.
 */
export async function sinceOffset(file: LogFile, since: number, now = Date.now()): Promise<number> {
	const size = (await file.handle.stat()).size;
	const first = await timedLineAfter(file, 0, size, now);
	if (!first) {
		if (size === 0) return 0;
		throw new NoTimestampsError(`no timestamp found at the start of ${file.path}: --since reads ${timestampFormats}`);
	}
	if (first.time >= since) return 0;
	// every timed line before lo is older than `since`
	let lo = first.start;
	let hi = size;
	while (hi - lo > window) {
		const mid = lo + Math.floor((hi - lo) / 2);
		const probe = await timedLineAfter(file, mid, size, now);
		if (!probe || probe.time >= since) hi = mid;
		else lo = probe.start;
	}
	// the last stretch in one pass, line by line: the first timed line at or after `since`
	const found = await timedLineAfter(file, lo, size, now, time => time >= since, Number.POSITIVE_INFINITY);
	return found?.start ?? size;
}
