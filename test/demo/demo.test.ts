// The demo seed against real servers: a private redis-server, a fresh PostgreSQL database and a
// temp dir for SQLite. What it reports is checked against what the stores hold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {Redis} from 'ioredis';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {compareChat} from '../../source/cache/compare.js';
import {DemoExistsError, seedDemo, type DemoReport} from '../../source/demo/demo.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

let server: RedisServerHandle;
let database: TestDatabase;
let dir: string;
let redis: Redis;
let sql: pg.Client;
let backends: Backends;
let first: DemoReport;

async function allKeys(): Promise<string[]> {
	return (await redis.keys('*')).sort();
}

async function messageKeys(): Promise<string[]> {
	return (await redis.keys('chat:*:messages')).sort();
}

/** missing / extra for a chat, the way an operator's compare sees it: the newest maxMessages rows vs the cache. */
async function diff(chat: string, max: number): Promise<{missing: string[]; extra: string[]}> {
	const cached = (await redis.zrange(`chat:${chat}:messages`, 0, -1)).map(m => (JSON.parse(m) as {id: string}).id);
	const window = (await sql.query<{id: string}>('select id::text from messages where chat_code = $1 order by created_at desc limit $2', [chat, max])).rows.map(r => r.id);
	const all = new Set((await sql.query<{id: string}>('select id::text from messages where chat_code = $1', [chat])).rows.map(r => r.id));
	const cachedSet = new Set(cached);
	return {missing: window.filter(id => !cachedSet.has(id)).sort(), extra: cached.filter(id => !all.has(id)).sort()};
}

beforeAll(async () => {
	[server, database] = await Promise.all([startRedis(), createTestDatabase('opsdeck_demo')]);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-demo-'));
	redis = new Redis(server.url);
	sql = new pg.Client({connectionString: database.url});
	await sql.connect();
	await redis.set('other:thing', 'not the demo');
	const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: database.url, SQLITE_PATH: path.join(dir, 'data', 'app.db'), BACKUP_DIR: path.join(dir, 'backups'), OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log')}, cwd: dir});
	backends = createBackends(config);
	await backends.redis.ready();
	first = await seedDemo(backends, {chats: 12, seed: 7});
}, 60_000);

