// The Keys tab's scan: a KeyScanner run in the background (one SCAN call per master at a time),
// with at most ~8 state updates a second however fast the keys come, stop / continue, rescan,
// and a retry while Redis is down. The key array is the scanner's own, grown in place: a 100k
// list is never copied per update; `version` says when it changed.
import {useCallback, useEffect, useRef, useState} from 'react';
import type {Backends} from '../../../backends/index.js';
import {KeyScanner, type RedisType, type ScanProgress} from '../../../cache/keys.js';
import {formatDuration} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';

export type KeyScan = {
	readonly keys: readonly string[];
	/** bumps whenever keys or progress changed */
	readonly version: number;
	readonly progress: ScanProgress | undefined;
	readonly running: boolean;
	readonly error: string | undefined;
	/** Redis is still connecting: the scan starts when it is up */
	readonly waiting: boolean;
	readonly rescan: () => void;
	/** stop when running, continue when stopped */
	readonly toggle: () => void;
	/** drop keys from the list (after a delete) */
	readonly remove: (keys: readonly string[]) => void;
};

const emptyKeys: readonly string[] = [];
const updateEveryMs = 120;

export function useKeyScan(backends: Backends, options: {readonly pattern: string; readonly type: RedisType | undefined; readonly enabled: boolean}): KeyScan {
	const {pattern, type, enabled} = options;
	const [generation, setGeneration] = useState(0);
	const [version, setVersion] = useState(0);
	const [running, setRunning] = useState(false);
	const [error, setError] = useState<string | undefined>();
	const [waiting, setWaiting] = useState(false);
	const scannerRef = useRef<{scanner: KeyScanner; generation: number} | undefined>(undefined);
	const loopRef = useRef<(() => void) | undefined>(undefined);

	useEffect(() => {
		if (!enabled) return;
		let cancelled = false;
		let retry: NodeJS.Timeout | undefined;
		let stopWaiting: () => void = () => undefined;
		let last = 0;
		const scanner = new KeyScanner(backends.redis, {pattern, type, count: backends.config.scanCount});
		scannerRef.current = {scanner, generation};
		setVersion(v => v + 1);
		setError(undefined);

		const loop = async () => {
			setRunning(true);
			setWaiting(false);
			try {
				while (!cancelled && !scanner.done && !scanner.stopped) {
					await scanner.step();
					const now = Date.now();
					if (now - last >= updateEveryMs || scanner.done) {
						last = now;
						if (!cancelled) setVersion(v => v + 1);
						// let Ink draw and keys be read between bursts of SCAN replies
						await new Promise(resolve => setImmediate(resolve));
					}
				}
				if (!cancelled) setError(undefined);
			} catch (caught) {
				if (cancelled) return;
				const state = backends.redis.status.state;
				// still connecting (the console starts the drivers after its first frame) is not an error
				const nextAt = backends.redis.status.nextRetryAt;
				const next = state === 'down' && nextAt !== undefined ? ` · next try in ${formatDuration(Math.max(0, nextAt - Date.now()))}` : '';
				setError(state === 'connecting' ? undefined : errorMessage(caught) + next);
				setWaiting(state === 'connecting');
				// start over as soon as Redis is up again, or in a second
				const again = () => {
					off();
					clearTimeout(retry);
					if (!cancelled) setGeneration(g => g + 1);
				};
				const off = backends.redis.keeper.onChange(status => {
					if (status.state === 'up') again();
				});
				retry = setTimeout(again, state === 'connecting' ? 250 : 1000);
				stopWaiting = off;
			} finally {
				if (!cancelled) {
					setRunning(false);
					setVersion(v => v + 1);
				}
			}
		};
		loopRef.current = () => void loop();
		void loop();
		return () => {
			cancelled = true;
			scanner.stop();
			clearTimeout(retry);
			stopWaiting();
		};
	}, [backends, pattern, type, enabled, generation]);

	const rescan = useCallback(() => setGeneration(g => g + 1), []);
	const toggle = useCallback(() => {
		const scanner = scannerRef.current?.scanner;
		if (!scanner || scanner.done) return;
		if (scanner.stopped) {
			scanner.resume();
			loopRef.current?.();
		}
		else scanner.stop();
	}, []);
	const remove = useCallback((gone: readonly string[]) => {
		const scanner = scannerRef.current?.scanner;
		if (!scanner) return;
		const set = new Set(gone);
		let w = 0;
		for (const key of scanner.keys) if (!set.has(key)) scanner.keys[w++] = key;
		scanner.keys.length = w;
		setVersion(v => v + 1);
	}, []);

	// Until the effect has started the scan for new options, the old scan is not shown as theirs.
	const current = scannerRef.current;
	const fresh = current !== undefined && current.generation === generation && current.scanner.pattern === (pattern.trim() ? pattern : '*') && current.scanner.type === type;
	const scanner = fresh ? current.scanner : undefined;
	return {
		keys: scanner?.keys ?? emptyKeys,
		version,
		progress: scanner?.progress(),
		running: running || (enabled && !fresh),
		error,
		waiting,
		rescan,
		toggle,
		remove,
	};
}
