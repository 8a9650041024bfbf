// `opsdeck status` as a user runs it: the built CLI, no terminal, real servers. Needs `npm run build`.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {closedPort} from '../helpers/ports.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';

let redis: RedisServerHandle;
let sqlite: TempSqlite;
let redisUrl: string;
let databaseUrl: string;

beforeAll(async () => {
	requireBuild();
	redis = await startRedis();
	const admin = new Redis({port: redis.port});
	await admin.config('SET', 'requirepass', 'redis-s3cret');
	admin.disconnect();
	redisUrl = `redis://:redis-s3cret@127.0.0.1:${redis.port}/0`;
	// trust auth: the password is never asked for, but it is in the URL and must never be printed
	const pg = new URL(adminUrl);
	pg.password = 'pg-s3cret';
	databaseUrl = pg.toString();
	sqlite = tempSqlite();
});

afterAll(async () => {
	await redis.stop();
	sqlite.cleanup();
});

const env = (extra: Record<string, string> = {}) => cliEnv({REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: `${sqlite.dir}/backups`, ...extra});

describe('opsdeck status', () => {
	it('--json on healthy backends: exit 0, every field present, no password anywhere', async () => {
		const {code, stdout, stderr} = await runCli(['status', '--json'], {env: env(), cwd: sqlite.dir});
		expect(stderr).toBe('');
		expect(code).toBe(0);
		const report = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
		expect(report.verdict).toBe('healthy');
		expect(report.reasons).toEqual([]);
		expect(Object.keys(report)).toEqual(['verdict', 'reasons', 'checkedAt', 'durationMs', 'postgres', 'redis', 'sqlite', 'backups', 'app', 'appProcess', 'drill', 'process', 'profile']);
		// no profile in use (profiles.test.ts: one that is)
		expect(report.profile).toBeNull();
		// the last restore drill (issue 19): none yet here
		expect(report.drill).toMatchObject({last: null});
		expect(Object.keys(report.postgres!).sort()).toEqual(['cacheHitRatio', 'connections', 'databaseSizeBytes', 'idleInTransaction', 'lastError', 'latencyMs', 'maxConnections', 'reconnects', 'state', 'uptimeSeconds', 'url', 'version']);
		expect(Object.keys(report.redis!).sort()).toEqual(['clients', 'cluster', 'db', 'evictedKeys', 'evictedPerSec', 'hitRate', 'keys', 'lastError', 'latencyMs', 'masters', 'maxMemoryBytes', 'memoryRatio', 'opsPerSec', 'reconnects', 'state', 'uptimeSeconds', 'url', 'usedMemoryBytes', 'version']);
		expect(Object.keys(report.sqlite!).sort()).toEqual(['error', 'journalMode', 'path', 'sizeBytes', 'state', 'walBytes']);
		expect(Object.keys(report.backups!).sort()).toEqual(['count', 'dir', 'diskFreeBytes', 'diskFreeRatio', 'diskTotalBytes', 'error', 'newest', 'newestAgeMs']);
		expect(Object.keys(report.process!).sort()).toEqual(['heapUsedBytes', 'nodeVersion', 'pid', 'pollIntervalMs', 'rssBytes', 'uptimeSeconds']);
		// the values a user reads are there, not just the keys
		for (const field of ['latencyMs', 'version', 'uptimeSeconds', 'connections', 'maxConnections', 'databaseSizeBytes']) expect(report.postgres![field], field).not.toBeNull();
		for (const field of ['latencyMs', 'version', 'uptimeSeconds', 'usedMemoryBytes', 'clients', 'keys', 'opsPerSec']) expect(report.redis![field], field).not.toBeNull();
		expect(report.redis!.url).toBe(`redis://:***@127.0.0.1:${redis.port}/0`);
		expect(report.postgres!.url).toContain(':***@');
		expect(stdout).not.toContain('s3cret');
	});

	it('human output: one line per backend and the verdict', async () => {
		const {code, stdout} = await runCli(['status'], {env: env(), cwd: sqlite.dir});
		expect(code).toBe(0);
		const lines = stdout.trimEnd().split('\n');
		expect(lines.map(l => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['postgres up', 'redis up', 'sqlite up', 'verdict healthy']);
		expect(stdout).not.toContain('s3cret');
	});

	it('a stopped Redis: degraded, exit 1, the Redis reason given', async () => {
		const stopped = await startRedis();
		await stopped.stop();
		// (in parallel: each run waits ~2 s for the driver to let go of a refused socket)
		const [{code, stdout}, human] = await Promise.all([
			runCli(['status', '--json'], {env: env({REDIS_URL: stopped.url}), cwd: sqlite.dir}),
			runCli(['status'], {env: env({REDIS_URL: stopped.url}), cwd: sqlite.dir}),
		]);
		expect(code).toBe(1);
		const report = JSON.parse(stdout) as {verdict: string; reasons: {component: string; message: string}[]};
		expect(report.verdict).toBe('degraded');
		expect(report.reasons).toEqual([{component: 'redis', level: 'degraded', message: expect.stringMatching(/^redis down: nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)$/)}]);
		expect(human.code).toBe(1);
		expect(human.stdout).toMatch(/^redis +down +nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/m);
		expect(human.stdout).toMatch(/^verdict +degraded: redis down/m);
	});

	// Found by the hostile tester: a stopped (kill -STOP) Redis was "redis connecting  connection lost"
	it('a stalled Redis (SIGSTOP): down, no answer within N ms, degraded, exit 1', async () => {
		const stalled = await startRedis();
		process.kill(stalled.pid!, 'SIGSTOP');
		try {
			const [{code, stdout}, human] = await Promise.all([
				runCli(['status', '--json'], {env: env({REDIS_URL: stalled.url}), cwd: sqlite.dir}),
				runCli(['status'], {env: env({REDIS_URL: stalled.url}), cwd: sqlite.dir}),
			]);
			expect(code).toBe(1);
			const report = JSON.parse(stdout) as {verdict: string; redis: {state: string}; reasons: {component: string; message: string}[]};
			expect(report.redis.state).toBe('down');
			expect(report.verdict).toBe('degraded');
			expect(report.reasons).toEqual([{component: 'redis', level: 'degraded', message: expect.stringMatching(/^redis down: no answer within \d+ ms$/)}]);
			expect(human.code).toBe(1);
			expect(human.stdout).toMatch(/^redis +down +no answer within \d+ ms/m);
			expect(human.stdout).toMatch(/^verdict +degraded: redis down: no answer within \d+ ms$/m);
			expect(human.stdout).not.toMatch(/connecting|connection lost/);
		} finally {
			process.kill(stalled.pid!, 'SIGCONT');
			await stalled.stop();
		}
	});

	it('PostgreSQL at a closed port: unhealthy, exit 2, no password', async () => {
		const {code, stdout} = await runCli(['status'], {env: env({DATABASE_URL: `postgres://app:pg-s3cret@127.0.0.1:${await closedPort()}/app`}), cwd: sqlite.dir});
		expect(code).toBe(2);
		expect(stdout).toMatch(/^postgres +down +nothing is listening at \S+ \(connection refused\)/m);
		expect(stdout).toMatch(/^verdict +unhealthy: postgres down/m);
		expect(stdout).not.toContain('s3cret');
	});

	it('an argument it does not take: exit 2, one line', async () => {
		const {code, stderr} = await runCli(['status', 'extra'], {env: env(), cwd: sqlite.dir});
		expect(code).toBe(2);
		expect(stderr.trim().split('\n')).toHaveLength(1);
	});
});
