// One shared ioredis client. Loaded lazily (start()) so the console draws its first frame first.
// Fails fast while down (no offline queue), never resends a write, backs off 100 ms → 5 s forever.
import type {Cluster, Redis as RedisClient, RedisOptions} from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import {errorMessage, mask} from '../../text/mask.js';
import {RawPipe, type PipeTarget} from './pipe.js';
import {BackendDownError, ReconnectGate, type ReconnectResult, StatusKeeper, withTimeout} from '../status.js';

/** The name every connection opsdeck opens carries (CLIENT SETNAME): the Redis view marks them and will not kill them. */
export const connectionName = 'opsdeck';

export const redisTimeouts = {connectMs: 3000, commandMs: 5000, backoffStartMs: 100, backoffMaxMs: 5000};

export function backoffDelay(attempt: number): number {
	return Math.min(redisTimeouts.backoffStartMs * 2 ** Math.max(0, attempt - 1), redisTimeouts.backoffMaxMs);
}

type IoRedis = {readonly Redis: typeof import('ioredis').Redis; readonly Cluster: typeof import('ioredis').Cluster};

/** Either a single server or a cluster: both route a command on one key to the right place. */
export type AnyRedis = RedisClient | Cluster;

/**
 * The connection is not on the configured db (its SELECT failed: a db the server does not have,
 * or a user not allowed to use it). Redis stays on db 0 after a failed SELECT, so nothing may run
 * on that connection: the backend is down with this reason, and a command exits 2 (bad target).
 */
export class WrongTargetError extends BackendDownError {
	constructor(readonly reason: string) {
		super('redis', reason);
		this.name = 'WrongTargetError';
	}
}

/** An error the server replied with (as opposed to a connection that failed or timed out). */
const isReplyError = (error: unknown): error is Error => error instanceof Error && error.name === 'ReplyError';

/**
 * The server refused the credentials (WRONGPASS to AUTH, NOAUTH to the ready check when no password
 * was sent, Redis < 6's "invalid password"): waiting out the connect timeout will not fix a URL.
 */
export const isAuthError = (error: unknown): boolean =>
	isReplyError(error) && /^(WRONGPASS|NOAUTH)\b|^ERR invalid (password|username-password pair)/.test(error.message);

export class RedisBackend {
	readonly name = 'redis';
	readonly maskedUrl: string;
	readonly db: number;
	readonly keeper = new StatusKeeper();
	#io: IoRedis | undefined;
	#cluster: Cluster | undefined;
	#probed = false;
	#client: RedisClient | undefined;
	/** the client whose current connection was seen on the configured db (cleared when it drops) */
	#checked: RedisClient | undefined;
	/** why the last check of the db failed; undefined once one passes */
	#targetError: string | undefined;
	/** checks failed in a row: the reconnect backs off on them (a failed check is a connection that did open) */
	#targetFailures = 0;
	/** the server's refusal of the credentials on the last attempt (masked); undefined once one connects */
	#authError: string | undefined;
	#closed = false;
	readonly #gate: ReconnectGate;

