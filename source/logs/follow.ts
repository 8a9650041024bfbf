// Following a log like `tail -F`, by polling: each tick reads what was added to the file it holds
// open, then looks at the path (stat: device, inode, size) for the three rotations:
//   rename + new file   the path names another inode: the old file is read to its end first (and
//                       kept while the app still writes to it), then the new one from its start;
//   delete + recreate   the same (the open handle still reads the deleted file to its end);
//   copy-truncate       the same inode, shorter than where we were (or other bytes before that
//                       offset: truncated and written past it between two ticks); what we had not
//                       read yet is taken from the copy (rotation.ts), then the log from its start.
// No line is lost or repeated across them; a line without its newline waits for it (and is handed
// on as it is when its file is rotated away).
import fs from 'node:fs/promises';
import type {LineFilter} from './filter.js';
import {LineSplitter, type LogLine} from './lines.js';
import {LineRate} from './rate.js';
import {findRotatedCopy, readAt} from './rotation.js';
import {openLog, type LogFile} from './tail.js';

export type FollowEvent =
	| {readonly kind: 'rotated'; readonly how: 'renamed' | 'recreated'}
	| {readonly kind: 'truncated'; readonly recoveredFrom?: string}
	| {readonly kind: 'missing'}
	| {readonly kind: 'appeared'}
	| {readonly kind: 'error'; readonly message: string};

export type FollowOptions = {
	readonly path: string;
	/** already open (a page was read from it): following goes on at `offset` in it; else the path is opened */
	readonly file?: LogFile;
	/** where to begin in `file` (a page's `end`); default: its end when following starts */
	readonly offset?: number;
	readonly intervalMs?: number;
	readonly filter?: LineFilter;
	readonly onLines: (lines: LogLine[]) => void;
	readonly onEvent?: (event: FollowEvent) => void;
};

const markBytes = 64;
const readBytes = 1024 * 1024;

export class LogFollower {
	readonly rate = new LineRate();
	private file: LogFile | undefined;
	private offset: number;
	private head: Buffer = Buffer.alloc(0);
	private mark: Buffer = Buffer.alloc(0);
	private readonly splitter = new LineSplitter();
	/** 'missing' was said (a file that appears then is read from its start and said to appear) */
	private missing = false;
	private goneSince: number | undefined;
	private timer: NodeJS.Timeout | undefined;
	private running: Promise<void> | undefined;
	private stopped = false;
	private batch: LogLine[] = [];

	constructor(private readonly options: FollowOptions) {
		this.file = options.file;
		this.offset = options.offset ?? -1;
	}

	/** Polls every intervalMs (default 200) until stop(); once. */
	start(): void {
		if (this.running || this.stopped) return;
		const tick = async () => {
			this.running = this.poll().catch(error => this.options.onEvent?.({kind: 'error', message: (error as Error).message}));
			await this.running;
			if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 200);
		};
		void tick();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		await this.running;
		await this.file?.handle.close().catch(() => undefined);
		this.file = undefined;
	}

	/** One tick: what was added, then the rotations. */
	async poll(): Promise<void> {
		if (!this.file && !(await this.open(false))) return;
		const file = this.file!;
		if (this.offset < 0) this.offset = (await file.handle.stat()).size;
		if (this.head.length < markBytes) this.head = await readAt(file.handle, 0, markBytes);
		// the bytes before where following began: a truncation is seen even before anything is read
		if (this.mark.length === 0 && this.offset > 0) this.mark = await readAt(file.handle, Math.max(0, this.offset - markBytes), Math.min(markBytes, this.offset));
		if (await this.truncated(file)) await this.recover(file);
		const grew = await this.drain(file);
		let stat;
		try {
			stat = await fs.stat(this.options.path);
			this.goneSince = undefined;
		} catch {
			// a rotation leaves the name empty for a moment (rename, then create): said after a second
			this.goneSince ??= Date.now();
			if (!this.missing && Date.now() - this.goneSince >= 1000) {
				this.options.onEvent?.({kind: 'missing'});
				this.missing = true;
			}
		}
		// another file under the name, and the old one no longer written to: on to the new one
		if (stat && (stat.ino !== file.ino || stat.dev !== file.dev) && !grew) {
			const deleted = (await file.handle.stat()).nlink === 0;
			this.splitter.flush(line => this.batch.push(line));
			await file.handle.close().catch(() => undefined);
			this.file = undefined;
			if (await this.open(true)) {
				this.options.onEvent?.({kind: 'rotated', how: deleted ? 'recreated' : 'renamed'});
				await this.drain(this.file!);
			}
		}
		this.emit();
	}

	/** Lines a second over the last few seconds. */
	perSecond(): number {
		return this.rate.perSecond();
	}

	private async open(fromStart: boolean): Promise<boolean> {
		try {
			this.file = await openLog(this.options.path);
		} catch {
			if (!this.missing) this.options.onEvent?.({kind: 'missing'});
			this.missing = true;
			return false;
		}
		// a file that appears after following began is read from its start
		this.offset = fromStart || this.missing ? 0 : -1;
		if (this.missing && !fromStart) this.options.onEvent?.({kind: 'appeared'});
		this.missing = false;
		this.head = Buffer.alloc(0);
		this.mark = Buffer.alloc(0);
		return true;
	}

	private async truncated(file: LogFile): Promise<boolean> {
		const size = (await file.handle.stat()).size;
		if (size < this.offset) return true;
		if (this.mark.length === 0) return false;
		const now = await readAt(file.handle, this.offset - this.mark.length, this.mark.length);
		return !now.equals(this.mark);
	}

	/** Copy-truncate: the unread rest from the copy, then the log from its start. */
	private async recover(file: LogFile): Promise<void> {
		const copy = await findRotatedCopy(this.options.path, {dev: file.dev, ino: file.ino, head: this.head, mark: this.mark, offset: this.offset});
		if (copy) {
			try {
				await this.readRange(copy.handle, this.offset, copy.size);
			} finally {
				await copy.handle.close();
			}
		}
		this.splitter.flush(line => this.batch.push(line));
		this.options.onEvent?.({kind: 'truncated', ...(copy ? {recoveredFrom: copy.path} : {})});
		this.offset = 0;
		this.head = await readAt(file.handle, 0, markBytes);
		this.mark = Buffer.alloc(0);
	}

	/** Reads the held file from the offset to its end; whether anything was there. */
	private async drain(file: LogFile): Promise<boolean> {
		const size = (await file.handle.stat()).size;
		if (size <= this.offset) return false;
		this.offset = await this.readRange(file.handle, this.offset, size);
		this.mark = await readAt(file.handle, Math.max(0, this.offset - markBytes), Math.min(markBytes, this.offset));
		if (this.head.length < markBytes) this.head = await readAt(file.handle, 0, markBytes);
		return true;
	}

	private async readRange(handle: fs.FileHandle, from: number, to: number): Promise<number> {
		let at = from;
		const buf = Buffer.allocUnsafe(Math.min(readBytes, to - from));
		while (at < to) {
			const {bytesRead: n} = await handle.read(buf, 0, Math.min(buf.length, to - at), at);
			if (n === 0) break;
			// the splitter keeps (copies) only an unfinished line; complete lines are decoded now
			this.splitter.push(buf.subarray(0, n), at, line => this.batch.push(line));
			at += n;
		}
		return at;
	}

	private emit(): void {
		const lines = this.batch;
		if (lines.length === 0) return;
		this.batch = [];
		this.rate.deliver(lines, this.options.filter, this.options.onLines);
	}
}
