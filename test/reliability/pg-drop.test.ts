// Issue 13, case 13: PostgreSQL dropping mid-query (a proxy cut) crashed the console, `serve` and
// every command that queries with "Unhandled 'error' event" from a checked-out pool client.
// The built CLI talks to a fresh database through the suite's TCP proxy; the proxy cuts every
// connection the moment a chosen query goes out (the query is in flight), or while a compare query
// waits on a lock. A command exits with one line; serve and the console keep going and recover.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {PostgresBackend} from '../../source/backends/postgres.js';
import {onProcessExit} from '../helpers/exit-cleanup.js';
import {freePort} from '../helpers/ports.js';
import {cliEnv, requireBuild, runCli, startCli} from '../helpers/health-env.js';
import {adminQuery, createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startProxy, type TcpProxy} from '../helpers/tcp-proxy.js';
import {waitFor} from '../helpers/wait.js';

const bundle = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
const messageId = '6f1c2a52-9d4e-4b7a-8a3e-2c1d0e5f4a11';
let db: TestDatabase;
let redis: RedisServerHandle;
let sqlite: TempSqlite;
let proxy: TcpProxy;
let env: NodeJS.ProcessEnv;

/** From the first request holding `marker` on, the proxy cuts every connection: PostgreSQL is gone. */
function cutFrom(marker: string): void {
	let seen = false;
	proxy.onRequest(data => {
		if (!seen && !data.includes(marker)) return;
		seen = true;
		proxy.cutAll();
	});
}

/** The proxy passes traffic again. */
function heal(): void {
	proxy.onRequest(undefined);
}

/** No crash: no "Unhandled 'error' event", no stack trace, nothing but one opsdeck: line on stderr. */
function expectOneLine(stderr: string, pattern: RegExp): void {
	expect(stderr).not.toMatch(/Unhandled|\n\s+at |node:events/);
	expect(stderr.trimEnd().split('\n')).toHaveLength(1);
	expect(stderr).toMatch(pattern);
}

