// Reading a unit's journal through journalctl: the last N entries that pass a filter (newest first,
// stopped as soon as there are enough), every entry since a time, and following.
import {streamLines} from '../system/command.js';
import type {LineFilter} from './filter.js';
import {journalArgs, journalError, journalLine} from './journal.js';
import type {LogLine} from './lines.js';
import {LineRate} from './rate.js';

export type JournalPage = {
	/** oldest first */
	readonly lines: LogLine[];
	/** nothing older (within --since) */
	readonly atStart: boolean;
};

export type JournalRead = {
	readonly unit: string;
	readonly count: number;
	readonly filter?: LineFilter;
	/** epoch ms */
	readonly since?: number;
	/** the cursor of the oldest entry shown: the page above it */
	readonly before?: string;
};

/** The last `count` entries that pass the filter (older than `before` when given). */
export async function readJournalTail(read: JournalRead): Promise<JournalPage> {
	const found: LogLine[] = [];
	let index = 0;
	let full = false;
	const stream = streamLines(
		'journalctl',
		journalArgs({unit: read.unit, reverse: true, since: read.since, cursor: read.before, lines: read.filter || read.before ? undefined : read.count}),
		json => {
			const line = journalLine(json, index++);
			// --cursor starts at that entry itself: it is the one already shown
			if (!line || line.cursor === read.before) return;
			if (read.filter && !read.filter.passes(line)) return;
			found.push(line);
			if (found.length >= read.count) {
				full = true;
				return false;
			}
		},
	);
	const result = await stream.done;
	if (!full && result.code !== 0) throw journalError(read.unit, result.code, result.stderr);
	return {lines: found.reverse(), atStart: !full};
}

/** Every entry since `since` (or the journal's start) that passes, oldest first, in batches. */
export async function streamJournal(read: Omit<JournalRead, 'count' | 'before'> & {readonly signal?: AbortSignal; readonly onLines: (lines: LogLine[]) => void}): Promise<{matched: number}> {
	let batch: LogLine[] = [];
	let matched = 0;
	let index = 0;
	const stream = streamLines('journalctl', journalArgs({unit: read.unit, since: read.since}), json => {
		const line = journalLine(json, index++);
		if (!line || (read.filter && !read.filter.passes(line))) return;
		batch.push(line);
		matched++;
		if (batch.length >= 1000) {
			read.onLines(batch);
			batch = [];
		}
	}, {signal: read.signal});
	const result = await stream.done;
	if (batch.length > 0) read.onLines(batch);
	if (result.code !== 0 && !read.signal?.aborted) throw journalError(read.unit, result.code, result.stderr);
	return {matched};
}

export type JournalFollowOptions = {
	readonly unit: string;
	/** the newest entry already shown (the page's last cursor); else only new entries */
	readonly afterCursor?: string;
	readonly filter?: LineFilter;
	readonly onLines: (lines: LogLine[]) => void;
	readonly onError?: (error: Error) => void;
	/** lines are handed on in batches this often (default 100 ms) */
	readonly batchMs?: number;
};

/** `journalctl --follow` as a follower: the same start/stop/perSecond as a file's. */
export class JournalFollower {
	readonly rate = new LineRate();
	private stream: ReturnType<typeof streamLines> | undefined;
	private batch: LogLine[] = [];
	private timer: NodeJS.Timeout | undefined;
	private index = 0;

	constructor(private readonly options: JournalFollowOptions) {}

	start(): void {
		const {unit, afterCursor} = this.options;
		this.stream = streamLines('journalctl', journalArgs({unit, follow: true, ...(afterCursor ? {afterCursor} : {lines: 0})}), json => {
			const line = journalLine(json, this.index++);
			if (!line) return;
			this.batch.push(line);
			this.timer ??= setTimeout(() => this.flush(), this.options.batchMs ?? 100);
		});
		this.stream.done.then(
			result => {
				if (result.code !== 0 && this.stream) this.options.onError?.(journalError(unit, result.code, result.stderr));
			},
			error => this.options.onError?.(error as Error),
		);
	}

	async stop(): Promise<void> {
		const stream = this.stream;
		this.stream = undefined;
		stream?.stop();
		await stream?.done.catch(() => undefined);
		this.flush();
	}

	perSecond(): number {
		return this.rate.perSecond();
	}

	private flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		const lines = this.batch;
		if (lines.length === 0) return;
		this.batch = [];
		this.rate.deliver(lines, this.options.filter, this.options.onLines);
	}
}
