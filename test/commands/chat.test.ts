// chat list / show / --compare / --clear and message, as one-shot commands against a private
// Redis and a fresh PostgreSQL database.
import path from 'node:path';
import {Redis} from 'ioredis';
import type pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cacheMessages, createChatTables, insertMessages, message, tempDir} from '../helpers/chat-fixtures.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runCli} from '../helpers/run-cli.js';

let server: RedisServerHandle;
let direct: Redis;
let db: TestDatabase;
let sql: pg.Client;
let cwd: string;

const inSync = [message('SYNC01', 30, 'one'), message('SYNC01', 20, 'two')];
const drift = [message('DRIFT2', 30, 'cached'), message('DRIFT2', 10, 'not cached', 'eve')];
const ghost = message('DRIFT2', 5, 'deleted in db');

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	db = await createTestDatabase('opsdeck_chatcmd');
	sql = await createChatTables(db.url);
	await insertMessages(sql, [...inSync, ...drift]);
	await cacheMessages(direct, 'SYNC01', inSync);
	await cacheMessages(direct, 'DRIFT2', [drift[0]!, ghost]);
	await direct.hset(`chat:SYNC01:reactions:${inSync[0]!.id}`, 'heart', '2');
	cwd = tempDir();
});

afterAll(async () => {
	direct.disconnect();
	await sql.end();
	await db.drop();
	await server.stop();
});

const cli = (...args: string[]) => runCli([...args, '--redis-url', server.url, '--database-url', db.url, '--audit-log', path.join(cwd, 'audit.log')], {cwd});

describe('opsdeck chat', () => {
	it('list: every chat with its counts', async () => {
		const r = await cli('chat', 'list');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/DRIFT2\s+2\s+-\s+-\s+0\s+(23h5\dm|1d0h)/);
		expect(r.stdout).toMatch(/SYNC01\s+2\s+-\s+-\s+1/);
		const json = JSON.parse((await cli('chat', 'list', '--json')).stdout) as {chat: string; messages: number}[];
		expect(json.map(c => [c.chat, c.messages])).toEqual([['DRIFT2', 2], ['SYNC01', 2]]);
	});

	it('show: messages with username and content, reactions on request', async () => {
		const r = await cli('chat', 'show', 'SYNC01', '--reactions', '--messages', '1');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('last 1 messages:');
		const last = r.stdout.slice(r.stdout.indexOf('last 1 messages:'));
		expect(last).toMatch(/ann \[verified\]: two/);
		expect(last).not.toMatch(/: one$/m);
		expect(r.stdout).toContain(`${inSync[0]!.id}  heart 2`);
	});

	it('show --compare: in sync, and the exact missing and extra messages', async () => {
		const ok = await cli('chat', 'show', 'SYNC01', '--compare');
		expect(ok.stdout).toMatch(/status\s+in sync/);
		const bad = await cli('chat', 'show', 'DRIFT2', '--compare', '--json');
		expect(bad.code).toBe(0);
		const c = (JSON.parse(bad.stdout) as {comparison: {inSync: boolean; missing: {id: string}[]; extra: {id: string}[]; database: {newest: {id: string}}}}).comparison;
		expect(c.inSync).toBe(false);
		expect(c.missing.map(m => m.id)).toEqual([drift[1]!.id]);
		expect(c.extra.map(m => m.id)).toEqual([ghost.id]);
		expect(c.database.newest.id).toBe(drift[1]!.id);
		const text = await cli('chat', 'show', 'DRIFT2', '--compare');
		expect(text.stdout).toContain('OUT OF SYNC: 1 missing in redis, 1 extra in redis');
		expect(text.stdout).toContain(`${drift[1]!.id}`);
	});

	it('show --clear without --yes and without a terminal refuses (exit 2) and deletes nothing', async () => {
		const r = await cli('chat', 'show', 'SYNC01', '--clear');
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('needs --yes');
		expect(await direct.exists('chat:SYNC01:messages')).toBe(1);
	});

	it('show --clear in read-only mode refuses (exit 2)', async () => {
		const r = await cli('chat', 'show', 'SYNC01', '--clear', '--yes', '--read-only');
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('read-only');
		expect(await direct.exists('chat:SYNC01:messages')).toBe(1);
	});

	it('bad usage is exit 2', async () => {
		expect((await cli('chat')).code).toBe(2);
		expect((await cli('chat', 'show')).code).toBe(2);
	});
});

describe('opsdeck message', () => {
	it('shows a message in both stores, and one only the cache has', async () => {
		const both = await cli('message', inSync[0]!.id);
		expect(both.code).toBe(0);
		expect(both.stdout).toMatch(/postgres:[\s\S]*chat\s+SYNC01[\s\S]*content\s+one/);
		expect(both.stdout).toMatch(/redis:[\s\S]*messages\s+chat:SYNC01:messages/);
		expect(both.stdout).toContain('heart 2');
		const cacheOnly = JSON.parse((await cli('message', ghost.id, '--json')).stdout) as {database: {found: boolean}; redis: {found: boolean}};
		expect(cacheOnly).toMatchObject({database: {found: false}, redis: {found: true}});
		const dbOnly = await cli('message', drift[1]!.id);
		expect(dbOnly.stdout).toContain('not cached');
		const none = await cli('message', '00000000-0000-0000-0000-000000000000');
		expect(none.code).toBe(1);
	});
});

describe('opsdeck message with PostgreSQL down', () => {
	it('still shows where Redis caches it, says why the database side is missing, exit 1', async () => {
		const r = await runCli(['message', inSync[1]!.id, '--redis-url', server.url, '--database-url', 'postgres://127.0.0.1:1/none'], {cwd});
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/postgres:\s+unavailable: .*ECONNREFUSED/);
		expect(r.stdout).toMatch(/redis:[\s\S]*messages\s+chat:SYNC01:messages/);
	});
});

describe('opsdeck chat show --clear --yes', () => {
	it('deletes only that chat\'s keys and audits it', async () => {
		const r = await cli('chat', 'show', 'SYNC01', '--clear', '--yes');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('cleared chat SYNC01: 2 keys deleted');
		expect(await direct.exists('chat:SYNC01:messages', `chat:SYNC01:reactions:${inSync[0]!.id}`)).toBe(0);
		expect(await direct.exists('chat:DRIFT2:messages')).toBe(1);
	});
});
