// The memory scan of the Redis tab: one MemoryScan (redis-server/memory.ts) at a time, run in the
// background with its report redrawn a few times a second (not per batch: a million keys are
// ~1,000 batches), stopped and continued with space, aborted when the tab goes away.
import {useCallback, useEffect, useRef, useState} from 'react';
import type {RedisBackend} from '../../../backends/redis/client.js';
import {MemoryScan, type MemoryReport} from '../../../redis-server/memory.js';
import {errorMessage} from '../../../text/mask.js';

/** prefix levels kept (the tree opens down to them) and biggest keys listed */
export const memoryDepth = 4;
export const memoryTop = 20;
const redrawMs = 250;

export type MemoryScanState = {
	readonly report: MemoryReport | undefined;
	/** a run() is under way */
	readonly running: boolean;
	readonly error: string | undefined;
	/** starts a scan when there is none, else stops or continues the one there is */
	readonly toggle: () => void;
	/** a new scan from the start */
	readonly restart: () => void;
};

export function useMemoryScan(redis: RedisBackend): MemoryScanState {
	const scan = useRef<MemoryScan | undefined>(undefined);
	const controller = useRef<AbortController | undefined>(undefined);
	const [report, setReport] = useState<MemoryReport | undefined>();
	const [running, setRunning] = useState(false);
	const [error, setError] = useState<string | undefined>();

	useEffect(() => () => controller.current?.abort(), []);

	const go = useCallback((current: MemoryScan) => {
		const abort = new AbortController();
		controller.current = abort;
		setRunning(true);
		setError(undefined);
		let shown = 0;
		current.run({
			signal: abort.signal,
			onProgress: () => {
				if (Date.now() - shown < redrawMs) return;
				shown = Date.now();
				setReport(current.report());
			},
		}).then(
			final => {
				if (abort.signal.aborted || scan.current !== current) return;
				setReport(final);
				setRunning(false);
			},
			(failure: unknown) => {
				if (abort.signal.aborted || scan.current !== current) return;
				setReport(current.report());
				setError(errorMessage(failure));
				setRunning(false);
			},
		);
	}, []);

	const restart = useCallback(() => {
		controller.current?.abort();
		try {
			const fresh = new MemoryScan(redis, {depth: memoryDepth, top: memoryTop});
			scan.current = fresh;
			setReport(undefined);
			go(fresh);
		} catch (failure) {
			setError(errorMessage(failure));
			setRunning(false);
		}
	}, [redis, go]);

	const toggle = useCallback(() => {
		const current = scan.current;
		if (!current) return restart();
		if (running) {
			// run() ends after the batches in flight; its report is drawn then
			current.stop();
			return;
		}
		if (current.done) return restart();
		go(current);
	}, [running, restart, go]);

	return {report, running, error, toggle, restart};
}
