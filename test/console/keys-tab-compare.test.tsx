// The Keys tab's chat comparison with PostgreSQL: `c` on a chat key shows counts, in sync or not,
// and the missing and extra message ids.
import {Redis} from 'ioredis';
import type pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {cacheMessages, createChatTables, insertMessages, message, testBackends} from '../helpers/chat-fixtures.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle} from '../helpers/render.js';

let server: RedisServerHandle;
let direct: Redis;
let db: TestDatabase;
let sql: pg.Client;
let backends: Backends;

const rows = [message('CMP001', 20, 'kept'), message('CMP001', 10, 'never cached', 'zoe')];
const ghost = message('CMP001', 5, 'gone from db');

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	db = await createTestDatabase('opsdeck_keystab');
	sql = await createChatTables(db.url);
	await insertMessages(sql, rows);
	await cacheMessages(direct, 'CMP001', [rows[0]!, ghost]);
	backends = testBackends(server.url, {databaseUrl: db.url});
});

afterAll(async () => {
	await closeBackends(backends);
	await sql.end();
	await db.drop();
	direct.disconnect();
	await server.stop();
});

describe('Keys tab compare', () => {
	it('c on a chat key: out of sync, with the missing and the extra message', async () => {
		const app = render(<App backends={backends} initialTab={1} />);
		await app.waitFor(s => s.includes('chat:CMP001:messages') && s.includes('done'));
		await settle(100);
		await app.press('c');
		const screen = await app.waitFor('OUT OF SYNC: 1 missing in redis, 1 extra in redis');
		expect(screen).toContain('compare CMP001 with postgres');
		expect(screen).toMatch(/messages\s+2 \/ 2/);
		expect(screen).toContain(rows[1]!.id);
		expect(screen).toContain(ghost.id);
		await app.press(keys.escape);
		await app.waitFor(s => s.includes('chat:CMP001:messages') && !s.includes('OUT OF SYNC'));
	});
});
