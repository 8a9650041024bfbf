// What the frame gives every tab: the backends (one React context), a way to flash a one-line
// result, and — for the bottom bar a tab's screen draws — the flash on show and the frame's own
// bar items (`? help`, `q quit`). Keys go through the input layer (input/keyboard.tsx).
import {createContext, useContext} from 'react';
import type {Backends} from '../backends/index.js';
import type {Safe, Shown} from '../text/sanitize.js';
import type {BarItem} from './input/keymap.js';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export type Frame = {
	/** a one-line result: the console's own literal words or Safe text (a key name, a server's error) */
	readonly flash: <T extends string>(message: T & Shown<T>, tone?: Tone) => void;
};

/** `at`: when it was said (ms since the epoch), shown with it */
export type Flash = {readonly message: Safe; readonly tone: Tone; readonly at: number};

export const BackendsContext = createContext<Backends | undefined>(undefined);
export const FrameContext = createContext<Frame>({flash: () => undefined});
/** the flash on show, which takes the place of the bottom bar for a few seconds */
export const FlashContext = createContext<Flash | undefined>(undefined);
/** the frame's keys every tab's bar ends with (from the frame's keymap) */
export const FrameBarContext = createContext<readonly BarItem[]>([]);

/**
 * The keyspace as this console changed it: a generation one of its destructive actions (a flush)
 * moves on, so a list of keys read before (the Keys tab's scan) reads them again.
 */
export type Keyspace = {readonly generation: number; readonly changed: () => void};
export const KeyspaceContext = createContext<Keyspace>({generation: 0, changed: () => undefined});

export function useKeyspace(): Keyspace {
	return useContext(KeyspaceContext);
}

export function useBackends(): Backends {
	const backends = useContext(BackendsContext);
	if (!backends) throw new Error('useBackends outside <BackendsContext.Provider>');
	return backends;
}

export function useFrame(): Frame {
	return useContext(FrameContext);
}
