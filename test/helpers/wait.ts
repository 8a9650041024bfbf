// Polling instead of sleeping: a test waits for the state it needs, no longer, and a timeout says
// what it saw last.
import {inspect} from 'node:util';

export type WaitOptions = {
	/** give up after this many ms (default 5000) */
	readonly timeout?: number;
	/** poll every this many ms (default 25) */
	readonly interval?: number;
	/** prefix for the timeout error */
	readonly message?: string;
};

/**
 * Calls `fn` until it returns a truthy value (or, for a function that throws, until it stops
 * throwing) and returns that value. On timeout throws an Error quoting the last error or value.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
	const timeout = options.timeout ?? 5000;
	const interval = options.interval ?? 25;
	const deadline = Date.now() + timeout;
	let last: {error: unknown} | {value: unknown} = {value: undefined};
	for (;;) {
		try {
			const value = await fn();
			if (value) return value as NonNullable<T>;
			last = {value};
		} catch (error) {
			last = {error};
		}
		if (Date.now() >= deadline) break;
		await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
	}
	const seen = 'error' in last
		? `last error: ${last.error instanceof Error ? last.error.message : inspect(last.error)}`
		: `last value: ${inspect(last.value, {depth: 4, breakLength: Infinity})}`;
	const error = new Error(`${options.message ? `${options.message}: ` : ''}waitFor timed out after ${timeout} ms (${seen})`);
	if ('error' in last) error.cause = last.error;
	throw error;
}

/** A plain delay, for the few places where time itself is what is tested. */
export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

/** How long a promise takes to settle, and how it settled. Never rejects. */
export async function timed<T>(promise: Promise<T> | (() => Promise<T>)): Promise<{ms: number; value?: T; error?: unknown; ok: boolean}> {
	const started = performance.now();
	try {
		const value = await (typeof promise === 'function' ? promise() : promise);
		return {ms: performance.now() - started, value, ok: true};
	} catch (error) {
		return {ms: performance.now() - started, error, ok: false};
	}
}
