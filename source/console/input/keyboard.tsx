// The console's one subscription to the keyboard, and the hooks screens use to say which keys they
// take. Keys reach the router (router.ts) one commit apart: the first of a read at once (the last
// commit is up to date), each next one from the pump's layout effect — after React has committed
// everything the previous key did, and after every screen below has registered that commit's
// keymap in its own layout effect — then the pump forces the next commit.
import {useStdin} from 'ink';
import {createContext, useContext, useEffect, useEffectEvent, useId, useLayoutEffect, useState, useSyncExternalStore, type ReactNode} from 'react';
import type {BarItem, KeyEntry} from './keymap.js';
import {InputRouter, type Capture} from './router.js';

const InputContext = createContext<InputRouter | undefined>(undefined);

/** The id a tab's screens register their keymap under (the frame sets it for each tab). */
export const TabIdContext = createContext('tab');

/**
 * Dispatches one queued key per commit. A key is handled inside the commit phase, so all it sets
 * is committed as one update right after; the next key waits for a fresh commit (setImmediate, so
 * a long paste is not one nested update after another, which React caps at 50).
 */
function Pump({router}: {readonly router: InputRouter}) {
	const [tick, setTick] = useState(0);
	useLayoutEffect(() => router.setWake(() => setTick(t => t + 1)), [router]);
	useLayoutEffect(() => {
		if (tick === 0 || !router.step()) return;
		const next = setImmediate(() => setTick(t => t + 1));
		return () => clearImmediate(next);
	}, [router, tick]);
	return null;
}

/** Owns the keyboard for everything inside it. */
export function Keyboard({children}: {readonly children: ReactNode}) {
	const [router] = useState(() => new InputRouter());
	// Ink's own event of what it read (escape sequences already apart; a typed run of text still
	// one string): useInput would hand the same over already parsed into one key, and listening on
	// stdin beside Ink would take the bytes from its reader.
	const {isRawModeSupported, setRawMode, internal_eventEmitter: events} = useStdin();
	// a pipe has no raw mode (setRawMode throws) and no keys to read
	const canRead = isRawModeSupported === true;
	useEffect(() => {
		if (!canRead) return;
		setRawMode(true);
		const onInput = (chunk: string) => router.receive(chunk);
		events.on('input', onInput);
		return () => {
			events.off('input', onInput);
			setRawMode(false);
		};
	}, [canRead, events, router, setRawMode]);
	return (
		<InputContext.Provider value={router}>
			{children}
			{/* last: its layout effect runs after those of every screen above */}
			<Pump router={router} />
		</InputContext.Provider>
	);
}

export function useRouter(): InputRouter | undefined {
	return useContext(InputContext);
}

/** Registers the keymap of the screen a tab shows (what its keys run, what its bar and help say). */
export function useTabKeymap(entries: readonly KeyEntry[]): void {
	const router = useContext(InputContext);
	const id = useContext(TabIdContext);
	useLayoutEffect(() => {
		router?.setTab(id, entries);
		return () => router?.removeTab(id, entries);
	}, [router, id, entries]);
}

/** Takes every key while `capture` is given (a text field, a dialog); the newest one is on top. */
export function useCapture(capture: Capture | undefined): void {
	const router = useContext(InputContext);
	const id = useId();
	const on = capture !== undefined;
	// set again on every render (its handlers see this render), in the place it took when it opened
	useLayoutEffect(() => {
		if (capture) router?.setCapture(id, capture);
	});
	useLayoutEffect(() => {
		if (!on) return;
		return () => router?.removeCapture(id);
	}, [router, id, on]);
}

/**
 * For a confirm dialog: when it opens (its first commit, before the pump hands over another key),
 * every key typed ahead is dropped; `onDropped` hears how many, when any were.
 */
export function useDropTypeahead(onDropped: (count: number) => void): void {
	const router = useContext(InputContext);
	const dropped = useEffectEvent(onDropped);
	// once, on opening: keys read after the dialog is on screen are the operator's answer
	useLayoutEffect(() => {
		const count = router?.dropQueued() ?? 0;
		if (count > 0) dropped(count);
	}, [router]);
}

const noCapture = () => undefined;
const noSubscription = () => () => undefined;

/** The bottom bar of the capture on top, while there is one. */
export function useCaptureBar(): readonly BarItem[] | undefined {
	const router = useContext(InputContext);
	return useSyncExternalStore(router?.subscribe ?? noSubscription, router?.captureBar ?? noCapture);
}
