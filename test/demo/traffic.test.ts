// demo --traffic's writer against real servers: it adds to both stores, keeps each cache at the
// maximum, reacts and deletes in both, and stops when aborted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {seedDemo, type DemoReport} from '../../source/demo/demo.js';
import {runTraffic, type TrafficCounts} from '../../source/demo/traffic.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait.js';

let server: RedisServerHandle;
let database: TestDatabase;
let dir: string;
let redis: Redis;
let sql: pg.Client;
let backends: Backends;
let seeded: DemoReport;

async function reactionTotal(): Promise<number> {
	let total = 0;
	for (const key of await redis.keys('chat:*:reactions:*')) {
		for (const value of Object.values(await redis.hgetall(key))) total += Number(value);
	}
	return total;
}

beforeAll(async () => {
	[server, database] = await Promise.all([startRedis(), createTestDatabase('opsdeck_demo_traffic')]);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-demo-traffic-'));
	redis = new Redis(server.url);
	redis.on('error', () => undefined); // the second test restarts the server
	sql = new pg.Client({connectionString: database.url});
	await sql.connect();
	const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: database.url, SQLITE_PATH: path.join(dir, 'app.db'), BACKUP_DIR: path.join(dir, 'backups'), OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log')}, cwd: dir});
	backends = createBackends(config);
	await backends.redis.ready();
	seeded = await seedDemo(backends, {chats: 6, seed: 3});
}, 60_000);

afterAll(async () => {
	await closeBackends(backends);
	redis.disconnect();
	await sql.end();
	await database.drop();
	await server.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('demo traffic', () => {
	it('writes messages to both stores, trims each cache to the maximum, reacts, deletes, and stops on abort', async () => {
		const busy = seeded.chats.filter(c => c.messages > 500).map(c => c.code);
		expect(busy.length).toBeGreaterThan(0);
		const before = {rows: Number((await sql.query('select count(*) as n from messages')).rows[0].n), reactions: await reactionTotal()};

		const started = new Date();
		const controller = new AbortController();
		const ticks: TrafficCounts[] = [];
		const done = runTraffic(backends, {rate: 200, signal: controller.signal, tickMs: 500, newChatEveryMs: 100, onTick: tick => ticks.push({...tick})});
		await waitFor(() => ticks.reduce((n, t) => n + t.messages, 0) >= 300, {timeout: 15_000, message: 'traffic messages'});
		controller.abort();
		const totals = await done;

		expect(totals.errors).toBe(0);
		expect(totals.messages).toBeGreaterThanOrEqual(300);
		expect(totals.deleted).toBeGreaterThan(0);
		expect(totals.reactions).toBeGreaterThan(0);
		// the busy chats were already at the maximum: every message there pushed an old one out
		expect(totals.trimmed).toBeGreaterThan(0);

		const rows = Number((await sql.query('select count(*) as n from messages')).rows[0].n);
		expect(rows).toBe(before.rows + totals.messages - totals.deleted);
		expect(await reactionTotal()).toBeGreaterThan(before.reactions);

		const chats = (await sql.query<{code: string}>('select code from chats')).rows.map(r => r.code);
		// new chats opened: in the chats table, and their first messages in both stores
		expect(totals.newChats.length).toBeGreaterThan(0);
		expect(chats).toEqual(expect.arrayContaining(totals.newChats));
		expect(chats).toHaveLength(6 + totals.newChats.length);
		let newMessages = 0;
		for (const code of totals.newChats) {
			const rows = Number((await sql.query('select count(*) as n from messages where chat_code = $1', [code])).rows[0].n);
			expect(await redis.zcard(`chat:${code}:messages`)).toBe(rows);
			newMessages += rows;
		}
		expect(newMessages).toBeGreaterThan(0);
		for (const code of chats) {
			const key = `chat:${code}:messages`;
			const n = await redis.zcard(key);
			expect(n).toBeLessThanOrEqual(500);
			// a full cache stays full, less any message deleted since its last write (the app does not backfill)
			if (busy.includes(code)) expect(n).toBeGreaterThanOrEqual(500 - totals.deleted);
			// a chat that got traffic: the newest message is the same on both sides, TTL refreshed to the full day
			const newestDb = (await sql.query<{id: string; created_at: Date}>('select id::text, created_at from messages where chat_code = $1 order by created_at desc limit 1', [code])).rows[0];
			if (!newestDb || newestDb.created_at < started) continue;
			const [member] = await redis.zrange(key, -1, -1);
			expect((JSON.parse(member!) as {id: string}).id).toBe(newestDb.id);
			expect(await redis.ttl(key)).toBeGreaterThan(86_000);
		}
		// every deleted message is gone from the cache too: no cached id without its row beyond the seeded extras
		const seededExtras = new Set(seeded.outOfSync.flatMap(o => o.extra));
		const ids = new Set((await sql.query<{id: string}>('select id::text from messages')).rows.map(r => r.id));
		for (const code of chats) {
			for (const member of await redis.zrange(`chat:${code}:messages`, 0, -1)) {
				const id = (JSON.parse(member) as {id: string}).id;
				if (!ids.has(id)) expect(seededExtras.has(id)).toBe(true);
			}
		}
	});
	it('keeps writing to PostgreSQL while Redis is down, says so, and fills the cache again once it is back', async () => {
		const before = Number((await sql.query('select count(*) as n from messages')).rows[0].n);
		const controller = new AbortController();
		const ticks: TrafficCounts[] = [];
		const done = runTraffic(backends, {rate: 50, signal: controller.signal, tickMs: 250, onTick: tick => ticks.push({...tick})});
		await waitFor(() => ticks.some(t => t.messages > 0), {timeout: 10_000});
		await server.kill();
		await waitFor(() => ticks.some(t => t.errors > 0), {timeout: 10_000, message: 'a failed step while Redis is down'});
		await server.restart();
		const cachedBefore = ticks.length;
		// after the restart the cache is empty: new messages show up in it again
		await waitFor(async () => ticks.length > cachedBefore && (await redis.keys('chat:*:messages').catch(() => [])).length > 0, {timeout: 15_000, message: 'cache written again'});
		controller.abort();
		const totals = await done;
		expect(ticks.find(t => t.errors > 0)?.lastError).toMatch(/^cache not updated: .*redis/i);
		const rows = Number((await sql.query('select count(*) as n from messages')).rows[0].n);
		expect(rows).toBe(before + totals.messages - totals.deleted);
	});
});