afterAll(async () => {
	await closeBackends(backends);
	redis.disconnect();
	await sql.end();
	await database.drop();
	await server.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('opsdeck demo seed', () => {
	it('writes exactly what it reports to PostgreSQL, Redis and SQLite', async () => {
		const counts = (await sql.query<{chats: number; messages: number; pinned: number; badged: number}>(
			`select (select count(*)::int from chats) as chats, (select count(*)::int from messages) as messages,
				(select count(*)::int from messages where pinned_until > now()) as pinned,
				(select count(*)::int from messages where badges && array['host','verified']) as badged`,
		)).rows[0]!;
		expect(counts.chats).toBe(12);
		expect(counts.messages).toBe(first.postgres.messages);
		expect(counts.messages).toBeGreaterThan(1000);
		expect(counts.pinned).toBe(first.postgres.pinned);
		expect(counts.badged).toBeGreaterThan(0);
		const codes = (await sql.query<{code: string}>('select code from chats')).rows.map(r => r.code);
		expect(codes.every(code => /^[A-Z0-9]{8}$/.test(code))).toBe(true);
		const span = (await sql.query<{hours: number}>('select extract(epoch from max(created_at) - min(created_at)) / 3600 as hours from messages')).rows[0]!;
		expect(Number(span.hours)).toBeGreaterThan(10);
		expect(Number(span.hours)).toBeLessThanOrEqual(20);

		const keys = await messageKeys();
		expect(keys).toHaveLength(first.redis.messageKeys);
		let cached = 0;
		for (const key of keys) {
			const n = await redis.zcard(key);
			expect(n).toBeLessThanOrEqual(500);
			cached += n;
			const ttl = await redis.ttl(key);
			expect(ttl).toBeGreaterThan(0);
			expect(ttl).toBeLessThanOrEqual(86_400);
		}
		expect(cached).toBe(first.redis.cachedMessages);
		expect(await redis.keys('chat:*:reactions:*')).toHaveLength(first.redis.reactionKeys);
		expect(await redis.keys('chat:*:pinned')).toHaveLength(first.redis.pinnedKeys);
		expect(await redis.keys('chat:*:backroom')).toHaveLength(first.redis.backroomKeys);
		// every key is the demo's, plus the foreign one
		expect(await redis.dbsize()).toBe(first.redis.keys + 1);

		// the member is the app's message JSON, exactly these fields
		const [member, score] = await redis.zrange(keys[0]!, -1, -1, 'WITHSCORES');
		const message = JSON.parse(member!) as Record<string, unknown>;
		expect(Object.keys(message)).toEqual(['id', 'chat_code', 'username', 'content', 'created_at', 'badges']);
		expect(Array.isArray(message.badges)).toBe(true);
		expect(Date.parse(message.created_at as string)).toBe(Number(score));

		const db = new Database(first.sqlite.path, {readonly: true});
		try {
			expect(db.pragma('journal_mode', {simple: true})).toBe('wal');
			for (const table of ['players', 'inventories', 'moderation_log'] as const) {
				expect((db.prepare(`select count(*) as n from ${table}`).get() as {n: number}).n).toBe(first.sqlite.rows[table]);
			}
			expect(first.sqlite.rows.players + first.sqlite.rows.inventories + first.sqlite.rows.moderation_log).toBeGreaterThan(2000);
			// and one manual backup of it, as the Backups tab lists them
			expect(first.backup).toMatchObject({created: true, name: expect.stringMatching(/^manual_/)});
			expect(fs.readdirSync(path.join(dir, 'backups'))).toContain(first.backup.name);
		} finally {
			db.close();
		}
	});

	it('puts exactly the reported chats out of sync, with exactly the reported messages', async () => {
		expect(first.outOfSync).toHaveLength(3);
		expect(first.outOfSync.some(o => o.missing.length > 0)).toBe(true);
		expect(first.outOfSync.some(o => o.extra.length > 0)).toBe(true);
		const reported = new Map(first.outOfSync.map(o => [o.chat, o]));
		for (const {code} of first.chats) {
			const seen = await diff(code, 500);
			const expected = reported.get(code);
			expect({code, ...seen}).toEqual({code, missing: [...(expected?.missing ?? [])].sort(), extra: [...(expected?.extra ?? [])].sort()});
		}
	});

	it("opsdeck's own compare finds exactly the reported differences, and none elsewhere", async () => {
		const reported = new Map(first.outOfSync.map(o => [o.chat, o]));
		for (const {code} of first.chats) {
			const found = await compareChat(backends, code);
			const expected = reported.get(code);
			expect({code, missing: found.missing.map(m => m.id).sort(), extra: found.extra.map(m => m.id).sort()})
				.toEqual({code, missing: [...(expected?.missing ?? [])].sort(), extra: [...(expected?.extra ?? [])].sort()});
		}
	});

	it('refuses to run over existing data and changes nothing', async () => {
		const before = {keys: await allKeys(), messages: (await sql.query('select count(*)::int as n from messages')).rows[0].n as number};
		await expect(seedDemo(backends, {chats: 3})).rejects.toThrow(DemoExistsError);
		expect(await allKeys()).toEqual(before.keys);
		expect((await sql.query('select count(*)::int as n from messages')).rows[0].n).toBe(before.messages);
	});

	it('with force replaces only its own data: old chats gone, foreign keys untouched', async () => {
		await redis.set('chat:FOREIGN1:messages', 'someone else');
		const again = await seedDemo(backends, {chats: 5, force: true, seed: 8});
		expect(again.replaced).toBe(true);
		expect(again.redis.deletedKeys).toBe(first.redis.keys);
		expect(again.redis.foreignKeys).toBe(1);
		expect(await redis.get('other:thing')).toBe('not the demo');
		expect(await redis.get('chat:FOREIGN1:messages')).toBe('someone else');
		const codes = (await sql.query<{code: string}>('select code from chats order by code')).rows.map(r => r.code);
		expect(codes).toEqual(again.chats.map(c => c.code).sort());
		for (const old of first.chats) expect(await redis.exists(`chat:${old.code}:messages`)).toBe(0);
		expect(await redis.dbsize()).toBe(again.redis.keys + 2);
		expect((await sql.query('select count(*)::int as n from messages')).rows[0].n).toBe(again.postgres.messages);
		first = again;
	});
});