	constructor(readonly url: string, readonly options: {readonly connectTimeoutMs?: number; readonly commandTimeoutMs?: number; readonly reconnectCooldownMs?: number} = {}) {
		this.#gate = new ReconnectGate(options.reconnectCooldownMs);
		this.maskedUrl = mask(url);
		// the db ioredis will SELECT: the path, else a ?db= query (ioredis reads both)
		const parsed = new URL(url);
		const db = parsed.pathname.replace(/^\//, '') || (parsed.searchParams.get('db') ?? '');
		this.db = /^\d+$/.test(db) ? Number(db) : 0;
	}

	get status() {
		return this.keeper.status;
	}

	/** Loads ioredis and starts connecting; does not wait for the connection. */
	async start(): Promise<void> {
		if (this.#client || this.#closed) return;
		if (!this.#io) {
			const io = await import('ioredis');
			// esbuild's chunk for this CommonJS package exports only `default` (module.exports), Node
			// also the named ones; module.exports carries Redis and Cluster in both.
			const mod = (io as unknown as {default?: IoRedis}).default ?? io;
			this.#io = {Redis: mod.Redis, Cluster: mod.Cluster};
		}
		if (this.#client || this.#closed) return;
		this.#client = this.#create();
	}

	#options(): RedisOptions {
		return {
			connectTimeout: this.options.connectTimeoutMs ?? redisTimeouts.connectMs,
			commandTimeout: this.options.commandTimeoutMs ?? redisTimeouts.commandMs,
			enableOfflineQueue: false,
			autoResendUnfulfilledCommands: false,
			maxRetriesPerRequest: 0,
			connectionName,
			// ioredis waits this long for a socket that is already gone to 'close' (a ref'd timer that
			// kept one-shot commands alive 2 s after a refused connection)
			disconnectTimeout: 300,
			retryStrategy: (attempt: number) => {
				const delay = backoffDelay(Math.max(attempt, this.#targetFailures));
				this.keeper.retryAt(Date.now() + delay);
				return delay;
			},
			reconnectOnError: () => false,
		};
	}

	#create(): RedisClient {
		const client = new this.#io!.Redis(this.url, this.#options());
		// Without an 'error' listener ioredis prints "Unhandled error event".
		client.on('error', error => {
			// a SELECT refused on connect is reported by #onReady, with the db and the databases count
			if ((error as {command?: {name?: string}}).command?.name === 'select') return;
			if (this.#client !== client) return;
			if (isAuthError(error)) {
				// ioredis drops this connection and tries again after the backoff: down now (set
				// before the keeper tells ready()'s listener, which fails at once on it)
				this.#authError = errorMessage(error);
				this.keeper.down(error);
			} else this.keeper.error(error);
		});
		client.on('ready', () => {
			if (this.#client === client) void this.#onReady(client);
		});
		client.on('close', () => {
			if (this.#checked === client) this.#checked = undefined;
			if (this.#client === client && !this.#closed) this.keeper.down(undefined);
		});
		client.on('end', () => {
			if (this.#checked === client) this.#checked = undefined;
			if (this.#client === client && !this.#closed) this.keeper.down(undefined, undefined);
		});
		return client;
	}

	/**
	 * A connection is up only once it is seen on the configured db: ioredis reports a failed SELECT
	 * as a mere 'error' event and goes on to 'ready' on db 0 (issue 13: `flush` emptied db 0 for a
	 * URL ending in /99). A connection on the wrong db is dropped and tried again with backoff.
	 */
	async #onReady(client: RedisClient): Promise<void> {
		try {
			await this.confirmTarget(client);
		} catch (error) {
			if (this.#client !== client || this.#closed) return;
			if (error instanceof WrongTargetError) {
				this.#targetError = error.reason;
				this.#targetFailures++;
				this.keeper.down(new Error(error.reason));
			} else this.keeper.error(error);
			// (ioredis opens a new connection after the backoff; 'close' keeps the reason as lastError)
			client.disconnect(true);
			return;
		}
		if (this.#client !== client || this.#closed) return;
		this.#checked = client;
		this.#targetError = undefined;
		this.#targetFailures = 0;
		this.#authError = undefined;
		if (this.#probed) {
			this.keeper.up();
			return;
		}
		// First connection: a cluster node is driven through ioredis' Cluster instead.
		this.#probed = true;
		client.info('cluster').then(
			info => {
				if (/cluster_enabled:1/.test(info)) this.#startCluster(client);
				else this.keeper.up();
			},
			() => this.keeper.up(),
		);
	}

	/**
	 * Confirms on `client`'s own connection that it is on the configured db: CLIENT INFO's db=, else
	 * (Redis before 6.2, or CLIENT not allowed) a SELECT of that db on the connection itself.
	 * Throws WrongTargetError naming the db, the server's error and its `databases` count.
	 * A destructive op calls this right before it acts, on the client that acts, and sends its
	 * command in the same continuation (no I/O can come between the check and the write).
	 */
	async confirmTarget(client: RedisClient): Promise<void> {
		const want = this.db;
		try {
			const info = String(await client.call('CLIENT', 'INFO'));
			if (Number(/(?:^|\s)db=(\d+)/.exec(info)?.[1] ?? Number.NaN) === want) return;
		} catch (error) {
			if (!isReplyError(error)) throw error;
		}
		let refused: string;
		try {
			await client.select(want);
			return;
		} catch (error) {
			if (!isReplyError(error)) throw error;
			refused = errorMessage(error);
		}
		throw new WrongTargetError(`SELECT ${want} failed on ${this.maskedUrl}: ${refused} (${await this.#databases(client, refused)})`);
	}

	/** "the server has 4 databases: 0 to 3", for the operator who typed a db number in the URL */
	async #databases(client: RedisClient, refused: string): Promise<string> {
		if (/cluster/i.test(refused)) return 'a cluster has db 0 only';
		try {
			const reply = (await client.call('CONFIG', 'GET', 'databases')) as unknown;
			const count = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
			if (Number.isInteger(count) && count > 0) return `the server has ${count} databases: 0 to ${count - 1}`;
			return 'the server\'s databases count is unknown';
		} catch (error) {
			return `the server's databases count is unknown: CONFIG GET databases: ${errorMessage(error)}`;
		}
	}

	#startCluster(seed: RedisClient): void {
		const {host, port} = seed.options;
		const {retryStrategy: _retry, ...redisOptions} = this.#options();
		const cluster = new this.#io!.Cluster([{host, port}], {
			redisOptions,
			enableOfflineQueue: false,
			enableReadyCheck: true,
			slotsRefreshTimeout: 2000,
			clusterRetryStrategy: (attempt: number) => {
				const delay = backoffDelay(attempt);
				this.keeper.retryAt(Date.now() + delay);
				return delay;
			},
		});
		cluster.on('error', error => {
			if (this.#cluster === cluster) this.keeper.error(error);
		});
		cluster.on('ready', () => {
			if (this.#cluster === cluster) this.keeper.up();
		});
		cluster.on('close', () => {
			if (this.#cluster === cluster && !this.#closed) this.keeper.down(undefined);
		});
		cluster.on('end', () => {
			if (this.#cluster === cluster && !this.#closed) this.keeper.down(undefined);
		});
		this.#cluster = cluster;
	}

	/**
	 * The client, or BackendDownError at once when it is not connected (polls never queue).
	 * On a cluster this is ioredis' Cluster, which routes a command on one key to its node; SCAN,
	 * DBSIZE, INFO and pipelines over many keys go through masters() / masterFor() instead (scan.ts,
	 * pipeline.ts).
	 */
	get client(): AnyRedis {
		// after close() the socket may still read 'ready' for a moment: closed is closed
		if (this.#closed) throw new BackendDownError('redis', 'closed');
		if (this.#cluster) {
			if (this.#cluster.status !== 'ready') throw new BackendDownError('redis', this.status.lastError ?? this.#cluster.status);
			return this.#cluster;
		}
		return this.standalone;
	}

	/** The single-server client (not for a cluster: use client / masters()). */
	get standalone(): RedisClient {
		const client = this.#client;
		if (!client || this.#closed) throw new BackendDownError('redis', this.#closed ? 'closed' : 'not started');
		if (this.#targetError && this.#checked !== client) throw new WrongTargetError(this.#targetError);
		if (client.status !== 'ready') throw new BackendDownError('redis', this.status.lastError ?? client.status);
		// ready but not yet seen on the configured db: nothing runs on it (it may be on db 0)
		if (this.#checked !== client) throw new BackendDownError('redis', `checking db ${this.db}`);
		return client;
	}

	/** The client whatever its state (for commands that should wait for ready themselves). */
	get rawClient(): RedisClient | undefined {
		return this.#client;
	}

	get isCluster(): boolean {
		return this.#cluster !== undefined;
	}

	/** The masters to SCAN / DBSIZE / INFO: every master of a cluster, or the one server. */
	masters(): RedisClient[] {
		const client = this.client;
		if (client instanceof this.#io!.Cluster) return client.nodes('master');
		return [client];
	}

	/** The master that owns a key (the one server when not a cluster). */
	masterFor(key: string | Buffer): RedisClient {
		const client = this.client;
		if (!(client instanceof this.#io!.Cluster)) return client;
		const nodeKey = client.slots[calculateSlot(key)]?.[0];
		const master = client.nodes('master').find(node => `${node.options.host}:${node.options.port}` === nodeKey);
		if (!master) throw new BackendDownError('redis', `no master for slot ${calculateSlot(key)} yet`);
		return master;
	}

	/**
	 * A bare pipeline connection to the server behind `client` (one of masters()): same address,
	 * TLS, credentials and database. Kept per server (and lane); dropped on reconnect and close.
	 * A pipe runs one request at a time: work that wants the server busy while it reads the last
	 * replies (the memory scan) alternates between two lanes.
	 */
	pipeFor(client: RedisClient, lane = 0): RawPipe {
		const o = client.options;
		const id = `${o.path ?? `${o.host}:${o.port}`}/${this.db}${lane === 0 ? '' : `#${lane}`}`;
		let pipe = this.#pipes.get(id);
		if (!pipe) {
			pipe = new RawPipe(this.pipeTarget(client), this.timeouts.commandMs);
			this.#pipes.set(id, pipe);
		}
		return pipe;
	}

	#pipes = new Map<string, RawPipe>();

	/**
	 * Where a bare connection to the server behind `client` (one of masters()) goes: same address,
	 * TLS, credentials, connection name and database. The db is the one confirmTarget() checks (a
	 * cluster's is 0): the bare connection SELECTs it, and fails if refused.
	 */
	pipeTarget(client: RedisClient): PipeTarget {
		const o = client.options;
		return {host: o.host, port: o.port, path: o.path, tls: o.tls, username: o.username, password: o.password, db: this.db, connectionName: o.connectionName};
	}

	/**
	 * The server a plain `redis://[user:password@]host[:port][/db]` URL names, as ioredis reads it
	 * (no query, no TLS, no socket path): what a bare connection can reach without loading ioredis.
	 * undefined for any other URL (ioredis reads it).
	 */
	plainTarget(): PipeTarget | undefined {
		if (!/^redis:\/\/[^?#]*$/i.test(this.url)) return undefined;
		let parsed: URL;
		try {
			parsed = new URL(this.url);
		} catch {
			return undefined;
		}
		if (!parsed.hostname || !/^(\/\d*)?$/.test(parsed.pathname)) return undefined;
		let username: string | undefined;
		let password: string | undefined;
		try {
			username = decodeURIComponent(parsed.username);
			password = decodeURIComponent(parsed.password);
		} catch {
			return undefined;
		}
		// a user without a password: ioredis sends AUTH user "" (helloCommands sends no AUTH then)
		if (username && !password) return undefined;
		return {host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port ? Number(parsed.port) : 6379, username, password, db: this.db, connectionName};
	}

	/** The timeouts the ioredis client uses: connecting, and each command's reply. */
	get timeouts(): {readonly connectMs: number; readonly commandMs: number} {
		return {connectMs: this.options.connectTimeoutMs ?? redisTimeouts.connectMs, commandMs: this.options.commandTimeoutMs ?? redisTimeouts.commandMs};
	}

	#closePipes(): void {
		for (const pipe of this.#pipes.values()) pipe.close();
		this.#pipes.clear();
	}

	/**
	 * Waits until connected, or rejects with the reason once the connect timeout has passed; at once
	 * with WrongTargetError when the connection opened on the wrong db, and at once with the server's
	 * refusal when it refused the credentials (waiting will not fix a URL).
	 */
	async ready(timeoutMs = (this.options.connectTimeoutMs ?? redisTimeouts.connectMs) + 500): Promise<void> {
		await this.start();
		if (this.status.state === 'up') return;
		if (this.#targetError) throw new WrongTargetError(this.#targetError);
		if (this.#authError) throw new BackendDownError('redis', this.#authError);
		await new Promise<void>((resolve, reject) => {
			const done = (error?: Error) => {
				clearTimeout(timer);
				off();
				if (error) reject(error);
				else resolve();
			};
			const off = this.keeper.onChange(status => {
				if (status.state === 'up') done();
				else if (this.#targetError) done(new WrongTargetError(this.#targetError));
				else if (this.#authError) done(new BackendDownError('redis', this.#authError));
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
			// BackendDownError already quotes the last error: recording it again would nest it
			this.keeper.down(error instanceof BackendDownError ? undefined : error);
			throw error;
		}
	}

	/** Drops the connection and opens a new one. Calls while one runs share it: one reconnect. */
	reconnect(): Promise<ReconnectResult> {
		return this.#gate.run(() => this.#doReconnect());
	}

	async #doReconnect(): Promise<ReconnectResult> {
		const started = performance.now();
		await this.start();
		const old = this.#client;
		const oldCluster = this.#cluster;
		this.#cluster = undefined;
		this.#closePipes();
		this.#probed = false;
		this.#checked = undefined;
		// the operator asks to try again: the fresh connection is checked afresh
		this.#targetError = undefined;
		this.#targetFailures = 0;
		this.#authError = undefined;
		this.keeper.down(undefined);
		const fresh = this.#create();
		this.#client = fresh;
		// the new connection's first attempt ending without 'ready' (refused, reset) is the answer:
		// no need to wait out the connect timeout
		const failed = new Promise<never>((_, reject) => {
			fresh.once('close', () => reject(new Error(this.status.lastError ?? 'connection closed')));
		});
		failed.catch(() => undefined);
		oldCluster?.disconnect(false);
		if (old) {
			old.removeAllListeners('ready');
			old.removeAllListeners('close');
			old.removeAllListeners('end');
			old.disconnect(false);
		}
		try {
			await Promise.race([this.ready(), failed]);
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
		this.#closePipes();
		const cluster = this.#cluster;
		if (cluster) {
			await withTimeout(cluster.quit(), 1000, 'quit timed out').catch(() => undefined);
			cluster.disconnect(false);
		}
		const client = this.#client;
		if (!client) return;
		try {
			if (client.status === 'ready') await withTimeout(client.quit(), 1000, 'quit timed out');
		} catch {
			// fall through to disconnect
		}
		client.disconnect(false);
		// a socket still connecting would hold the process until its connect timeout
		(client as unknown as {stream?: {destroy?: () => void}}).stream?.destroy?.();
	}
}
