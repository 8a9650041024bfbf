// One shared pg Pool. Every query runs in a short transaction with SET LOCAL statement_timeout, so
// the timeout holds through PgBouncer in transaction mode (a startup parameter would not).
// A changed pg_postmaster_start_time() means the server restarted: counted as a reconnect.
import os from 'node:os';
import type {Pool, PoolClient, QueryResultRow} from 'pg';
import {mask} from '../text/mask.js';
import {BackendDownError, ReconnectGate, type ReconnectResult, StatusKeeper, withTimeout} from './status.js';

function osUser(): string {
	try {
		return os.userInfo().username;
	} catch {
		return 'postgres';
	}
}

/** Like libpq: no user in the URL nor PGUSER → the OS user (pg alone would need $USER set). */
function withDefaultUser(url: string): string {
	const parsed = new URL(url);
	if (parsed.username || process.env.PGUSER) return url;
	parsed.username = osUser();
	return parsed.toString();
}

export const postgresTimeouts = {connectMs: 3000, statementMs: 5000};

/**
 * A query whose connection went away under it (server killed, network cut, pg_terminate_backend):
 * "postgres down: connection lost", with the server's own words when it said any. code 08006
 * (connection_failure) so callers that sort errors by SQLSTATE see a connection failure.
 */
export class ConnectionLostError extends Error {
	readonly code = '08006';
	/** the message without "postgres down: ", for a status that names the backend itself */
	readonly reason: string;
	constructor(detail: string | undefined, options?: ErrorOptions) {
		const reason = `connection lost${detail ? ` (${detail})` : ''}`;
		super(`postgres down: ${reason}`, options);
		this.reason = reason;
		this.name = 'ConnectionLostError';
	}
}

// pg's and net's words for a connection that is gone; 57P0x = the server ended it (terminated,
// crash shutdown, starting up); 08xxx = connection exceptions. A connect timeout stays a timeout.
const lostWords = /Connection terminated(?! due to connection timeout)|not queryable|ECONNRESET|EPIPE|socket hang up|write after end/i;

/** The error as a ConnectionLostError when it means the connection is gone, otherwise undefined. */
export function connectionLost(error: unknown): ConnectionLostError | undefined {
	if (error instanceof ConnectionLostError) return error;
	const {code, message} = (error ?? {}) as {code?: unknown; message?: unknown};
	const text = typeof message === 'string' ? message : '';
	if (typeof code === 'string' && /^(57P0[123]|08)/.test(code)) return new ConnectionLostError(text.split('\n')[0] || undefined, {cause: error});
	if (code === 'ECONNRESET' || code === 'EPIPE' || lostWords.test(text)) return new ConnectionLostError(undefined, {cause: error});
	return undefined;
}

/** pg's connect timeout ("Connection terminated due to connection timeout", "timeout exceeded when trying to connect") in the operator's words. */
function noAnswer(error: unknown, timeoutMs: number): (Error & {reason?: undefined}) | undefined {
	const message = (error as {message?: unknown} | undefined)?.message;
	if (typeof message !== 'string' || !/connection timeout|timeout exceeded when trying to connect/i.test(message)) return undefined;
	return new Error(`no answer within ${timeoutMs} ms`, {cause: error});
}

type PgModule = typeof import('pg');

export type QueryOptions = {readonly timeoutMs?: number};

export class PostgresBackend {
	readonly name = 'postgres';
	readonly maskedUrl: string;
	readonly keeper = new StatusKeeper();
	/** when the server process started, as last seen */
	serverStartedAt: Date | undefined;
	restarts = 0;
	#pg: PgModule | undefined;
	#pool: Pool | undefined;
	#closed = false;
	readonly #gate: ReconnectGate;

	constructor(readonly url: string, readonly options: {readonly connectTimeoutMs?: number; readonly statementTimeoutMs?: number; readonly max?: number; readonly reconnectCooldownMs?: number} = {}) {
		this.#gate = new ReconnectGate(options.reconnectCooldownMs);
		this.maskedUrl = mask(url);
	}

	get status() {
		return this.keeper.status;
	}

