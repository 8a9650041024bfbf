// Polls an async function with chained timeouts (a slow poll never overlaps the next), aborts on
// unmount, keeps the last good value with its age and the last error, and makes one state update a
// tick — none when nothing changed.
import {useCallback, useEffect, useEffectEvent, useRef, useState} from 'react';
import {errorMessage} from '../../text/mask.js';

export type PollState<T> = {
	readonly data: T | undefined;
	/** when data was last fetched successfully */
	readonly updatedAt: number | undefined;
	/** the last error (masked), cleared by the next success */
	readonly error: string | undefined;
	readonly errorAt: number | undefined;
	/** true until the first result (data or error) */
	readonly loading: boolean;
};

export type PollOptions<T> = {
	readonly intervalMs: number;
	/** false pauses polling (the last value stays) */
	readonly enabled?: boolean;
	readonly isEqual?: (a: T, b: T) => boolean;
};

function jsonEqual(a: unknown, b: unknown): boolean {
	try {
		return JSON.stringify(a) === JSON.stringify(b);
	} catch {
		return false;
	}
}

const initial: PollState<never> = {data: undefined, updatedAt: undefined, error: undefined, errorAt: undefined, loading: true};

/** `source`: what is polled (the poll starts over when it changes); `fn` and `isEqual` may change freely. */
export function usePoll<T>(
	fn: (signal: AbortSignal) => Promise<T>,
	options: PollOptions<T>,
	source?: unknown,
): PollState<T> & {readonly refresh: () => Promise<void>} {
	const {intervalMs, enabled = true, isEqual = jsonEqual} = options;
	const [state, setState] = useState<PollState<T>>(initial);
	// what the ticks last set (they are its only writers): compared with outside React's updaters,
	// which may run during a render, where the latest isEqual cannot be called
	const shown = useRef<PollState<T>>(initial);
	// the latest of both, for ticks already under way
	const fetch = useEffectEvent((signal: AbortSignal) => fn(signal));
	const same = useEffectEvent((a: T, b: T) => isEqual(a, b));
	/** asks for a tick; false when not polling */
	const kick = useRef<() => boolean>(() => false);
	// refresh() calls waiting for the end of the tick they asked for
	const waiting = useRef<(() => void)[]>([]);

	useEffect(() => {
		if (!enabled) return;
		const controller = new AbortController();
		// (one array for the hook's life, emptied in place)
		const queue = waiting.current;
		let timer: NodeJS.Timeout | undefined;
		let running = false;
		let again = false;
		const show = (next: PollState<T>) => {
			shown.current = next;
			setState(next);
		};

		const tick = async () => {
			if (controller.signal.aborted) return;
			running = true;
			timer = undefined;
			const asked = queue.splice(0);
			try {
				const data = await fetch(controller.signal);
				if (controller.signal.aborted) return;
				const previous = shown.current;
				if (previous.data === undefined || previous.error !== undefined || !same(previous.data, data)) {
					show({data, updatedAt: Date.now(), error: undefined, errorAt: undefined, loading: false});
				}
			} catch (error) {
				if (controller.signal.aborted) return;
				const message = errorMessage(error);
				const previous = shown.current;
				if (previous.error !== message || previous.loading) show({...previous, error: message, errorAt: Date.now(), loading: false});
			} finally {
				running = false;
				for (const resolve of asked) resolve();
			}
			if (controller.signal.aborted) return;
			const delay = again ? 0 : intervalMs;
			again = false;
			timer = setTimeout(() => void tick(), delay);
		};

		kick.current = () => {
			if (controller.signal.aborted) return false;
			if (running) {
				again = true;
				return true;
			}
			if (timer) clearTimeout(timer);
			void tick();
			return true;
		};

		void tick();
		return () => {
			controller.abort();
			if (timer) clearTimeout(timer);
			kick.current = () => false;
			for (const resolve of queue.splice(0)) resolve();
		};
	}, [intervalMs, enabled, source]);

	/** a tick now (after the one under way); resolves when it is done (at once when not polling) */
	const refresh = useCallback(() => new Promise<void>(resolve => {
		waiting.current.push(resolve);
		if (!kick.current()) for (const done of waiting.current.splice(0)) done();
	}), []);
	return {...state, refresh};
}
