// The built console on a private Redis alone in a pty (PostgreSQL unreachable, SQLite absent), and
// the Keys tab brought to a pattern's finished scan: the set-up of the end-to-end defect tests.
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll} from 'vitest';
import {tempDir} from './chat-fixtures.js';
import {runPty, type PtyRun} from './pty.js';
import {startRedis, type RedisServerHandle} from './redis-server.js';
import {binPath} from './run-cli.js';
import {sleep} from './wait.js';

export function startRedisConsole(redisUrl: string, cwd: string, cols = 80, rows = 24): PtyRun {
	const args = [binPath, '--redis-url', redisUrl, '--database-url', 'postgres://127.0.0.1:1/none', '--sqlite', path.join(cwd, 'none.db'), '--backup-dir', path.join(cwd, 'bk'), '--audit-log', path.join(cwd, 'audit.log')];
	return runPty(process.execPath, args, {cols, rows, cwd, env: {...process.env, XDG_STATE_HOME: path.join(cwd, 'state')}});
}

/** From the Status tab: the Keys tab, a new scan of `pattern`, until it is done. */
export async function keysTab(run: PtyRun, pattern: string): Promise<void> {
	await run.waitForText('Status');
	run.press('2');
	await run.waitForText('pattern');
	run.press('/');
	await sleep(200);
	run.press('\x15' + pattern + '\r');
	await run.waitForText(new RegExp(`pattern ${pattern.replace('*', '\\*')} .* done`));
}

/** A file's private redis-server, a direct client on it and a temp folder, shared by the file's tests. */
export type RedisConsoleFixture = {
	readonly server: RedisServerHandle;
	readonly direct: Redis;
	readonly cwd: string;
	/** the console on this server (startRedisConsole) */
	start(cols?: number, rows?: number): PtyRun;
};

/**
 * The set-up of the end-to-end console tests on a private Redis: started in beforeAll (then `seed`,
 * if given, on the direct client), stopped in afterAll. Read the fields inside tests and hooks only.
 */
export function redisConsoleFixture(seed?: (direct: Redis) => Promise<unknown>): RedisConsoleFixture {
	let server: RedisServerHandle | undefined;
	let direct: Redis | undefined;
	let cwd: string | undefined;
	const ready = <T>(value: T | undefined): T => {
		if (value === undefined) throw new Error('redisConsoleFixture: read before beforeAll ran');
		return value;
	};
	beforeAll(async () => {
		server = await startRedis();
		direct = new Redis(server.url);
		cwd = tempDir();
		if (seed) await seed(direct);
	});
	afterAll(async () => {
		direct?.disconnect();
		await server?.stop();
	});
	return {
		get server() { return ready(server); },
		get direct() { return ready(direct); },
		get cwd() { return ready(cwd); },
		start(cols = 80, rows = 24) { return startRedisConsole(ready(server).url, ready(cwd), cols, rows); },
	};
}