	async start(): Promise<void> {
		if (this.#pool || this.#closed) return;
		this.#pg ??= ((await import('pg')) as unknown as {default: PgModule}).default;
		if (this.#pool || this.#closed) return;
		this.#pool = this.#create();
	}

	#create(): Pool {
		const statementMs = this.options.statementTimeoutMs ?? postgresTimeouts.statementMs;
		const pool = new this.#pg!.Pool({
			connectionString: withDefaultUser(this.url),
			max: this.options.max ?? 4,
			connectionTimeoutMillis: this.options.connectTimeoutMs ?? postgresTimeouts.connectMs,
			idleTimeoutMillis: 10_000,
			application_name: 'opsdeck',
			// client-side backstop for a server or network that stops answering altogether
			query_timeout: statementMs + 2000,
			keepAlive: true,
			allowExitOnIdle: true,
		});
		// An idle client killed by the server emits here; without a listener the process would crash.
		pool.on('error', error => {
			if (this.#pool === pool) this.keeper.error(connectionLost(error)?.reason ?? error);
		});
		// pg-pool takes its listener off a client while it is checked out: a connection dropped under
		// a query in flight (postmaster killed, a proxy cut) then emitted 'error' on a client nobody
		// listened to, and crashed the process. Every client gets its own listener for its whole life;
		// the query in flight still fails (pg rejects it), and #withClient throws it away.
		pool.on('connect', client => {
			client.on('error', error => {
				if (this.#pool === pool) this.keeper.error(connectionLost(error)?.reason ?? error);
			});
		});
		return pool;
	}

	get pool(): Pool {
		if (!this.#pool) throw new BackendDownError('postgres', this.#closed ? 'closed' : 'not started');
		return this.#pool;
	}

	/**
	 * A query inside BEGIN; SET LOCAL statement_timeout; ...; COMMIT. Without parameters the four
	 * travel as one simple-protocol string: one round trip instead of three (the health poll runs
	 * two of these every second; each round trip is a write and a wake-up in an idle console).
	 */
	async query<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
		if (params.length > 0) return this.transaction(async client => (await client.query<R>(sql, params)).rows, options);
		const statement = sql.trim().replace(/;+$/, '');
		return this.#withClient(async client => {
			const results = (await client.query(`BEGIN; SET LOCAL statement_timeout = ${this.#timeoutMs(options)}; ${statement}; COMMIT`)) as unknown as Array<{rows: R[]}>;
			return results[2]!.rows;
		});
	}

	/**
	 * fn on one pooled client inside BEGIN; SET LOCAL statement_timeout (PgBouncer-safe) … COMMIT;
	 * ROLLBACK on an error, and a client whose connection failed never goes back to the pool.
	 */
	async transaction<T>(fn: (client: PoolClient) => Promise<T>, options: QueryOptions = {}): Promise<T> {
		const timeoutMs = this.#timeoutMs(options);
		return this.#withClient(async client => {
			await client.query(`BEGIN; SET LOCAL statement_timeout = ${timeoutMs}`);
			const result = await fn(client);
			await client.query('COMMIT');
			return result;
		});
	}

	#timeoutMs(options: QueryOptions): number {
		return Math.max(1, Math.round(options.timeoutMs ?? this.options.statementTimeoutMs ?? postgresTimeouts.statementMs));
	}

	/** fn on one pooled client; ROLLBACK after an SQL error, a broken connection never back in the pool. */
	async #withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
		await this.start();
		let client: PoolClient;
		try {
			client = await this.pool.connect();
		} catch (error) {
			// a connection cut during its start-up is a lost connection too; pg's "Connection terminated
			// due to connection timeout" is a server that did not answer (stopped, stalled): said so
			const lost = connectionLost(error) ?? noAnswer(error, this.options.connectTimeoutMs ?? postgresTimeouts.connectMs);
			this.keeper.down(lost?.reason ?? lost?.message ?? error);
			throw lost ?? error;
		}
		let broken: Error | undefined;
		try {
			return await fn(client);
		} catch (error) {
			const code = (error as {code?: string}).code;
			const lost = connectionLost(error);
			// A connection-level failure: the client must not go back to the pool.
			if (lost || !code || /^(08|57P)/.test(code)) broken = error as Error;
			else await client.query('ROLLBACK').catch(() => undefined);
			if (lost) {
				this.keeper.error(lost.reason);
				throw lost;
			}
			throw error;
		} finally {
			client.release(broken ?? false);
		}
	}

	/** select 1 with the server's start time: latency, state, restart detection. */
	async ping(): Promise<number> {
		const started = performance.now();
		try {
			const rows = await this.query<{started: Date}>('select pg_postmaster_start_time() as started', [], {timeoutMs: 3000});
			const ms = performance.now() - started;
			const serverStarted = rows[0]!.started;
			const restarted = this.serverStartedAt !== undefined && serverStarted.getTime() !== this.serverStartedAt.getTime();
			const wasUp = this.status.state === 'up';
			this.serverStartedAt = serverStarted;
			if (restarted) this.restarts++;
			this.keeper.up(ms);
			// a restart between two polls that never showed a down state still counts as a reconnect
			if (restarted && wasUp) this.keeper.countReconnect();
			return ms;
		} catch (error) {
			this.keeper.down(connectionLost(error)?.reason ?? error);
			throw error;
		}
	}

	/** A new pool; the old one is ended in the background. Calls while one runs share it. */
	reconnect(): Promise<ReconnectResult> {
		return this.#gate.run(() => this.#doReconnect());
	}

	async #doReconnect(): Promise<ReconnectResult> {
		const started = performance.now();
		await this.start();
		const old = this.#pool;
		this.#pool = this.#create();
		if (old) void withTimeout(old.end(), 2000, 'pool end timed out').catch(() => undefined);
		const wasUp = this.status.state === 'up';
		try {
			await this.ping();
			if (wasUp) this.keeper.countReconnect();
			return {ok: true, ms: performance.now() - started};
		} catch {
			return {ok: false, ms: performance.now() - started, error: this.status.lastError ?? 'unknown error', nextRetryMs: undefined};
		}
	}

	async close(): Promise<void> {
		this.#closed = true;
		const pool = this.#pool;
		if (pool) await withTimeout(pool.end(), 2000, 'pool end timed out').catch(() => undefined);
	}
}
