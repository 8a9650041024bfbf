// The demo follows the configured layout: other key templates, table and column names, a smaller
// cache; and a Redis Cluster (keys spread over three masters).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Cluster, Redis} from 'ioredis';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {seedDemo} from '../../source/demo/demo.js';
import {runTraffic} from '../../source/demo/traffic.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {startRedisCluster, type RedisClusterHandle} from '../helpers/redis-cluster.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait.js';

let database: TestDatabase;
let dir: string;
let sql: pg.Client;

function backendsFor(redisUrl: string, sub: string, file: Record<string, unknown> = {}): Backends {
	const cwd = path.join(dir, sub);
	fs.mkdirSync(cwd, {recursive: true});
	fs.writeFileSync(path.join(cwd, 'opsdeck.config.json'), JSON.stringify(file));
	const config = loadConfig({env: {REDIS_URL: redisUrl, DATABASE_URL: database.url, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log')}, cwd});
	return createBackends(config);
}

beforeAll(async () => {
	database = await createTestDatabase('opsdeck_demo_layout');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-demo-layout-'));
	sql = new pg.Client({connectionString: database.url});
	await sql.connect();
	await sql.query('create schema app');
}, 60_000);

afterAll(async () => {
	await sql.end();
	await database.drop();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('a configured layout', () => {
	let server: RedisServerHandle;
	let redis: Redis;
	let backends: Backends;
	beforeAll(async () => {
		server = await startRedis();
		redis = new Redis(server.url);
		backends = backendsFor(server.url, 'custom', {
			collections: {
				messages: 'room:{chat}:msgs', pinned: 'room:{chat}:pins', backroom: 'room:{chat}:staff', reactions: 'room:{chat}:r:{message}',
				maxMessages: 50, ttlSeconds: 3600, table: 'app.posts', chatsTable: 'app.rooms',
				columns: {id: 'post_id', chat: 'room', username: 'author', content: 'body', createdAt: 'posted_at'},
			},
		});
		await backends.redis.ready();
	});
	afterAll(async () => {
		await closeBackends(backends);
		redis.disconnect();
		await server.stop();
	});

	it('writes the configured tables, columns and keys, caps each cache at maxMessages and the TTL at ttlSeconds', async () => {
		const report = await seedDemo(backends, {chats: 5, seed: 11});
		const rows = (await sql.query<{n: string}>('select count(*) as n from app.posts')).rows[0]!;
		expect(Number(rows.n)).toBe(report.postgres.messages);
		const columns = (await sql.query<{column_name: string}>(`select column_name from information_schema.columns where table_schema = 'app' and table_name = 'posts'`)).rows.map(r => r.column_name);
		expect(columns).toEqual(expect.arrayContaining(['post_id', 'room', 'author', 'body', 'posted_at', 'badges', 'pinned_until']));
		expect((await sql.query('select to_regclass($1) as t', ['public.messages'])).rows[0].t).toBeNull();

		const keys = await redis.keys('*');
		expect(keys.length).toBe(report.redis.keys);
		expect(keys.every(key => /^room:[A-Z0-9]{8}:(msgs|pins|staff|r:[0-9a-f-]{36})$/.test(key))).toBe(true);
		for (const key of keys.filter(k => k.endsWith(':msgs'))) {
			expect(await redis.zcard(key)).toBeLessThanOrEqual(50);
			expect(await redis.ttl(key)).toBeLessThanOrEqual(3600);
		}
		// missing = in compare's window (newest maxMessages, younger than the TTL) but not cached
		for (const o of report.outOfSync) {
			const cached = (await redis.zrange(`room:${o.chat}:msgs`, 0, -1)).map(m => (JSON.parse(m) as {id: string}).id);
			const ids = (await sql.query<{id: string}>('select post_id::text as id from app.posts where room = $1 and posted_at > now() - interval \'1 hour\' order by posted_at desc limit 50', [o.chat])).rows.map(r => r.id);
			expect(ids.filter(id => !cached.includes(id)).sort()).toEqual([...o.missing].sort());
		}

		// traffic follows the same layout and trims to 50
		const controller = new AbortController();
		let written = 0;
		const done = runTraffic(backends, {rate: 100, signal: controller.signal, tickMs: 300, onTick: (_tick, totals) => (written = totals.messages)});
		await waitFor(() => written >= 60, {timeout: 15_000});
		controller.abort();
		const totals = await done;
		expect(totals.errors).toBe(0);
		for (const key of await redis.keys('room:*:msgs')) expect(await redis.zcard(key)).toBeLessThanOrEqual(50);
		expect(await redis.keys('chat:*')).toEqual([]);
	});
});

describe('on a 3-master cluster', () => {
	let cluster: RedisClusterHandle;
	let client: Cluster;
	let backends: Backends;
	beforeAll(async () => {
		cluster = await startRedisCluster(3);
		client = new Cluster(cluster.ports.map(port => ({host: '127.0.0.1', port})));
		await client.set('other:thing', 'keep');
		backends = backendsFor(cluster.url, 'cluster');
		await backends.redis.ready();
		await waitFor(() => backends.redis.isCluster && backends.redis.masters().length === 3, {timeout: 10_000});
	}, 60_000);
	afterAll(async () => {
		await closeBackends(backends);
		client?.disconnect();
		await cluster?.stop();
	});

	it('seeds keys over every master, refuses a second run and replaces with force', async () => {
		const first = await seedDemo(backends, {chats: 8, seed: 5});
		const perMaster = await Promise.all(cluster.ports.map(async port => {
			const node = new Redis(port);
			try {
				return await node.dbsize();
			} finally {
				node.disconnect();
			}
		}));
		expect(perMaster.reduce((a, b) => a + b, 0)).toBe(first.redis.keys + 1);
		expect(perMaster.every(n => n > 0)).toBe(true);
		await expect(seedDemo(backends, {chats: 2})).rejects.toThrow(/Redis has keys in the collections layout/);
		const again = await seedDemo(backends, {chats: 2, force: true, seed: 6});
		expect(again.redis.deletedKeys).toBe(first.redis.keys);
		let total = 0;
		for (const port of cluster.ports) {
			const node = new Redis(port);
			total += await node.dbsize();
			node.disconnect();
		}
		expect(total).toBe(again.redis.keys + 1);
		expect(await client.get('other:thing')).toBe('keep');
	});
});
