// The surface every backend shares: a state, the latency of the last probe, how often it came back,
// and the last error (already masked). The console and the health op read it; nothing else writes it.
import {errorMessage} from '../text/mask.js';

export type BackendState = 'connecting' | 'up' | 'down';

export type BackendStatus = {
	readonly state: BackendState;
	/** round trip of the last successful probe */
	readonly latencyMs: number | undefined;
	/** times the backend came back after the first connection (automatic or manual) */
	readonly reconnects: number;
	readonly lastError: string | undefined;
	readonly lastErrorAt: number | undefined;
	/** when the current state began */
	readonly since: number;
	/** while down: when the next automatic attempt is due */
	readonly nextRetryAt: number | undefined;
};

export type ReconnectResult =
	| {readonly ok: true; readonly ms: number}
	| {readonly ok: false; readonly ms: number; readonly error: string; readonly nextRetryMs: number | undefined};

/** Thrown by a backend asked for its client while it is not connected: fails fast, never queues. */
export class BackendDownError extends Error {
	constructor(readonly backend: string, reason: string | undefined) {
		super(`${backend} is down${reason ? `: ${reason}` : ''}`);
		this.name = 'BackendDownError';
	}
}

/** Keeps a BackendStatus and tells subscribers when it changes. */
export class StatusKeeper {
	#status: BackendStatus = {
		state: 'connecting',
		latencyMs: undefined,
		reconnects: 0,
		lastError: undefined,
		lastErrorAt: undefined,
		since: Date.now(),
		nextRetryAt: undefined,
	};

	readonly #listeners = new Set<(status: BackendStatus) => void>();
	#everUp = false;

	get status(): BackendStatus {
		return this.#status;
	}

	get everUp(): boolean {
		return this.#everUp;
	}

	onChange(listener: (status: BackendStatus) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	up(latencyMs?: number): void {
		const wasUp = this.#status.state === 'up';
		const comesBack = !wasUp && this.#everUp;
		this.#everUp = true;
		this.#set({
			state: 'up',
			latencyMs: latencyMs ?? this.#status.latencyMs,
			reconnects: this.#status.reconnects + (comesBack ? 1 : 0),
			since: wasUp ? this.#status.since : Date.now(),
			nextRetryAt: undefined,
		});
	}

	/** counts a come-back that happened without a down state being seen (e.g. a server restart) */
	countReconnect(): void {
		this.#set({reconnects: this.#status.reconnects + 1});
	}

	down(error: unknown, nextRetryAt?: number): void {
		const wasDown = this.#status.state === 'down';
		this.#set({
			state: 'down',
			lastError: error === undefined ? this.#status.lastError : errorMessage(error),
			lastErrorAt: error === undefined ? this.#status.lastErrorAt : Date.now(),
			since: wasDown ? this.#status.since : Date.now(),
			nextRetryAt: nextRetryAt ?? this.#status.nextRetryAt,
		});
	}

	error(error: unknown): void {
		this.#set({lastError: errorMessage(error), lastErrorAt: Date.now()});
	}

	retryAt(at: number | undefined): void {
		this.#set({nextRetryAt: at});
	}

	#set(patch: Partial<BackendStatus>): void {
		const next = {...this.#status, ...patch};
		const changed = (Object.keys(next) as (keyof BackendStatus)[]).some(k => next[k] !== this.#status[k]);
		if (!changed) return;
		this.#status = next;
		for (const listener of this.#listeners) listener(next);
	}
}

/** Resolves with the promise, or rejects after ms with `message`. The timer never keeps the process alive. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(message)), ms);
				timer.unref?.();
			}),
		]);
	} finally {
		if (timer) clearTimeout(timer);
	}
}

/**
 * One reconnect for a burst of requests: calls while one runs share it, and calls within
 * `cooldownMs` after a successful one get its result (an operator pressing R five times, however
 * slowly the keys arrive over SSH, gets one reconnect). A failed one can be retried at once.
 */
export class ReconnectGate {
	#running: Promise<ReconnectResult> | undefined;
	#last: {at: number; result: ReconnectResult} | undefined;

	constructor(readonly cooldownMs = 1000) {}

	run(reconnect: () => Promise<ReconnectResult>): Promise<ReconnectResult> {
		if (this.#running) return this.#running;
		const last = this.#last;
		if (last?.result.ok && performance.now() - last.at < this.cooldownMs) return Promise.resolve(last.result);
		this.#running = reconnect().then(result => {
			this.#last = {at: performance.now(), result};
			return result;
		}).finally(() => {
			this.#running = undefined;
		});
		return this.#running;
	}
}
