import fs from 'node:fs';
import {Redis} from 'ioredis';
import type pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {chatDetail, chatKeys, clearChat, listChats} from '../../source/cache/collections.js';
import {compareChat, findMessage} from '../../source/cache/compare.js';
import {ReadOnlyError} from '../../source/mutations/registry.js';
import {cacheMessages, createChatTables, insertMessages, message, testBackends} from '../helpers/chat-fixtures.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

let server: RedisServerHandle;
let direct: Redis;
let db: TestDatabase;
let sql: pg.Client;
let backends: Backends;

// AAA111: 5 messages, all cached, 1 pinned, reactions on 2 messages
// BBB222: 6 in the database, 4 cached (2 missing), plus 1 cached message the database never had;
//         plus 1 database message older than the TTL that is rightly not cached
// CCC333: only a backroom cache
const a = Array.from({length: 5}, (_, i) => message('AAA111', 50 - i, `a${i}`));
const b = Array.from({length: 6}, (_, i) => message('BBB222', 40 - i, `b${i}`, 'bob'));
const bOld = message('BBB222', 60 * 48, 'ancient');
const bExtra = message('BBB222', 1, 'ghost');
const cBack = message('CCC333', 5, 'back');

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	db = await createTestDatabase('opsdeck_keys');
	sql = await createChatTables(db.url);
	await insertMessages(sql, [...a, ...b, bOld]);
	await cacheMessages(direct, 'AAA111', a);
	await cacheMessages(direct, 'AAA111', [a[2]!], 'pinned');
	await direct.hset(`chat:AAA111:reactions:${a[0]!.id}`, 'thumbs', '3', 'heart', '1');
	await direct.hset(`chat:AAA111:reactions:${a[1]!.id}`, 'thumbs', '1');
	await cacheMessages(direct, 'BBB222', [b[0]!, b[2]!, b[3]!, b[5]!, bExtra]);
	await cacheMessages(direct, 'CCC333', [cBack], 'backroom');
	await direct.set('unrelated:key', 'x');
	backends = testBackends(server.url, {databaseUrl: db.url});
	await backends.redis.ready();
});

afterAll(async () => {
	await closeBackends(backends);
	await sql.end();
	await db.drop();
	direct.disconnect();
	await server.stop();
});

const ids = (list: readonly {id: string}[]) => list.map(m => m.id).sort();

describe('chat caches', () => {
	it('lists every chat with counts and TTLs', async () => {
		const chats = await listChats(backends);
		expect(chats.map(c => [c.chat, c.messages, c.pinned, c.backroom, c.reactions])).toEqual([
			['AAA111', 5, 1, null, 2],
			['BBB222', 5, null, null, 0],
			['CCC333', null, null, 1, 0],
		]);
		expect(chats[0]!.ttlMs).toBeGreaterThan(86_000_000);
		expect(chats[2]!.ttlMs).toBe(-2);
	});

	it('shows one chat: oldest, newest, messages with badges, pinned, reactions', async () => {
		const d = await chatDetail(backends, 'AAA111', {messages: 3, reactions: true});
		expect(d.counts).toEqual({messages: 5, pinned: 1, backroom: 0, reactions: 2});
		expect(d.oldest?.id).toBe(a[0]!.id);
		expect(d.newest?.id).toBe(a[4]!.id);
		expect(d.messages.map(m => m.content)).toEqual(['a2', 'a3', 'a4']);
		expect(d.messages[0]).toMatchObject({username: 'ann', badges: ['verified'], chat: 'AAA111'});
		expect(d.pinned.map(m => m.id)).toEqual([a[2]!.id]);
		const r = d.reactions!.find(x => x.message === a[0]!.id);
		expect(r?.counts).toEqual({thumbs: 3, heart: 1});
	});

	it('reads camelCase members and members that are not JSON', async () => {
		await direct.zadd('chat:DDD444:messages', 1_764_000_000_000, JSON.stringify({id: 'x1', chatCode: 'DDD444', username: 'c', content: 'camel', createdAt: '2025-11-24T16:00:00.000Z'}), 1_764_000_000_001, 'not json');
		const d = await chatDetail(backends, 'DDD444');
		expect(d.messages[0]).toMatchObject({id: 'x1', chat: 'DDD444', content: 'camel', badges: []});
		expect(d.messages[1]).toMatchObject({raw: 'not json', id: undefined});
		await direct.del('chat:DDD444:messages');
	});
});

describe('compare with PostgreSQL', () => {
	it('a chat fully cached is in sync', async () => {
		const c = await compareChat(backends, 'AAA111');
		expect(c.inSync).toBe(true);
		expect(c.redis.count).toBe(5);
		expect(c.database.count).toBe(5);
		expect(c.redis.newest?.id).toBe(a[4]!.id);
		expect(c.database.newest?.id).toBe(a[4]!.id);
	});

	it('finds exactly the missing and the extra messages', async () => {
		const c = await compareChat(backends, 'BBB222');
		expect(c.inSync).toBe(false);
		expect(ids(c.missing)).toEqual(ids([b[1]!, b[4]!]));
		expect(ids(c.extra)).toEqual([bExtra.id]);
		expect(c.database.count).toBe(7);
		expect(c.redis.newest?.id).toBe(bExtra.id);
		expect(c.database.newest?.id).toBe(b[5]!.id);
	});

	it('finds one message in both stores', async () => {
		const both = await findMessage(backends, a[2]!.id);
		expect(both.database).toMatchObject({found: true, row: {chat: 'AAA111', content: 'a2'}});
		expect(both.redis.locations.map(l => l.collection).sort()).toEqual(['messages', 'pinned']);
		const withReactions = await findMessage(backends, a[0]!.id);
		expect(withReactions.redis.reactions?.counts).toEqual({thumbs: 3, heart: 1});
		const onlyRedis = await findMessage(backends, bExtra.id);
		expect(onlyRedis.database.found).toBe(false);
		expect(onlyRedis.redis.locations.map(l => l.key)).toEqual(['chat:BBB222:messages']);
		const neither = await findMessage(backends, 'not-a-uuid');
		expect(neither.database.found).toBe(false);
		expect(neither.redis.found).toBe(false);
	});
});

describe('clear chat', () => {
	it('is refused in read-only mode, then removes only that chat\'s keys', async () => {
		const readOnly = {...backends, config: {...backends.config, readOnly: true}};
		await expect(clearChat(readOnly, 'AAA111')).rejects.toBeInstanceOf(ReadOnlyError);
		expect(await direct.exists('chat:AAA111:messages')).toBe(1);
		const keys = await chatKeys(backends, 'AAA111');
		expect(keys).toHaveLength(4);
		const result = await clearChat(backends, 'AAA111');
		expect(result.deleted).toBe(4);
		expect(await direct.keys('chat:AAA111:*')).toEqual([]);
		expect(await direct.exists('chat:BBB222:messages', 'chat:CCC333:backroom', 'unrelated:key')).toBe(3);
		const audit = fs.readFileSync(backends.config.auditLog, 'utf8');
		expect(audit).toContain('"action":"clear-chat"');
		expect(audit).toContain('"result":"refused"');
	});
});


