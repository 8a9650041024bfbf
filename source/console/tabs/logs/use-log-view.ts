// One log source as the Logs tab holds it: the lines read so far (the newest screenful first, read
// backwards from the end; older pages on demand), and, while following, the new ones as they come
// (through rotations: logs/follow.ts). Lines carry a sequence number (`base` + index) so the view's
// position survives a page added above and old lines dropped while following.
import {useCallback, useEffect, useRef, useState} from 'react';
import type {FollowEvent} from '../../../logs/follow.js';
import type {LineFilter} from '../../../logs/filter.js';
import type {LogLine} from '../../../logs/lines.js';
import {SourceReader, type Follower} from '../../../logs/reader.js';
import type {LogSource} from '../../../logs/sources.js';
import {errorMessage} from '../../../text/mask.js';

/** lines kept while following (older ones dropped: `r` reads the end again, then PgUp pages up) */
export const keepLines = 10_000;
const keepChars = 16 * 1024 * 1024;
/** a filtered page stops after scanning this much of the file (PgUp goes on) */
const scanPerPage = 64 * 1024 * 1024;

export type LogBuffer = {
	readonly lines: readonly LogLine[];
	/** the sequence number of lines[0] */
	readonly base: number;
	/** nothing above lines[0] in the file (or --since) */
	readonly atStart: boolean;
	/** lines above were dropped while following: paging up needs the end read again */
	readonly trimmed: boolean;
	/** files: how far up the file has been looked at, and its size */
	readonly scannedFrom?: number;
	readonly size?: number;
	/** files: the lowest offset the pages read from: the file read for them is [readFrom, size), each byte
	 * counted once (pages overlap: a block is read whole and the page above reads from where the lines
	 * taken began; adding up each page's bytes claimed more than the file holds) */
	readonly readFrom?: number;
};

export type LogViewState = {
	readonly buffer: LogBuffer;
	/** reading the end, or a page above */
	readonly loading: 'end' | 'older' | undefined;
	readonly error: string | undefined;
	/** the last rotation or truncation seen while following */
	readonly event: FollowEvent | undefined;
	readonly perSecond: number;
};

const empty: LogBuffer = {lines: [], base: 0, atStart: false, trimmed: false};

function trim(buffer: LogBuffer, lines: LogLine[]): LogBuffer {
	let drop = Math.max(0, lines.length - keepLines);
	let chars = 0;
	for (let i = lines.length - 1; i >= drop; i--) {
		chars += lines[i]!.text.length;
		if (chars > keepChars) {
			drop = i + 1;
			break;
		}
	}
	if (drop === 0) return {...buffer, lines};
	return {...buffer, lines: lines.slice(drop), base: buffer.base + drop, atStart: false, trimmed: true};
}

