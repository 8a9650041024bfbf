// One source as the Logs tab and `opsdeck logs` both read it: the newest screenful, the page above
// what was read, every line that passes (--grep over the whole file), and following from after the
// newest line read. A file is read backwards from its end (tail.ts), a journal through journalctl.
import fs from 'node:fs/promises';
import type {LineFilter} from './filter.js';
import {LogFollower, type FollowEvent} from './follow.js';
import {grepFile} from './grep.js';
import {JournalFollower, readJournalTail, streamJournal} from './journal-read.js';
import type {LogLine} from './lines.js';
import {sinceOffset} from './since.js';
import type {LogSource} from './sources.js';
import {readAt} from './rotation.js';
import {openLog, readLastLines, type LogFile} from './tail.js';

export type Page = {
	/** oldest first */
	readonly lines: LogLine[];
	/** nothing further up (the file's start, or --since) */
	readonly atStart: boolean;
	/** bytes of the file read for this page (files only) */
	readonly bytesRead?: number;
	/** files: the lowest offset the page read from (pages overlap: the distinct bytes read are `size` minus the lowest) */
	readonly readFrom?: number;
	/** files: the offset the page reached up to (with maxScanBytes, the next page goes on from there) */
	readonly start?: number;
	/** files: the file's size when the page was read */
	readonly size?: number;
	/** files, older(): nothing was read, the file was truncated (copytruncate) or replaced under its name since the end was read: read the end again */
	readonly changed?: 'truncated' | 'replaced';
};

const markBytes = 64;

/** A follower already started by follow(): stop() ends it. */
export type Follower = {
	stop(): Promise<void>;
	/** lines a second over the last few seconds (every line, whatever the filter) */
	perSecond(): number;
};

export type FollowHandlers = {
	readonly onLines: (lines: LogLine[]) => void;
	readonly onEvent?: (event: FollowEvent) => void;
	readonly intervalMs?: number;
};

export type ReaderOptions = {
	readonly filter?: LineFilter;
	/** epoch ms: nothing older */
	readonly since?: number;
	/** files: a page stops after scanning this many bytes (a filter that matches little); the next goes on */
	readonly maxScanBytes?: number;
};

export class SourceReader {
	private file: LogFile | undefined;
	private floor: number | undefined;
	/** files: the offset of the oldest line read; journals: its cursor */
	private top: number | string | undefined;
	/** files: just after the newest complete line read; journals: its cursor */
	private end: number | string | undefined;
	/** files: the bytes just before `end` when it was read (a file truncated and written past it again has others there) */
	private mark: Buffer | undefined;

	constructor(readonly source: LogSource, private readonly options: ReaderOptions = {}) {}

	/** The newest `count` lines that pass; `partial: false` leaves out a last line still without its newline (it comes when following). */
	async last(count: number, {partial = true} = {}): Promise<Page> {
		if (this.source.kind === 'journal') {
			const page = await readJournalTail({unit: this.source.unit, count, filter: this.options.filter, since: this.options.since});
			this.top = page.lines[0]?.cursor;
			this.end = page.lines.at(-1)?.cursor;
			return page;
		}
		const file = await this.open();
		const page = await readLastLines(file, {count, filter: this.options.filter, from: await this.since(file), partial, maxScanBytes: this.options.maxScanBytes});
		this.top = page.start;
		this.end = page.end;
		this.mark = await readAt(file.handle, Math.max(0, page.end - markBytes), Math.min(markBytes, page.end));
		return {lines: page.lines, atStart: page.atStart, bytesRead: page.bytesRead, readFrom: page.readFrom, start: page.start, size: page.size};
	}

	/** The `count` lines above the oldest one read so far. */
	async older(count: number): Promise<Page> {
		if (this.top === undefined) return this.source.kind === 'journal' ? {lines: [], atStart: true} : this.last(count);
		if (this.source.kind === 'journal') {
			const page = await readJournalTail({unit: this.source.unit, count, filter: this.options.filter, since: this.options.since, before: String(this.top)});
			this.top = page.lines[0]?.cursor ?? this.top;
			return page;
		}
		const file = await this.open();
		// the offsets held no longer mean anything in a file truncated in place (logrotate's copytruncate):
		// a page read from them glued half a line onto old ones; the caller reads the end again
		const changed = await this.changed(file);
		if (changed) return {lines: [], atStart: false, changed};
		const page = await readLastLines(file, {count, filter: this.options.filter, from: await this.since(file), before: Number(this.top), maxScanBytes: this.options.maxScanBytes});
		this.top = page.start;
		return {lines: page.lines, atStart: page.atStart, bytesRead: page.bytesRead, readFrom: page.readFrom, start: page.start, size: page.size};
	}

