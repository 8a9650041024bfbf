// What the frame gives every tab: the backends (one React context) and a way to say which keys
// work here, to take the keyboard for a text field or a dialog, and to flash a one-line result.
import {createContext, useContext, useEffect, useRef} from 'react';
import type {Backends} from '../backends/index.js';
import type {Shown} from '../text/sanitize.js';

export type Hint = {readonly key: string; readonly label: string};
export type Tone = 'info' | 'success' | 'warning' | 'error';

export type Frame = {
	readonly setHints: (hints: readonly Hint[]) => void;
	/** what the active view asked for while the very first frame was rendered (see useHints) */
	readonly firstHints?: {current: readonly Hint[] | undefined};
	/** while any capture is on, the frame's own keys (1-4, Tab, q, ?) are off */
	readonly setCapture: (id: string, on: boolean) => void;
	/** a one-line result: the console's own literal words or Safe text (a key name, a server's error) */
	readonly flash: <T extends string>(message: T & Shown<T>, tone?: Tone) => void;
};

export const BackendsContext = createContext<Backends | undefined>(undefined);
export const FrameContext = createContext<Frame>({setHints: () => undefined, setCapture: () => undefined, flash: () => undefined});

export function useBackends(): Backends {
	const backends = useContext(BackendsContext);
	if (!backends) throw new Error('useBackends outside <BackendsContext.Provider>');
	return backends;
}

export function useFrame(): Frame {
	return useContext(FrameContext);
}

/** Shows these hints in the bottom bar while the calling view is active. */
export function useHints(hints: readonly Hint[], isActive: boolean): void {
	const {setHints, firstHints} = useFrame();
	const key = JSON.stringify(hints);
	// The effect below runs after Ink has drawn the first frame, and Ink draws the next one no sooner
	// than 33 ms later: the first frame's bottom bar reads these from the render itself.
	if (isActive && firstHints && firstHints.current === undefined) firstHints.current = hints;
	useEffect(() => {
		if (isActive) setHints(JSON.parse(key) as Hint[]);
	}, [key, isActive, setHints]);
}

let captureIds = 0;
/** Takes the keyboard from the frame while `on` (a text field, a dialog). */
export function useCapture(on: boolean): void {
	const {setCapture} = useFrame();
	const id = useRef(`capture-${++captureIds}`);
	useEffect(() => {
		setCapture(id.current, on);
		return () => setCapture(id.current, false);
	}, [on, setCapture]);
}
