// Health and flush on a real 3-master Redis Cluster: INFO and DBSIZE summed over every master,
// FLUSHDB sent to every master.
import {Cluster} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {flushRedis, flushTarget} from '../../source/cache/flush.js';
import {checkHealth} from '../../source/health/health.js';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedisCluster, type RedisClusterHandle} from '../helpers/redis-cluster.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';

let cluster: RedisClusterHandle;
let sqlite: TempSqlite;
let writer: Cluster;
let backends: Backends;

beforeAll(async () => {
	cluster = await startRedisCluster();
	sqlite = tempSqlite();
	writer = new Cluster([{host: '127.0.0.1', port: cluster.ports[0]!}]);
	writer.on('error', () => undefined);
	// keys in many slots: every master gets some
	for (let i = 0; i < 60; i++) await writer.set(`chat:${i}:messages`, String(i));
	backends = createBackends(loadConfig({env: {REDIS_URL: cluster.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: `${sqlite.dir}/audit.log`}, cwd: sqlite.dir}));
	await startBackends(backends);
	await waitFor(() => backends.redis.isCluster && backends.redis.status.state === 'up', {timeout: 10_000});
}, 60_000);

afterAll(async () => {
	await closeBackends(backends);
	writer?.disconnect();
	await cluster?.stop();
	sqlite?.cleanup();
});

describe('health and flush on a cluster', () => {
	it('sums keys, memory and clients over the three masters', async () => {
		const report = await checkHealth(backends);
		expect(report.redis).toMatchObject({state: 'up', cluster: true, masters: 3, keys: 60});
		expect(report.verdict).toBe('healthy');
	});

	it('FLUSHDB reaches every master', async () => {
		const target = await flushTarget(backends);
		expect(target.keys).toBe(60);
		expect(target.description).toMatch(/cluster, 3 masters\): 60 keys in db 0$/);
		await flushRedis(backends.config, backends, target);
		const sizes = await Promise.all(writer.nodes('master').map(node => node.dbsize()));
		expect(sizes).toEqual([0, 0, 0]);
	});
});
