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
		// issue 16, point 6: it said "last 1 messages"
		expect(r.stdout).toContain('last 1 message:');
		const last = r.stdout.slice(r.stdout.indexOf('last 1 message:'));
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

	// issue 16, point 6: a chat with 55 messages missing from its cache printed all of them
	it('show --compare lists at most --limit (default 50) missing and extra, with the totals', async () => {
		const rows = Array.from({length: 56}, (_, i) => message('MANY03', 60 + i, `row ${i}`));
		const ghosts = [message('MANY03', 1, 'gone 1'), message('MANY03', 2, 'gone 2'), message('MANY03', 3, 'gone 3')];
		await insertMessages(sql, rows);
		await cacheMessages(direct, 'MANY03', [rows[0]!, ...ghosts]);
		try {
			const listed = (text: string, heading: string) => text.slice(text.indexOf(heading)).split('\n').slice(1).findIndex(line => !line.startsWith('  '));
			const byDefault = await cli('chat', 'show', 'MANY03', '--compare');
			expect(byDefault.code).toBe(0);
			expect(byDefault.stdout).toContain('OUT OF SYNC: 55 missing in redis, 3 extra in redis');
			expect(byDefault.stdout).toContain('missing in redis (in the cache window, not cached), 50 of 55 shown (--limit N shows more):');
			expect(listed(byDefault.stdout, 'missing in redis (')).toBe(50);
			expect(byDefault.stdout).toContain('extra in redis (cached, not in the database):');
			const two = await cli('chat', 'show', 'MANY03', '--compare', '--limit', '2');
			expect(two.stdout).toContain('OUT OF SYNC: 55 missing in redis, 3 extra in redis');
			expect(two.stdout).toContain('missing in redis (in the cache window, not cached), 2 of 55 shown (--limit N shows more):');
			expect(two.stdout).toContain('extra in redis (cached, not in the database), 2 of 3 shown (--limit N shows more):');
			expect(listed(two.stdout, 'missing in redis (')).toBe(2);
			const json = JSON.parse((await cli('chat', 'show', 'MANY03', '--compare', '--limit', '2', '--json')).stdout) as {comparison: {missing: unknown[]; extra: unknown[]; missingTotal: number; extraTotal: number}};
			expect(json.comparison).toMatchObject({missingTotal: 55, extraTotal: 3});
			expect([json.comparison.missing.length, json.comparison.extra.length]).toEqual([2, 2]);
			expect((await cli('chat', 'show', 'MANY03', '--compare', '--limit', '0')).code).toBe(2);
		} finally {
			await direct.del('chat:MANY03:messages');
			await sql.query('delete from messages where chat_code = $1', ['MANY03']);
			await sql.query('delete from chats where code = $1', ['MANY03']);
		}
	});

	// issue 16, point 6: a code nobody has said "nothing cached", exit 0, like a chat whose cache expired
	it('show CODE that neither store has: exit 1 naming it; one only PostgreSQL has: nothing cached, with its count', async () => {
		const none = await cli('chat', 'show', 'NOPE0000');
		expect(none.stderr).toBe('opsdeck: no chat NOPE0000 in the cache or the database\n');
		expect(none.code).toBe(1);
		expect(none.stdout).toBe('');
		const json = await cli('chat', 'show', 'NOPE0000', '--json');
		expect(json.code).toBe(1);
		expect(json.stdout).toBe('');
		await insertMessages(sql, [message('DBONLY4', 5), message('DBONLY4', 6)]);
		const dbOnly = await cli('chat', 'show', 'DBONLY4');
		expect(dbOnly.code).toBe(0);
		expect(dbOnly.stdout).toBe('chat DBONLY4: nothing cached (2 messages in PostgreSQL)\n');
		const dbOnlyJson = JSON.parse((await cli('chat', 'show', 'DBONLY4', '--json')).stdout) as {empty: boolean; database: {messages: number}};
		expect(dbOnlyJson).toMatchObject({empty: true, database: {messages: 2, listed: true}});
		const pgDown = await runCli(['chat', 'show', 'NOPE0000', '--redis-url', server.url, '--database-url', 'postgres://127.0.0.1:1/none'], {cwd});
		expect(pgDown.code).toBe(1);
		expect(pgDown.stderr).toMatch(/^opsdeck: no chat NOPE0000 in the cache, and PostgreSQL could not be asked: .*connection refused/);
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
		expect(r.stdout).toMatch(/postgres:\s+unavailable: .*connection refused/);
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
