// One shared ioredis client. Loaded lazily (start()) so the console draws its first frame first.
// Fails fast while down (no offline queue), never resends a write, backs off 100 ms → 5 s forever.
import type {Cluster, Redis as RedisClient, RedisOptions} from 'ioredis';
import {mask} from '../text/mask.js';
import {BackendDownError, type ReconnectResult, StatusKeeper, withTimeout} from './status.js';

export const redisTimeouts = {connectMs: 3000, commandMs: 5000, backoffStartMs: 100, backoffMaxMs: 5000};

export function backoffDelay(attempt: number): number {
	return Math.min(redisTimeouts.backoffStartMs * 2 ** Math.max(0, attempt - 1), redisTimeouts.backoffMaxMs);
}

type RedisClass = typeof import('ioredis').Redis;

export class RedisBackend {
	readonly name = 'redis';
	readonly maskedUrl: string;
	readonly db: number;
	readonly keeper = new StatusKeeper();
	#Redis: RedisClass | undefined;
	#client: RedisClient | undefined;
	#reconnecting: Promise<ReconnectResult> | undefined;
	#closed = false;

	constructor(readonly url: string, readonly options: {readonly connectTimeoutMs?: number; readonly commandTimeoutMs?: number} = {}) {
		this.maskedUrl = mask(url);
		const db = new URL(url).pathname.replace(/^\//, '');
		this.db = db ? Number(db) : 0;
	}

	get status() {
		return this.keeper.status;
	}

	/** Loads ioredis and starts connecting; does not wait for the connection. */
	async start(): Promise<void> {
		if (this.#client || this.#closed) return;
		this.#Redis ??= (await import('ioredis')).Redis;
		if (this.#client || this.#closed) return;
		this.#client = this.#create();
	}

	#create(): RedisClient {
		const Redis = this.#Redis!;
		const options: RedisOptions = {
			connectTimeout: this.options.connectTimeoutMs ?? redisTimeouts.connectMs,
			commandTimeout: this.options.commandTimeoutMs ?? redisTimeouts.commandMs,
			enableOfflineQueue: false,
			autoResendUnfulfilledCommands: false,
			maxRetriesPerRequest: 0,
			connectionName: 'opsdeck',
			retryStrategy: (attempt: number) => {
				const delay = backoffDelay(attempt);
				this.keeper.retryAt(Date.now() + delay);
				return delay;
			},
			reconnectOnError: () => false,
		};
		const client = new Redis(this.url, options);
		// Without an 'error' listener ioredis prints "Unhandled error event".
		client.on('error', error => {
			if (this.#client === client) this.keeper.error(error);
		});
		client.on('ready', () => {
			if (this.#client === client) this.keeper.up();
		});
		client.on('close', () => {
			if (this.#client === client && !this.#closed) this.keeper.down(undefined);
		});
		client.on('end', () => {
			if (this.#client === client && !this.#closed) this.keeper.down(undefined, undefined);
		});
		return client;
	}

	/** The client, or BackendDownError at once when it is not connected (polls never queue). */
	get client(): RedisClient {
		const client = this.#client;
		if (!client) throw new BackendDownError('redis', this.#closed ? 'closed' : 'not started');
		if (client.status !== 'ready') throw new BackendDownError('redis', this.status.lastError ?? client.status);
		return client;
	}

	/** The client whatever its state (for commands that should wait for ready themselves). */
	get rawClient(): RedisClient | undefined {
		return this.#client;
	}

	get isCluster(): boolean {
		return false;
	}

	/** For a cluster-aware caller: the masters to scan (a standalone server is its own master). */
	masters(): (RedisClient | Cluster)[] {
		return [this.client];
	}

	/** Waits until connected, or rejects with the reason once the connect timeout has passed. */
	async ready(timeoutMs = (this.options.connectTimeoutMs ?? redisTimeouts.connectMs) + 500): Promise<void> {
		await this.start();
		const client = this.#client!;
		if (client.status === 'ready') return;
		await new Promise<void>((resolve, reject) => {
			const done = (error?: Error) => {
				clearTimeout(timer);
				off();
				if (error) reject(error);
				else resolve();
			};
			const off = this.keeper.onChange(status => {
				if (status.state === 'up') done();
			});
			const timer = setTimeout(() => {
				done(new BackendDownError('redis', this.status.lastError ?? `no connection within ${timeoutMs} ms`));
			}, timeoutMs);
			timer.unref?.();
		});
	}

	/** PING: records latency and state. Throws when down. */
	async ping(): Promise<number> {
		const started = performance.now();
		try {
			await this.client.ping();
			const ms = performance.now() - started;
			this.keeper.up(ms);
			return ms;
		} catch (error) {
			this.keeper.down(error);
			throw error;
		}
	}

	/** Drops the connection and opens a new one. Calls while one runs share it: one reconnect. */
	reconnect(): Promise<ReconnectResult> {
		this.#reconnecting ??= this.#doReconnect().finally(() => {
			this.#reconnecting = undefined;
		});
		return this.#reconnecting;
	}

	async #doReconnect(): Promise<ReconnectResult> {
		const started = performance.now();
		await this.start();
		const old = this.#client;
		this.#client = this.#create();
		if (old) {
			old.removeAllListeners('ready');
			old.removeAllListeners('close');
			old.removeAllListeners('end');
			old.disconnect(false);
		}
		try {
			await this.ready();
			return {ok: true, ms: performance.now() - started};
		} catch (error) {
			const next = this.status.nextRetryAt;
			return {
				ok: false,
				ms: performance.now() - started,
				error: this.status.lastError ?? String(error),
				nextRetryMs: next === undefined ? undefined : Math.max(0, next - Date.now()),
			};
		}
	}

	async close(): Promise<void> {
		this.#closed = true;
		const client = this.#client;
		if (!client) return;
		try {
			if (client.status === 'ready') await withTimeout(client.quit(), 1000, 'quit timed out');
		} catch {
			// fall through to disconnect
		}
		client.disconnect(false);
	}
}
