// Issue 22's health rule on a private redis-server: a small maxmemory filled with data makes the
// verdict degraded, with the memory reason at once and the evictions reason on the next check
// (evictions are counted between two checks of the same backends, as the console and serve poll).
// The threshold itself is read from the config file (judge on its own, below).
import fs from 'node:fs';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {defaultThresholds, loadConfig} from '../../source/config/config.js';
import {checkHealth, judge} from '../../source/health/health.js';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let server: RedisServerHandle;
let admin: Redis;
let sqlite: TempSqlite;
let backends: Backends;

beforeAll(async () => {
	server = await startRedis({args: ['--maxmemory-policy', 'allkeys-lru']});
	admin = new Redis(server.url);
	sqlite = tempSqlite();
	backends = createBackends(loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups')}, cwd: sqlite.dir}));
	await startBackends(backends);
});

afterAll(async () => {
	await closeBackends(backends);
	admin?.disconnect();
	await server?.stop();
	sqlite?.cleanup();
});

describe('Redis memory pressure', () => {
	it('maxmemory nearly used → degraded at once; keys evicted since the last check → degraded, with the rate', async () => {
		const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
		await admin.config('SET', 'maxmemory', String(used + 1024 * 1024));
		const pipeline = admin.pipeline();
		for (let i = 0; i < 1500; i++) pipeline.set(`fill:${i}`, 'x'.repeat(1024));
		await pipeline.exec();
		const first = await checkHealth(backends);
		expect(first.verdict).toBe('degraded');
		expect(first.redis.evictedKeys).toBeGreaterThan(0);
		// the first check has nothing to compare with: evictions since the server started are history
		expect(first.redis.evictedPerSec).toBeNull();
		expect(first.reasons.map(r => r.message)).toEqual([expect.stringMatching(/^redis memory at \d+\.\d% of maxmemory \(over 75%\)$/)]);

		const more = admin.pipeline();
		for (let i = 0; i < 500; i++) more.set(`more:${i}`, 'y'.repeat(1024));
		await more.exec();
		const second = await checkHealth(backends);
		expect(second.redis.evictedPerSec).toBeGreaterThan(0);
		expect(second.reasons.map(r => r.message)).toContainEqual(expect.stringMatching(/^redis evicting keys: [\d.]+\/s since the last check \(over 0\/s\)$/));

		// nothing evicted since: that reason is gone, the memory one stays
		const third = await checkHealth(backends);
		expect(third.redis.evictedPerSec).toBe(0);
		expect(third.reasons.map(r => r.message).join('\n')).not.toContain('evicting');
	});

	it('the evictions threshold', () => {
		const report = {
			postgres: {state: 'up', latencyMs: 1, lastError: null},
			redis: {state: 'up', latencyMs: 1, memoryRatio: 0.1, evictedPerSec: 12, lastError: null},
			sqlite: {state: 'up', error: null},
			backups: {diskFreeRatio: 0.5},
			app: null,
		} as unknown as Parameters<typeof judge>[0];
		expect(judge(report, defaultThresholds).reasons).toEqual([{component: 'redis', level: 'degraded', message: 'redis evicting keys: 12/s since the last check (over 0/s)'}]);
		expect(judge(report, {...defaultThresholds, redisEvictionsPerSec: 12}).verdict).toBe('healthy');
		// a config file sets it
		fs.writeFileSync(path.join(sqlite.dir, 'opsdeck.config.json'), JSON.stringify({thresholds: {redisEvictionsPerSec: 50}}));
		expect(loadConfig({env: {}, cwd: sqlite.dir}).thresholds.redisEvictionsPerSec).toBe(50);
	});
});