function lowest(a: number | undefined, b: number | undefined): number | undefined {
	return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

export type OlderPage = {readonly lines: readonly LogLine[]; readonly base: number; readonly atStart: boolean};

export type LogViewOptions = {
	readonly source: LogSource | undefined;
	/** what the reader keeps (a text filter in `only` mode, the level) */
	readonly filter: LineFilter | undefined;
	readonly filterKey: string;
	readonly following: boolean;
	/** lines of the first page */
	readonly count: number;
	/** read again (r) */
	readonly generation: number;
	readonly enabled: boolean;
	/** a page up found the file truncated in place or replaced since its end was read (the caller reads it again) */
	readonly onChanged?: (how: 'truncated' | 'replaced') => void;
};

/** loadOlder's answer: the page, 'busy' (a page is being read: try again), or undefined (nothing more to read) */
export type OlderResult = OlderPage | 'busy' | undefined;

export function useLogView({source, filter, filterKey, following, count, generation, enabled, onChanged}: LogViewOptions): LogViewState & {readonly loadOlder: (lines?: number) => Promise<OlderResult>} {
	const [state, setState] = useState<LogViewState>({buffer: empty, loading: undefined, error: undefined, event: undefined, perSecond: 0});
	const reader = useRef<SourceReader | undefined>(undefined);
	const busy = useRef(false);
	/** the sequence number of the first line read, and whether it is the file's first */
	const top = useRef({base: 0, atStart: false});
	const sourceKey = source ? `${source.kind}:${source.name}` : '';

	useEffect(() => {
		if (!enabled || !source) return;
		let live = true;
		let follower: Follower | undefined;
		let timer: NodeJS.Timeout | undefined;
		const mine = new SourceReader(source, {filter, maxScanBytes: scanPerPage});
		reader.current = mine;
		busy.current = true;
		top.current = {base: 0, atStart: false};
		setState(s => ({...s, buffer: empty, loading: 'end', error: undefined, event: undefined, perSecond: 0}));
		void (async () => {
			try {
				// following: the last complete lines, then everything after them exactly once
				const page = await mine.last(count, {partial: !following});
				if (!live) return;
				top.current = {base: 0, atStart: page.atStart};
				setState(s => ({...s, loading: undefined, buffer: {lines: page.lines, base: 0, atStart: page.atStart, trimmed: false, scannedFrom: page.start, size: page.size, readFrom: page.readFrom}}));
			} catch (error) {
				if (live && !(following && (error as NodeJS.ErrnoException).code === 'ENOENT')) setState(s => ({...s, loading: undefined, error: errorMessage(error)}));
				else if (live) setState(s => ({...s, loading: undefined}));
			} finally {
				busy.current = false;
			}
			if (!live || !following) return;
			follower = await mine.follow({
				onLines: lines => {
					if (live) setState(s => ({...s, buffer: trim(s.buffer, [...s.buffer.lines, ...lines])}));
				},
				onEvent: event => {
					if (live) setState(s => ({...s, event}));
				},
			});
			if (!live) return void follower.stop();
			const rate = () => {
				if (!live || !follower) return;
				const perSecond = follower.perSecond();
				setState(s => (Math.round(s.perSecond) === Math.round(perSecond) ? s : {...s, perSecond}));
				timer = setTimeout(rate, 1000);
			};
			timer = setTimeout(rate, 1000);
		})();
		return () => {
			live = false;
			clearTimeout(timer);
			if (reader.current === mine) reader.current = undefined;
			void (async () => {
				await follower?.stop();
				await mine.close();
			})();
		};
		// the filter object changes with its key; the source with its name
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [sourceKey, filterKey, following, generation, enabled]);

	// what loadOlder reads (a key handler runs between renders)
	const latest = useRef(state);
	latest.current = state;
	const changed = useRef(onChanged);
	changed.current = onChanged;
	/** The page above what was read (`lines` of them, default a couple of screens); resolves with its lines and the sequence number of the first. */
	const loadOlder = useCallback(async (lines?: number): Promise<OlderResult> => {
		const mine = reader.current;
		// (busy and top are refs: a second call right after the first sees its page before a render does)
		const {buffer} = latest.current;
		if (mine && busy.current) return 'busy';
		if (!mine || top.current.atStart || buffer.trimmed) return undefined;
		busy.current = true;
		setState(s => ({...s, loading: 'older'}));
		try {
			const page = await mine.older(lines ?? Math.max(200, count));
			if (reader.current !== mine) return undefined;
			if (page.changed) {
				setState(s => ({...s, loading: undefined}));
				changed.current?.(page.changed);
				return undefined;
			}
			const base = top.current.base - page.lines.length;
			top.current = {base, atStart: page.atStart};
			setState(s => ({
				...s,
				loading: undefined,
				buffer: {...s.buffer, lines: [...page.lines, ...s.buffer.lines], base: s.buffer.base - page.lines.length, atStart: page.atStart, scannedFrom: page.start ?? s.buffer.scannedFrom, readFrom: lowest(s.buffer.readFrom, page.readFrom)},
			}));
			return {lines: page.lines, base, atStart: page.atStart};
		} catch (error) {
			if (reader.current === mine) setState(s => ({...s, loading: undefined, error: errorMessage(error)}));
			return undefined;
		} finally {
			busy.current = false;
		}
	}, [count]);

	return {...state, loadOlder};
}
