// The backends, created once (cli.tsx), shared by the console (through one React context) and the
// commands, and closed once on exit. Creating them is cheap: drivers load in start().
import type {Config} from '../config/config.js';
import {withTimeout} from './status.js';
import {PostgresBackend} from './postgres.js';
import {RedisBackend} from './redis/client.js';
import {SqliteBackend} from './sqlite.js';

export type Backends = {
	readonly config: Config;
	readonly redis: RedisBackend;
	readonly postgres: PostgresBackend;
	readonly sqlite: SqliteBackend;
};

export function createBackends(config: Config): Backends {
	return {
		config,
		redis: new RedisBackend(config.redisUrl),
		postgres: new PostgresBackend(config.databaseUrl),
		sqlite: new SqliteBackend(config.sqlitePath),
	};
}

/** Loads the drivers and starts connecting; resolves without waiting for any connection. */
export async function startBackends(backends: Backends): Promise<void> {
	await Promise.all([backends.redis.start(), backends.postgres.start(), backends.sqlite.start()]);
}

/** quit / end / close every backend; never takes longer than limitMs. */
export async function closeBackends(backends: Backends, limitMs = 5000): Promise<void> {
	await withTimeout(
		Promise.allSettled([backends.redis.close(), backends.postgres.close(), backends.sqlite.close()]),
		limitMs,
		'closing backends timed out',
	).catch(() => undefined);
}

export {BackendDownError, type BackendStatus, type BackendState, type ReconnectResult} from './status.js';
export {RedisBackend, WrongTargetError} from './redis/client.js';
export {PostgresBackend} from './postgres.js';
export {SqliteBackend} from './sqlite.js';
