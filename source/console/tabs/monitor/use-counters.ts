// The Monitor tab's live counters. Counting starts the first time the tab is shown (a console
// left on another tab does not send Redis a count and a PTTL per watched key every tick for
// nothing); from then on it ticks on a chained timeout whether or not the tab is on screen (the
// tab is always mounted, so history keeps growing), but only draws while visible, and only when
// what would be drawn differs from the last frame: an idle pane left open all day does not
// re-render at all.
import {useCallback, useEffect, useRef, useState} from 'react';
import {CounterMonitor, type CounterTick, type RedisForCounters} from '../../../monitor/counters.js';
import {formatCount, formatDelta, formatTtl} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {sparkline} from '../../components/sparkline.js';
import {windowStart} from '../../components/table.js';

/** How many ticks of history the sparkline column shows at most. */
export const sparkWidth = 12;

export type CounterRow = {
	readonly key: string;
	readonly watch: string;
	readonly count: string;
	readonly delta: number;
	readonly deltaText: string;
	readonly rate: string;
	readonly ttl: string;
	readonly spark: string;
	readonly gone: boolean;
};

export type CountersView = {
	readonly rows: readonly CounterRow[];
	readonly totals: {readonly keys: number; readonly count: string; readonly delta: number; readonly deltaText: string; readonly rate: string; readonly spark: string} | undefined;
	readonly error: string | undefined;
	readonly truncated: boolean;
	readonly loading: boolean;
};

