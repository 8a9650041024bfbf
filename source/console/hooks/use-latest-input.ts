// useInput with a handler that always sees the latest render. Ink subscribes a handler in a passive
// effect, which can run a moment after the frame is drawn: keys arriving in that moment would reach
// the previous render's handler (stale rows, a stale cursor, a stale text). Here the subscription
// is stable and calls through a ref set on every render.
import {useInput, type Key} from 'ink';
import {useCallback, useRef} from 'react';

export type InputHandler = (input: string, key: Key) => void;

export function useLatestInput(handler: InputHandler, options: {readonly isActive: boolean}): void {
	const ref = useRef(handler);
	ref.current = handler;
	const stable = useCallback((input: string, key: Key) => ref.current(input, key), []);
	useInput(stable, {isActive: options.isActive});
}
