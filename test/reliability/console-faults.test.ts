// Issue 7 against the console as an operator runs it (bundled bin, real pty, real servers):
//  5  R pressed 5 times quickly: one reconnect; the process exits cleanly after.
// 17  a mistyped flush confirmation (console) or read-only (command): FLUSHDB never reaches Redis.
// 18  /health: PostgreSQL down → 503 fail; Redis down only → 200 warn.
// 19  SIGTERM / SIGINT / SIGHUP with every backend hanging: exit 0, terminal restored, within 10 s.
// 20  a resize storm and tiny sizes: no crash, the frame follows the last size.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {cliEnv, startCli} from '../helpers/health-env.js';
import {runPty, keys} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runCli} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startBlackhole, type Blackhole} from '../helpers/tcp-proxy.js';
import {waitFor} from '../helpers/wait.js';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const bin = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
let redis: RedisServerHandle;
let sqlite: TempSqlite;
let admin: Redis;
let env: NodeJS.ProcessEnv;

const pause = (ms = 80) => new Promise(resolve => setTimeout(resolve, ms));

beforeAll(async () => {
	redis = await startRedis();
	sqlite = tempSqlite();
	admin = new Redis(redis.url);
	admin.on('error', () => undefined);
	env = cliEnv({REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log')});
});

afterAll(async () => {
	admin.disconnect();
	await redis.stop();
	sqlite.cleanup();
});

async function flushCalls(): Promise<number> {
	const stats = await admin.info('commandstats');
	const match = /cmdstat_flush(?:db|all):calls=(\d+)/g;
	let total = 0;
	for (const m of stats.matchAll(match)) total += Number(m[1]);
	return total;
}

async function opsdeckConnections(): Promise<number> {
	const list = await admin.client('LIST');
	return String(list).split('\n').filter(line => / name=opsdeck /.test(line)).length;
}

describe('console under faults', () => {
	it('case 5: R five times quickly is one reconnect; q then exits 0 promptly', async () => {
		const run = runPty('node', [bin], {cols: 100, rows: 30, env, cwd: sqlite.dir});
		await run.waitForText(/Redis {2}up/, 15_000);
		await waitFor(async () => (await opsdeckConnections()) === 1);
		for (let i = 0; i < 5; i++) {
			run.press('R');
			await pause(30);
		}
		await run.waitForText(/Redis: reconnected in \d+ ms/, 10_000);
		// the Redis card counts exactly one; PostgreSQL none
		await run.waitForText(/reconnects 1\b/, 5000);
		expect(run.screen().match(/reconnects 1\b/g)).toHaveLength(1);
		expect(run.screen().match(/reconnects 0\b/g)).toHaveLength(1);
		expect(await opsdeckConnections()).toBe(1);
		const started = Date.now();
		run.press('q');
		expect((await run.waitForExit(5000)).exitCode).toBe(0);
		expect(Date.now() - started).toBeLessThan(3000);
		expect(run.isAlternateScreen()).toBe(false);
	});

	it('case 17: a mistyped flush word in the console never sends FLUSHDB; Esc leaves the keys', async () => {
		await admin.set('precious', '1');
		await admin.config('RESETSTAT');
		const run = runPty('node', [bin], {cols: 100, rows: 30, env, cwd: sqlite.dir});
		await run.waitForText(/Redis {2}up/, 15_000);
		await pause();
		run.press('F');
		await run.waitForText(/Type flush and press Enter/);
		for (const ch of 'flish') {
			run.press(ch);
			await pause(20);
		}
		run.press(keys.enter);
		await run.waitForText(/That is not "flush"/);
		run.press(keys.escape);
		await run.waitForNoText(/Type flush/);
		await pause();
		run.press('q');
		await run.waitForExit(5000);
		expect(await flushCalls()).toBe(0);
		expect(await admin.get('precious')).toBe('1');
	});

	it('case 17: flush in read-only mode never sends FLUSHDB', async () => {
		await admin.config('RESETSTAT');
		const result = await runCli(['flush', '--yes', '--read-only'], {env: env as Record<string, string>, cwd: sqlite.dir});
		expect(result.code).toBe(2);
		expect(await flushCalls()).toBe(0);
		expect(await admin.get('precious')).toBe('1');
	});

	it('case 18: /health is 200 warn with Redis down only, 503 fail with PostgreSQL down', async () => {
		const deadRedis = await startRedis();
		await deadRedis.stop();
		const check = async (extra: Record<string, string>, status: number, verdict: string) => {
			const serve = startCli(['serve', '--port', '0', '--interval', '250'], {env: cliEnv({...env, ...extra}), cwd: sqlite.dir});
			try {
				const port = await waitFor(() => /http:\/\/127\.0\.0\.1:(\d+)/.exec(serve.out())?.[1], {timeout: 15_000});
				const response = await waitFor(async () => {
					const r = await fetch(`http://127.0.0.1:${port}/health`);
					const body = (await r.json()) as {status: string};
					return r.status === status && body.status === verdict ? body : undefined;
				}, {timeout: 15_000});
				expect(response.status).toBe(verdict);
			} finally {
				serve.child.kill('SIGTERM');
				await serve.exit;
			}
		};
		await check({REDIS_URL: deadRedis.url}, 200, 'warn');
		await check({DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres'}, 503, 'fail');
	});
});

describe('signals with every backend hanging (case 19)', () => {
	let hole: Blackhole;
	beforeAll(async () => {
		hole = await startBlackhole();
	});
	afterAll(async () => {
		await hole.close();
	});

	for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
		it(`${signal}: exit 0 and the terminal restored within 10 s`, async () => {
			const hanging = cliEnv({
				...env,
				REDIS_URL: `redis://127.0.0.1:${hole.port}/0`,
				DATABASE_URL: `postgres://postgres@127.0.0.1:${hole.port}/postgres`,
			});
			const run = runPty('node', [bin], {cols: 80, rows: 24, env: hanging, cwd: sqlite.dir});
			await run.waitForText('1 Status', 15_000);
			await pause(500);
			const started = Date.now();
			run.kill(signal);
			const exit = await run.waitForExit(12_000);
			expect(exit.exitCode).toBe(0);
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(run.isAlternateScreen()).toBe(false);
		});
	}
});

describe('odd terminals (case 20)', () => {
	it('survives a resize storm and draws at the last size', async () => {
		const run = runPty('node', [bin], {cols: 80, rows: 24, env, cwd: sqlite.dir});
		await run.waitForText('1 Status', 15_000);
		const sizes: [number, number][] = [[40, 10], [20, 5], [120, 40], [33, 9], [200, 60], [25, 6], [90, 20]];
		for (let i = 0; i < 60; i++) {
			const [cols, rows] = sizes[i % sizes.length]!;
			run.resize(cols, rows);
			await pause(5);
		}
		run.resize(40, 10);
		await waitFor(async () => {
			await run.flush();
			const lines = run.lines();
			return lines.some(l => /1 Status/.test(l)) && lines.every(l => l.length <= 40);
		}, {timeout: 5000});
		run.resize(20, 5);
		await run.waitForText('opsdeck needs');
		expect(run.exit).toBeUndefined();
		run.press('q');
		expect((await run.waitForExit(5000)).exitCode).toBe(0);
	});
});
