// What the Monitor tab draws from a tick: rows and totals as display strings (so equal views mean
// an equal screen), and the signature of what the table's window shows (what decides a redraw).
import {isNewKey, newKeyHoldMs, type CounterTick} from '../../../monitor/counters.js';
import {formatCount, formatDelta, formatTtl} from '../../../text/format.js';
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
	/** appeared after the baseline, less than newKeyHoldMs ago (the rule --plain marks `new` by) */
	readonly isNew: boolean;
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

function rowOf(k: TickKey, at: number): CounterRow {
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
		isNew: isNewKey(k, at, newKeyHoldMs),
	};
}

/** What the tab draws from a tick: strings at display precision, so equal views mean an equal screen. */
export function viewOf(tick: CounterTick | undefined, error: string | undefined): CountersView {
	if (!tick) return {rows: [], totals: undefined, error, truncated: false, loading: error === undefined};
	return {
		rows: tick.keys.map(k => rowOf(k, tick.at)),
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
	const shown = tick.keys.slice(start, start + window.visible).map(k => rowOf(k, tick.at));
	const gone = tick.keys.reduce((n, k) => n + (k.gone ? 1 : 0), 0);
	const {rows: _rows, ...rest} = viewOf({...tick, keys: []}, error);
	return JSON.stringify({shown, start, count: tick.keys.length, gone, rest});
}


/** "rows 21–40 of 1,000" when the rows do not all fit in the table, else undefined. */
export function rowRange(window: CountersWindow, count: number): string | undefined {
	if (count <= window.visible) return undefined;
	const start = windowStart(window.cursor, count, window.visible);
	return `rows ${formatCount(start + 1)}–${formatCount(Math.min(count, start + window.visible))} of ${formatCount(count)}`;
}