	/** Every line that passes, from --since (or the start) to the end as it is now, in batches. */
	async all(onLines: (lines: LogLine[]) => void | Promise<void>, signal?: AbortSignal): Promise<{matched: number}> {
		if (this.source.kind === 'journal') return streamJournal({unit: this.source.unit, filter: this.options.filter, since: this.options.since, signal, onLines});
		const file = await this.open();
		const result = await grepFile(file, {filter: this.options.filter, from: await this.since(file), signal, onLines});
		this.end = result.end;
		this.mark = undefined;
		return {matched: result.matched};
	}

	/** How many lines pass, from --since (or the start) to the end as it is now (grep -c); a big file in two threads (count.ts). */
	async count(): Promise<number> {
		if (this.source.kind === 'journal') return (await this.all(() => undefined)).matched;
		const file = await this.open();
		// loaded only when counting: a chunk of its own in the bundle, which its worker runs
		const {countLines} = await import('./count.js');
		return countLines(file, {filter: this.options.filter, from: await this.since(file)});
	}

	/** Follows from after the newest line read (or from the end): started, stop() ends it. */
	async follow(handlers: FollowHandlers): Promise<Follower> {
		const filter = this.options.filter;
		if (this.source.kind === 'journal') {
			const follower = new JournalFollower({unit: this.source.unit, afterCursor: this.end as string | undefined, filter, onLines: handlers.onLines, onError: error => handlers.onEvent?.({kind: 'error', message: error.message})});
			follower.start();
			return follower;
		}
		const path = this.source.path;
		// its own handle on the same file (this one stays for paging up, whatever the rotations do)
		const own = this.file ? await duplicate(this.file) : undefined;
		// (without /proc a rotation in between gives another file: that one from its start)
		const same = own !== undefined && own.ino === this.file!.ino && own.dev === this.file!.dev;
		const offset = own === undefined ? undefined : same ? (this.end as number | undefined) : 0;
		const follower = new LogFollower({path, file: own, offset, filter, intervalMs: handlers.intervalMs, onLines: handlers.onLines, onEvent: handlers.onEvent});
		follower.start();
		return follower;
	}

	async close(): Promise<void> {
		await this.file?.handle.close().catch(() => undefined);
		this.file = undefined;
	}

	private async open(): Promise<LogFile> {
		if (this.source.kind !== 'file') throw new Error('not a file source');
		this.file ??= await openLog(this.source.path);
		return this.file;
	}

	/** Files: whether the file was truncated since the end was read (shorter, or other bytes before where it ended), or another file took its name. */
	private async changed(file: LogFile): Promise<'truncated' | 'replaced' | undefined> {
		const end = typeof this.end === 'number' ? this.end : undefined;
		if (end !== undefined) {
			if ((await file.handle.stat()).size < end) return 'truncated';
			if (this.mark && !(await readAt(file.handle, end - this.mark.length, this.mark.length)).equals(this.mark)) return 'truncated';
		}
		const named = await fs.stat(file.path).catch(() => undefined);
		if (named && (named.ino !== file.ino || named.dev !== file.dev)) return 'replaced';
		return undefined;
	}

	private async since(file: LogFile): Promise<number> {
		if (this.options.since === undefined) return 0;
		this.floor ??= await sinceOffset(file, this.options.since);
		return this.floor;
	}
}

/** A second handle on the very file `file` holds (/proc/self/fd: the same file even if renamed or deleted since). */
async function duplicate(file: LogFile): Promise<LogFile> {
	try {
		const handle = await fs.open(`/proc/self/fd/${file.handle.fd}`, 'r');
		const stat = await handle.stat();
		if (stat.ino === file.ino && stat.dev === file.dev) return {...file, handle};
		await handle.close();
	} catch {
		// no /proc: reopened by name below
	}
	return openLog(file.path);
}
