// checkHealth against real servers (a private redis-server, the local PostgreSQL, a real SQLite
// file, local HTTP servers for the app URL) and the verdict rules on their own.
import fs from 'node:fs';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig, defaultThresholds} from '../../source/config/config.js';
import {checkHealth, judge, summary, verdictExitCode} from '../../source/health/health.js';
import {cardSections, parseInfo, pickInfo} from '../../source/health/redis.js';
import {adminUrl} from '../helpers/pg-db.js';
import {closedPort} from '../helpers/ports.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startLocalServer, type LocalServer} from '../helpers/health-env.js';

let redis: RedisServerHandle;
let sqlite: TempSqlite;
let app: LocalServer;
const open: Backends[] = [];

beforeAll(async () => {
	[redis, app] = await Promise.all([startRedis(), startLocalServer()]);
	sqlite = tempSqlite();
});

afterAll(async () => {
	await Promise.all([redis.stop(), app.close()]);
	sqlite.cleanup();
});

afterEach(async () => {
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
	app.respond = {status: 200, delayMs: 0};
});

async function backendsFor(env: Record<string, string> = {}, file?: object): Promise<Backends> {
	if (file) fs.writeFileSync(path.join(sqlite.dir, 'opsdeck.config.json'), JSON.stringify(file));
	else fs.rmSync(path.join(sqlite.dir, 'opsdeck.config.json'), {force: true});
	const config = loadConfig({
		env: {REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups'), ...env},
		cwd: sqlite.dir,
	});
	const backends = createBackends(config);
	open.push(backends);
	await startBackends(backends);
	return backends;
}

describe('checkHealth on real servers', () => {
	it('reports every store up and healthy, with the values the cards show', async () => {
		const report = await checkHealth(await backendsFor());
		expect(report.verdict).toBe('healthy');
		expect(report.reasons).toEqual([]);
		expect(report.postgres).toMatchObject({state: 'up', lastError: null});
		expect(report.postgres.version).toMatch(/^\d+/);
		expect(report.postgres.maxConnections).toBeGreaterThan(0);
		expect(report.postgres.connections).toBeGreaterThan(0);
		expect(report.postgres.databaseSizeBytes).toBeGreaterThan(0);
		expect(report.redis).toMatchObject({state: 'up', version: expect.stringMatching(/^\d+\.\d+/), db: 0, cluster: false, masters: 1});
		expect(report.redis.usedMemoryBytes).toBeGreaterThan(0);
		expect(report.sqlite).toMatchObject({state: 'up', journalMode: 'wal', path: sqlite.path});
		expect(report.backups.diskFreeRatio).toBeGreaterThan(0);
		expect(report.app).toBeNull();
		expect(report.process.pollIntervalMs).toBe(1000);
		expect(verdictExitCode(report.verdict)).toBe(0);
	});

	it('reads the card\'s fields from INFO of its sections as the default INFO has them', async () => {
		const client = new Redis(redis.url);
		try {
			await client.set('k', 'v');
			const all = parseInfo(await client.info());
			const names = ['redis_version', 'used_memory', 'maxmemory', 'connected_clients', 'db0', 'not_a_field'];
			const picked = pickInfo(String(await client.call('INFO', ...cardSections)), names);
			// used_memory, not used_memory_human or used_memory_rss; a field INFO lacks is absent
			expect(Object.keys(picked).sort()).toEqual(names.slice(0, -1).sort());
			expect(picked.redis_version).toBe(all.redis_version);
			expect(picked.maxmemory).toBe(all.maxmemory);
			expect(picked.db0).toBe(all.db0);
			expect(Number(picked.used_memory)).toBeGreaterThan(0);
			// the first line of a reply, and the last one without its line end
			expect(pickInfo('a:1\r\nb:2\r\n# S\r\nc:3', ['a', 'b', 'c'])).toEqual({a: '1', b: '2', c: '3'});
		} finally {
			client.disconnect();
		}
	});

	it('counts the keys of the configured db only, and reads hits and misses', async () => {
		const writer = new Redis(redis.url);
		try {
			await writer.flushall();
			await writer.mset('a', '1', 'b', '2', 'c', '3');
			await writer.get('a');
			await writer.get('missing');
			await writer.select(1);
			await writer.set('elsewhere', '1');
			const report = await checkHealth(await backendsFor());
			expect(report.redis.keys).toBe(3);
			expect(report.redis.hitRate).toBeGreaterThan(0);
			expect(report.redis.hitRate).toBeLessThan(1);
			const db1 = await checkHealth(await backendsFor({REDIS_URL: `redis://127.0.0.1:${redis.port}/1`}));
			expect(db1.redis.keys).toBe(1);
		} finally {
			await writer.flushall();
			writer.disconnect();
		}
	});

	it('Redis down → degraded with the reason; PostgreSQL down → unhealthy', async () => {
		const redisDown = await checkHealth(await backendsFor({REDIS_URL: `redis://127.0.0.1:${await closedPort()}/0`}));
		expect(redisDown.verdict).toBe('degraded');
		expect(redisDown.redis.state).toBe('down');
		expect(summary(redisDown)).toMatch(/^degraded: redis down: .*connection refused/);
		const pgDown = await checkHealth(await backendsFor({DATABASE_URL: `postgres://postgres:hunter22@127.0.0.1:${await closedPort()}/x`}));
		expect(pgDown.verdict).toBe('unhealthy');
		expect(pgDown.reasons[0]).toMatchObject({component: 'postgres', level: 'unhealthy'});
		expect(JSON.stringify(pgDown)).not.toContain('hunter22');
	});

	it('a SQLite file that is not a database is unhealthy', async () => {
		const bogus = path.join(sqlite.dir, 'not-a-db.db');
		fs.writeFileSync(bogus, 'this is not a database, just text long enough to have a header '.repeat(20));
		const report = await checkHealth(await backendsFor({SQLITE_PATH: bogus}));
		expect(report.verdict).toBe('unhealthy');
		expect(report.sqlite.state).toBe('down');
		expect(report.reasons.map(r => r.component)).toContain('sqlite');
	});

	it('Redis memory over 75% of maxmemory → degraded', async () => {
		const admin = new Redis(redis.url);
		try {
			const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
			await admin.config('SET', 'maxmemory', String(Math.round(used * 1.1)));
			const report = await checkHealth(await backendsFor());
			expect(report.redis.memoryRatio).toBeGreaterThan(0.75);
			expect(report.verdict).toBe('degraded');
			expect(report.reasons[0]!.message).toMatch(/redis memory at .*% of maxmemory/);
		} finally {
			await admin.config('SET', 'maxmemory', '0');
			admin.disconnect();
		}
	});

	it('less free disk than the threshold for the backup folder → degraded (threshold from the config file)', async () => {
		const report = await checkHealth(await backendsFor({}, {thresholds: {minFreeDiskRatio: 0.9999}}));
		expect(report.verdict).toBe('degraded');
		expect(report.reasons[0]).toMatchObject({component: 'backups', level: 'degraded'});
	});

	it('finds the newest backup in the folder and its age', async () => {
		const dir = path.join(sqlite.dir, 'backups');
		fs.mkdirSync(dir, {recursive: true});
		fs.writeFileSync(path.join(dir, 'old.db'), 'x');
		fs.writeFileSync(path.join(dir, 'new.db'), 'x');
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
		const hourAgo = new Date(Date.now() - 3_600_000);
		fs.utimesSync(path.join(dir, 'old.db'), hourAgo, hourAgo);
		try {
			const report = await checkHealth(await backendsFor());
			expect(report.backups).toMatchObject({count: 2, newest: 'new.db'});
			expect(report.backups.newestAgeMs).toBeLessThan(60_000);
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('the app health URL: 200 is up, 500 is unhealthy, slower than the threshold is degraded', async () => {
		const ok = await checkHealth(await backendsFor({APP_HEALTH_URL: app.url}));
		expect(ok.app).toMatchObject({state: 'up', httpStatus: 200});
		expect(ok.verdict).toBe('healthy');
		app.respond = {status: 500, delayMs: 0};
		const failing = await checkHealth(await backendsFor({APP_HEALTH_URL: app.url}));
		expect(failing.verdict).toBe('unhealthy');
		expect(failing.reasons[0]!.message).toBe('app health URL failing: HTTP 500');
		app.respond = {status: 200, delayMs: 300};
		const slow = await checkHealth(await backendsFor({APP_HEALTH_URL: app.url}, {thresholds: {latencyMs: 100}}));
		expect(slow.verdict).toBe('degraded');
		// on a loaded machine another store may be over 100 ms too: the app's reason must be among them
		expect(slow.reasons.map(r => r.message)).toContainEqual(expect.stringMatching(/^app slow: \d+ms \(over 100ms\)/));
	});

	it('a probe that does not answer is cut at the timeout', async () => {
		app.respond = {status: 200, delayMs: 2000};
		const started = Date.now();
		const report = await checkHealth(await backendsFor({APP_HEALTH_URL: app.url}), {timeoutMs: 300});
		expect(Date.now() - started).toBeLessThan(1500);
		expect(report.app).toMatchObject({state: 'down', error: 'no answer within 300 ms'});
		expect(report.verdict).toBe('unhealthy');
	});

	it('a killed Redis shows down at the next check, and up again after a restart', async () => {
		const backends = await backendsFor();
		expect((await checkHealth(backends)).redis.state).toBe('up');
		await redis.kill();
		try {
			const down = await checkHealth(backends);
			expect(down.redis.state).toBe('down');
			expect(down.redis.lastError).toMatch(/connection refused|connection lost|connection was reset/);
		} finally {
			await redis.restart();
		}
		const {waitFor} = await import('../helpers/wait.js');
		await waitFor(async () => (await checkHealth(backends)).redis.state === 'up', {timeout: 10_000});
	});
});

describe('judge: the verdict rules', () => {
	const up = {
		postgres: {state: 'up', latencyMs: 5, lastError: null},
		redis: {state: 'up', latencyMs: 1, memoryRatio: 0.2, lastError: null},
		sqlite: {state: 'up', error: null},
		backups: {diskFreeRatio: 0.5},
		app: null,
	} as unknown as Parameters<typeof judge>[0];
	const with_ = (patch: Record<string, object | null>) => judge({...up, ...Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === null ? null : {...(up as any)[k], ...v}]))} as any, defaultThresholds);

	it('all up → healthy; each rule → its level; the worst wins and comes first', () => {
		expect(judge(up, defaultThresholds)).toEqual({verdict: 'healthy', reasons: []});
		expect(with_({redis: {state: 'down', lastError: 'x'}}).verdict).toBe('degraded');
		expect(with_({postgres: {state: 'down', lastError: 'x'}}).verdict).toBe('unhealthy');
		expect(with_({sqlite: {state: 'down', error: 'x'}}).verdict).toBe('unhealthy');
		expect(with_({app: {state: 'down', error: 'HTTP 502', latencyMs: null}}).verdict).toBe('unhealthy');
		expect(with_({postgres: {latencyMs: 1001}}).verdict).toBe('degraded');
		expect(with_({postgres: {latencyMs: 1000}}).verdict).toBe('healthy');
		expect(with_({redis: {memoryRatio: 0.76}}).verdict).toBe('degraded');
		expect(with_({redis: {memoryRatio: 0.75}}).verdict).toBe('healthy');
		expect(with_({backups: {diskFreeRatio: 0.09}}).verdict).toBe('degraded');
		const both = with_({redis: {state: 'down', lastError: 'r'}, postgres: {state: 'down', lastError: 'p'}});
		expect(both.verdict).toBe('unhealthy');
		expect(both.reasons.map(r => r.component)).toEqual(['postgres', 'redis']);
	});
});
