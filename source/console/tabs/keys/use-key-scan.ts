// The Keys tab's scan: a KeyScanner run in the background (one SCAN call per master at a time),
// with at most ~8 state updates a second however fast the keys come, stop / continue, rescan,
// a retry while Redis is down, and a new scan by itself when Redis comes back (a restarted server
// holds other keys than the list shows). The key array is the scanner's own, grown in place: a 100k
// list is never copied per update; `list` is a new object whenever it changed.
import {useEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import type {Backends} from '../../../backends/index.js';
import {KeyScanner, type RedisType, type ScanProgress} from '../../../cache/keys.js';
import {formatDuration} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';

/** The keys found so far and a version that changes with them (and with the progress). */
export type KeyList = {readonly keys: readonly string[]; readonly version: number};

export type KeyScan = {
	readonly list: KeyList;
	readonly progress: ScanProgress | undefined;
	readonly running: boolean;
	readonly error: string | undefined;
	/** Redis is still connecting: the scan starts when it is up */
	readonly waiting: boolean;
	/** Redis is down now (the list, if any, is from before) */
	readonly down: boolean;
	/** changes with every new scan, asked for or not */
	readonly generation: number;
	readonly rescan: () => void;
	/** stop when running, continue when stopped */
	readonly toggle: () => void;
	/** drop keys from the list (after a delete) */
	readonly remove: (keys: readonly string[]) => void;
};

/** What the loop last said about a scanner (nothing yet: it is about to start). */
type Report = {readonly scanner: KeyScanner; readonly running: boolean; readonly error?: string; readonly waiting?: boolean};

const emptyKeys: readonly string[] = [];
const updateEveryMs = 120;

/** Takes keys out of the scanner's list where they are (the list is not copied). */
function dropKeys(keys: string[], gone: readonly string[]): void {
	const set = new Set(gone);
	let w = 0;
	for (const key of keys) if (!set.has(key)) keys[w++] = key;
	keys.length = w;
}

/** `keyspace`: moves on when this console changed the keyspace (a flush): the scan starts again */
export function useKeyScan(backends: Backends, options: {readonly pattern: string; readonly type: RedisType | undefined; readonly enabled: boolean; readonly keyspace?: number}): KeyScan {
	const {pattern, type, enabled, keyspace = 0} = options;
	const [generation, setGeneration] = useState(0);
	const [version, setVersion] = useState(0);
	const [report, setReport] = useState<Report | undefined>();
	// a scanner per set of options, made as they change (making one sends nothing): what the list
	// shows is always the scan of the options on screen; the effect below runs it
	const run = useMemo(
		() => (enabled ? {generation, scanner: new KeyScanner(backends.redis, {pattern, type, count: backends.config.scanCount})} : undefined),
		// eslint-disable-next-line react-hooks/exhaustive-deps -- keyspace: a new scanner when it moves on
		[backends, pattern, type, enabled, generation, keyspace],
	);
	const loopRef = useRef<(() => void) | undefined>(undefined);
	const {keeper} = backends.redis;
	const subscribe = useMemo(() => (listener: () => void) => keeper.onChange(listener), [keeper]);
	const down = useSyncExternalStore(subscribe, () => keeper.status.state === 'down');

	// Redis back (after a down, or a restart the client only saw as a reconnect): scan again
	useEffect(() => {
		let reconnects = keeper.status.reconnects;
		return keeper.onChange(status => {
			if (status.reconnects === reconnects) return;
			reconnects = status.reconnects;
			if (status.state === 'up') setGeneration(g => g + 1);
		});
	}, [keeper]);

	useEffect(() => {
		if (!run) return;
		const {scanner} = run;
		let cancelled = false;
		let retry: NodeJS.Timeout | undefined;
		let stopWaiting: () => void = () => undefined;
		let last = 0;

		const loop = async () => {
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
				if (!cancelled) setReport({scanner, running: false});
			} catch (caught) {
				if (cancelled) return;
				const state = backends.redis.status.state;
				// still connecting (the console starts the drivers after its first frame) is not an error
				const nextAt = backends.redis.status.nextRetryAt;
				// the retry first: the reason can be a long sentence that a narrow line cuts
				const next = state === 'down' && nextAt !== undefined ? `next try in ${formatDuration(Math.max(0, nextAt - Date.now()))} · ` : '';
				setReport({scanner, running: false, error: state === 'connecting' ? undefined : next + errorMessage(caught), waiting: state === 'connecting'});
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
				if (!cancelled) setVersion(v => v + 1);
			}
		};
		loopRef.current = () => {
			setReport({scanner, running: true});
			void loop();
		};
		void loop();
		return () => {
			cancelled = true;
			scanner.stop();
			clearTimeout(retry);
			stopWaiting();
		};
	}, [backends, run]);

	const scanner = run?.scanner;
	const list = useMemo(() => ({keys: scanner?.keys ?? emptyKeys, version}), [scanner, version]);
	const mine = report !== undefined && report.scanner === scanner ? report : undefined;
	return {
		list,
		progress: scanner?.progress(),
		// a scan that has read its last reply is not running, even in the frame drawn before the loop
		// reports it (the header said "done" over a body still saying "scanning…")
		running: scanner !== undefined && !scanner.done && (mine?.running ?? true),
		error: mine?.error,
		waiting: mine?.waiting ?? false,
		down,
		generation,
		rescan: () => setGeneration(g => g + 1),
		toggle: () => {
			if (!scanner || scanner.done) return;
			if (!scanner.stopped) return scanner.stop();
			scanner.resume();
			loopRef.current?.();
		},
		remove: gone => {
			if (!scanner) return;
			dropKeys(scanner.keys, gone);
			setVersion(v => v + 1);
		},
	};
}
