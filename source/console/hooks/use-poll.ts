// Polls an async function with chained timeouts (a slow poll never overlaps the next), aborts on
// unmount, keeps the last good value with its age and the last error, and makes one state update a
// tick — none when nothing changed.
import {useCallback, useEffect, useRef, useState} from 'react';
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

export function usePoll<T>(
	fn: (signal: AbortSignal) => Promise<T>,
	options: PollOptions<T>,
	deps: readonly unknown[] = [],
): PollState<T> & {readonly refresh: () => void} {
	const {intervalMs, enabled = true, isEqual = jsonEqual} = options;
	const [state, setState] = useState<PollState<T>>({data: undefined, updatedAt: undefined, error: undefined, errorAt: undefined, loading: true});
	const fnRef = useRef(fn);
	fnRef.current = fn;
	const isEqualRef = useRef(isEqual);
	isEqualRef.current = isEqual;
	const kick = useRef<() => void>(() => undefined);

	useEffect(() => {
		if (!enabled) return;
		const controller = new AbortController();
		let timer: NodeJS.Timeout | undefined;
		let running = false;
		let again = false;

		const tick = async () => {
			if (controller.signal.aborted) return;
			running = true;
			timer = undefined;
			try {
				const data = await fnRef.current(controller.signal);
				if (controller.signal.aborted) return;
				const now = Date.now();
				setState(previous => {
					if (previous.data !== undefined && previous.error === undefined && isEqualRef.current(previous.data, data)) {
						return previous;
					}
					return {data, updatedAt: now, error: undefined, errorAt: undefined, loading: false};
				});
			} catch (error) {
				if (controller.signal.aborted) return;
				const message = errorMessage(error);
				setState(previous => (previous.error === message && !previous.loading
					? previous
					: {...previous, error: message, errorAt: Date.now(), loading: false}));
			} finally {
				running = false;
			}
			if (controller.signal.aborted) return;
			const delay = again ? 0 : intervalMs;
			again = false;
			timer = setTimeout(() => void tick(), delay);
		};

		kick.current = () => {
			if (controller.signal.aborted) return;
			if (running) {
				again = true;
				return;
			}
			if (timer) clearTimeout(timer);
			void tick();
		};

		void tick();
		return () => {
			controller.abort();
			if (timer) clearTimeout(timer);
			kick.current = () => undefined;
		};
	}, [intervalMs, enabled, ...deps]);

	const refresh = useCallback(() => kick.current(), []);
	return {...state, refresh};
}