beforeAll(async () => {
	requireBuild();
	db = await createTestDatabase('opsdeck_pgdrop');
	redis = await startRedis();
	sqlite = tempSqlite();
	proxy = await startProxy({targetPort: 5432});
	await adminQuery(`
		create table chats (code text primary key, name text not null);
		create table messages (id uuid primary key, chat_code text not null references chats, username text, content text, created_at timestamptz not null default now());
		insert into chats values ('lobby', 'Lobby');
		insert into messages (id, chat_code, username, content) values ('${messageId}', 'lobby', 'ada', 'hello')`, [], db.url);
	const url = new URL(db.url);
	url.port = String(proxy.port);
	env = cliEnv({REDIS_URL: redis.url, DATABASE_URL: url.toString(), SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'), OPSDECK_CONFIG: undefined});
}, 30_000);

afterAll(async () => {
	await proxy?.close();
	await redis?.stop();
	sqlite?.cleanup();
	await db?.drop();
});

describe('a one-shot command whose PostgreSQL drops mid-query: one line, no crash (issue 13, case 13)', () => {
	it('status: PostgreSQL down with "connection lost", unhealthy (exit 2), no crash', async () => {
		cutFrom('pg_database_size');
		try {
			const result = await runCli(['status'], {env, cwd: sqlite.dir});
			expect(result.stderr).not.toMatch(/Unhandled|\n\s+at /);
			expect(result.code).toBe(2);
			expect(result.stdout).toMatch(/postgres +down +connection lost/i);
		} finally {
			heal();
		}
	});

	it('chat show --compare: the compare query waits on a lock, the proxy cuts it → exit 1, one line', async () => {
		// a slow compare query: another session holds the messages table
		const pg = await import('pg');
		const locker = new pg.default.Client({connectionString: db.url});
		locker.on('error', () => undefined);
		await locker.connect();
		try {
			await locker.query('begin; lock table messages in access exclusive mode');
			const run = startCli(['chat', 'show', 'lobby', '--compare'], {env, cwd: sqlite.dir});
			await waitFor(async () => (await adminQuery(`select 1 from pg_stat_activity where datname = $1 and application_name = 'opsdeck' and wait_event_type = 'Lock'`, [db.name])).length > 0, {timeout: 15_000});
			proxy.cutAll();
			cutFrom('');
			const code = await run.exit;
			expect(code).toBe(1);
			expectOneLine(run.err(), /^opsdeck: postgres down: connection lost\n$/);
		} finally {
			heal();
			await locker.query('rollback').catch(() => undefined);
			await locker.end();
		}
	});

	it('message ID: exit 1, PostgreSQL unavailable: connection lost, Redis part still shown, no crash', async () => {
		cutFrom(`chat_code`);
		try {
			const result = await runCli(['message', messageId], {env, cwd: sqlite.dir});
			expect(result.stderr).not.toMatch(/Unhandled|\n\s+at /);
			expect(result.code).toBe(1);
			expect(result.stdout).toMatch(/unavailable: postgres down: connection lost/);
			expect(result.stdout).toMatch(/not cached/);
		} finally {
			heal();
		}
	});

	it('reconnect postgres: exit 1, "still down: connection lost"', async () => {
		cutFrom('pg_postmaster_start_time');
		try {
			const result = await runCli(['reconnect', 'postgres'], {env, cwd: sqlite.dir});
			expect(result.code).toBe(1);
			expect(result.stderr).toBe('');
			expect(result.stdout).toBe('postgres: still down: connection lost\n');
		} finally {
			heal();
		}
	});

	it('demo: the seed is cut mid-transaction → exit 1, one line, nothing half-written in PostgreSQL', async () => {
		const empty = await createTestDatabase('opsdeck_pgdrop_demo');
		cutFrom('insert into');
		try {
			const url = new URL(empty.url);
			url.port = String(proxy.port);
			const result = await runCli(['demo', '--chats', '3'], {env: {...env, DATABASE_URL: url.toString(), SQLITE_PATH: path.join(sqlite.dir, 'demo.db')}, cwd: sqlite.dir});
			expect(result.code).toBe(1);
			expectOneLine(result.stderr, /^opsdeck: postgres down: connection lost\n$/);
			heal();
			expect(await adminQuery(`select table_name from information_schema.tables where table_schema = 'public'`, [], empty.url)).toEqual([]);
		} finally {
			heal();
			await empty.drop();
		}
	});
});

describe('long-running: serve and the console ride out a drop (issue 13, case 13)', () => {
	it('serve: 200 → cut mid-query → 503 while the proxy cuts, still serving → 200 when traffic passes again', async () => {
		const serve = startCli(['serve', '--port', '0', '--interval', '250'], {env, cwd: sqlite.dir});
		try {
			const port = await waitFor(() => /http:\/\/127\.0\.0\.1:(\d+)/.exec(serve.out())?.[1], {timeout: 15_000, message: serve.err()});
			const status = async () => (await fetch(`http://127.0.0.1:${port}/health`)).status;
			await waitFor(async () => (await status()) === 200, {timeout: 10_000});
			// the next poll's stats query goes out and the connection is cut under it
			cutFrom('pg_database_size');
			await waitFor(async () => (await status()) === 503, {timeout: 10_000, message: serve.err()});
			expect(serve.out()).toMatch(/postgres down/);
			heal();
			await waitFor(async () => (await status()) === 200, {timeout: 10_000, message: serve.err()});
			expect(serve.err()).not.toMatch(/Unhandled|\n\s+at /);
			serve.child.kill('SIGTERM');
			expect(await serve.exit).toBe(0);
		} finally {
			heal();
			serve.child.kill('SIGKILL');
		}
	});

	it('console: PostgreSQL up → cut mid-query → down with the reason, still drawing → up again', async () => {
		const run = runPty('node', [bundle], {cols: 100, rows: 30, env: {...env, POLL_INTERVAL_MS: '300'}, cwd: sqlite.dir});
		try {
			await run.waitForText(/PostgreSQL +up/, 20_000);
			cutFrom('pg_database_size');
			await run.waitForText(/PostgreSQL +DOWN/, 10_000);
			await run.waitForText(/last error connection lost/, 5000);
			expect(run.exit).toBeUndefined();
			heal();
			await run.waitForText(/PostgreSQL +up/, 15_000);
			expect(run.rawOutput()).not.toMatch(/Unhandled/);
			run.press('q');
			expect((await run.waitForExit(5000)).exitCode).toBe(0);
		} finally {
			heal();
			if (!run.exit) run.kill('SIGKILL');
		}
	});
});

// A postmaster killed for real: a private cluster (initdb once for this file, trust, fsync off) on a
// free port, run as the postgres OS user; the test SIGKILLs the postmaster under a query in flight.
const pgBin = '/usr/lib/postgresql/15/bin';
const canCluster = process.getuid?.() === 0 && fs.existsSync(path.join(pgBin, 'initdb'));

type Cluster = {readonly port: number; readonly url: string; postmasterPid(): number; start(): void; stop(): void};

function asPostgres(command: string, args: string[]): void {
	execFileSync('runuser', ['-u', 'postgres', '--', path.join(pgBin, command), ...args], {stdio: 'ignore', timeout: 60_000});
}

async function startCluster(): Promise<Cluster> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-pgcluster-'));
	const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
	const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
	fs.chownSync(dir, uid, gid);
	const data = path.join(dir, 'data');
	asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
	const port = await freePort();
	const postmasterPid = () => Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
	const start = () => asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=10 -c shared_buffers=8MB`, 'start']);
	const stop = () => {
		try {
			asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
		} catch {
			// already gone
		}
	};
	const off = onProcessExit(() => {
		stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});
	start();
	return {
		port,
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		postmasterPid,
		start,
		stop() {
			stop();
			off();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** The pids whose parent is pid (the postmaster's backends), from /proc. */
function childrenOf(pid: number): number[] {
	const pids: number[] = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(name));
		} catch {
			// gone meanwhile
		}
	}
	return pids;
}

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

describe.runIf(canCluster)('a postmaster killed with SIGKILL mid-query (issue 13, case 13)', () => {
	let cluster: Cluster;
	const escaped: unknown[] = [];
	const onEscape = (error: unknown) => escaped.push(error);
	beforeAll(async () => {
		cluster = await startCluster();
		process.on('uncaughtException', onEscape);
		process.on('unhandledRejection', onEscape);
	}, 60_000);
	afterAll(() => {
		process.off('uncaughtException', onEscape);
		process.off('unhandledRejection', onEscape);
		cluster?.stop();
	});

	it('the query in flight fails with "postgres down: connection lost", the backend is down, then up when the server is back', async () => {
		const backend = new PostgresBackend(cluster.url, {max: 2, connectTimeoutMs: 1000});
		try {
			await backend.ping();
			const running = backend.query('select pg_sleep(5)', [], {timeoutMs: 8000}).then(() => 'finished', (error: unknown) => error);
			const activity = () => adminQuery(`select 1 from pg_stat_activity where application_name = 'opsdeck' and state = 'active' and query like '%pg_sleep%'`, [], cluster.url);
			await waitFor(async () => (await activity()).length > 0, {timeout: 5000});
			const postmaster = cluster.postmasterPid();
			const backends = childrenOf(postmaster);
			process.kill(postmaster, 'SIGKILL');
			const result = await running;
			// the old code: "Unhandled 'error' event" from the checked-out client
			expect(escaped).toEqual([]);
			expect(String((result as Error).message)).toBe('postgres down: connection lost');
			await expect(backend.ping()).rejects.toThrow();
			expect(backend.status.state).toBe('down');
			// the orphaned backends notice their postmaster's death and go; then the server can start again
			await waitFor(() => backends.every(pid => !alive(pid)), {timeout: 10_000});
			cluster.start();
			await waitFor(() => backend.ping(), {timeout: 10_000});
			expect(backend.status.state).toBe('up');
			expect(backend.status.reconnects).toBeGreaterThanOrEqual(1);
			expect(escaped).toEqual([]);
		} finally {
			await backend.close();
		}
	});
});
