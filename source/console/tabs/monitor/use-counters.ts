// The Monitor tab's live counters. Counting starts the first time the tab is shown (a console
// left on another tab does not send Redis a count and a PTTL per watched key every tick for
// nothing); from then on it ticks on a chained timeout whether or not the tab is on screen (the
// tab is always mounted, so history keeps growing), but only draws while visible, and only when
// what would be drawn differs from the last frame: an idle pane left open all day does not
// re-render at all.
import {useCallback, useEffect, useRef, useState} from 'react';
import {CounterMonitor, type CounterTick, type RedisForCounters} from '../../../monitor/counters.js';
import {errorMessage} from '../../../text/mask.js';
import {screenSignature, viewOf, type CountersView, type CountersWindow} from './counter-view.js';

export type {CounterRow, CountersView, CountersWindow} from './counter-view.js';

type Options = {
	readonly redis: RedisForCounters;
	readonly watches: readonly string[];
	readonly scanCount: number;
	readonly intervalMs: number;
	readonly paused: boolean;
	readonly isVisible: boolean;
};

type Counters = {
	readonly view: CountersView;
	readonly refresh: () => void;
	/**
	 * the table's window now (the whole list until said), called while rendering: when it moved,
	 * what came into view is drawn from the latest tick as an update during that render (React
	 * renders again before committing), never as one more commit per cursor move
	 */
	readonly show: (window: CountersWindow) => void;
};

export function useCounters({redis, watches, scanCount, intervalMs, paused, isVisible}: Options): Counters {
	const monitor = useRef<CounterMonitor | undefined>(undefined);
	monitor.current ??= new CounterMonitor({watches, scanCount});
	const latest = useRef<{tick: CounterTick | undefined; error: string | undefined}>({tick: undefined, error: undefined});
	const drawn = useRef<string>('');
	// read by ticks between renders: kept in step by the effects below
	const visible = useRef(isVisible);
	const pausedRef = useRef(paused);
	const shown = useRef<CountersWindow>({cursor: 0, visible: Number.MAX_SAFE_INTEGER});
	const [view, setView] = useState<CountersView>(() => viewOf(undefined, undefined));
	const [started, setStarted] = useState(isVisible);
	if (isVisible && !started) setStarted(true);
	const kick = useRef<() => void>(() => undefined);

	const draw = useCallback(() => {
		if (!visible.current) return;
		const {tick, error} = latest.current;
		const key = screenSignature(tick, error, shown.current);
		if (key === drawn.current) return;
		drawn.current = key;
		setView(viewOf(tick, error));
	}, []);
	const show = useCallback((window: CountersWindow) => {
		if (window.cursor === shown.current.cursor && window.visible === shown.current.visible) return;
		shown.current = window;
		draw();
	}, [draw]);

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
	useEffect(() => {
		pausedRef.current = paused;
	}, [paused]);
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
		visible.current = isVisible;
		if (isVisible) draw();
	}, [isVisible, draw]);

	return {view, refresh: useCallback(() => kick.current(), []), show};
}