export function formatRate(rate: number): string {
	if (Math.abs(rate) < 0.05) return '';
	return Math.abs(rate) >= 100 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`;
}

type TickKey = CounterTick['keys'][number];

function rowOf(k: TickKey): CounterRow {
	return {
		key: k.key,
		watch: k.watch,
		count: k.gone ? 'gone' : formatCount(k.count),
		delta: k.delta,
		deltaText: k.delta === 0 ? '' : formatDelta(k.delta),
		rate: formatRate(k.rate),
		ttl: k.gone ? 'gone' : formatTtl(k.ttlMs),
		spark: sparkline(k.history, sparkWidth),
		gone: k.gone,
	};
}

/** What the tab draws from a tick: strings at display precision, so equal views mean an equal screen. */
export function viewOf(tick: CounterTick | undefined, error: string | undefined): CountersView {
	if (!tick) return {rows: [], totals: undefined, error, truncated: false, loading: error === undefined};
	return {
		rows: tick.keys.map(k => rowOf(k)),
		totals: {
			keys: tick.totals.keys,
			count: formatCount(tick.totals.count),
			delta: tick.totals.delta,
			deltaText: tick.totals.delta === 0 ? '' : formatDelta(tick.totals.delta),
			rate: formatRate(tick.totals.rate),
			spark: sparkline(tick.totals.history, sparkWidth),
		},
		error,
		truncated: tick.truncated,
		loading: false,
	};
}

/** The rows the table shows: its cursor and how many rows fit (see windowStart). */
export type CountersWindow = {readonly cursor: number; readonly visible: number};

/**
 * Everything of a view that reaches the screen when the table shows `window`: the rows in it, the
 * totals, how many rows there are and how many are gone (the status line). Rows scrolled out of
 * sight are not part of it: with 1,000 watched keys, some TTL ticks over to the next minute every
 * second, and that alone must not redraw a screen on which nothing moves.
 */
export function screenSignature(tick: CounterTick | undefined, error: string | undefined, window: CountersWindow): string {
	if (!tick) return JSON.stringify(viewOf(undefined, error));
	const start = windowStart(window.cursor, tick.keys.length, window.visible);
	const shown = tick.keys.slice(start, start + window.visible).map(k => rowOf(k));
	const gone = tick.keys.reduce((n, k) => n + (k.gone ? 1 : 0), 0);
	const {rows: _rows, ...rest} = viewOf({...tick, keys: []}, error);
	return JSON.stringify({shown, start, count: tick.keys.length, gone, rest});
}

type Options = {
	readonly redis: RedisForCounters;
	readonly watches: readonly string[];
	readonly scanCount: number;
	readonly intervalMs: number;
	readonly paused: boolean;
	readonly isVisible: boolean;
	/** the table's window, as last rendered (set by the tab); the whole list when not given */
	readonly window?: {readonly current: CountersWindow};
};

export function useCounters({redis, watches, scanCount, intervalMs, paused, isVisible, window}: Options): {readonly view: CountersView; readonly refresh: () => void; readonly redraw: () => void} {
	const monitor = useRef<CounterMonitor | undefined>(undefined);
	monitor.current ??= new CounterMonitor({watches, scanCount});
	const latest = useRef<{tick: CounterTick | undefined; error: string | undefined}>({tick: undefined, error: undefined});
	const drawn = useRef<string>('');
	const visible = useRef(isVisible);
	visible.current = isVisible;
	const [view, setView] = useState<CountersView>(() => viewOf(undefined, undefined));
	const [started, setStarted] = useState(isVisible);
	if (isVisible && !started) setStarted(true);
	const kick = useRef<() => void>(() => undefined);

	const windowRef = useRef(window);
	windowRef.current = window;
	const draw = useCallback(() => {
		if (!visible.current) return;
		const {tick, error} = latest.current;
		const shown = windowRef.current?.current ?? {cursor: 0, visible: Number.MAX_SAFE_INTEGER};
		const key = screenSignature(tick, error, shown);
		if (key === drawn.current) return;
		drawn.current = key;
		setView(viewOf(tick, error));
	}, []);

	// One tick at a time on the monitor (a paused one-off tick and the loop must not overlap).
	const chain = useRef<Promise<void>>(Promise.resolve());
	const count = useCallback(
		(signal: AbortSignal) => {
			const run = chain.current.then(async () => {
				if (signal.aborted) return;
				try {
					const result = await monitor.current!.tick(redis, signal);
					latest.current = {tick: result, error: undefined};
				} catch (error) {
					if (signal.aborted) return;
					latest.current = {tick: latest.current.tick, error: errorMessage(error)};
				}
				if (!signal.aborted) draw();
			});
			chain.current = run;
			return run;
		},
		[redis, draw],
	);

	const watchKey = JSON.stringify(watches);
	const pausedRef = useRef(paused);
	pausedRef.current = paused;
	useEffect(() => {
		monitor.current!.setWatches(JSON.parse(watchKey) as string[]);
		if (!started) return;
		if (!pausedRef.current) return kick.current();
		// paused: count once so the rows follow the new watch list
		const controller = new AbortController();
		void count(controller.signal);
		return () => controller.abort();
	}, [watchKey, count, started]);

	useEffect(() => {
		if (paused || !started) return;
		const controller = new AbortController();
		let timer: NodeJS.Timeout | undefined;
		let running = false;
		let again = false;
		const tick = async () => {
			timer = undefined;
			running = true;
			await count(controller.signal);
			running = false;
			if (controller.signal.aborted) return;
			timer = setTimeout(() => void tick(), again ? 0 : intervalMs);
			again = false;
		};
		kick.current = () => {
			if (controller.signal.aborted) return;
			if (running) {
				again = true;
				return;
			}
			clearTimeout(timer);
			void tick();
		};
		// after a pause or an interval change: the next tick one interval on, the first at once
		timer = setTimeout(() => void tick(), latest.current.tick ? intervalMs : 0);
		return () => {
			controller.abort();
			clearTimeout(timer);
			kick.current = () => undefined;
		};
	}, [intervalMs, paused, count, started]);

	// back on screen: show what was counted meanwhile
	useEffect(() => {
		if (isVisible) draw();
	}, [isVisible, draw]);

	return {view, refresh: useCallback(() => kick.current(), []), redraw: draw};
}
