// issue 13, case 1 in the console: REDIS_URL names db 99 on a private redis-server with
// `databases 4`. The Status tab used to say HEALTHY with Redis up (db 0's numbers) and F offered to
// flush "db 99 only" — and emptied db 0. Now Redis is DOWN with the SELECT error, F opens no dialog
// and db 0 keeps every key. Real servers: the private Redis, the local PostgreSQL, a SQLite file.
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {render, settle} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let redis: RedisServerHandle;
let sqlite: TempSqlite;
let db0: Redis;
const open: Backends[] = [];

beforeAll(async () => {
	redis = await startRedis({args: ['--databases', '4']});
	sqlite = tempSqlite();
	db0 = new Redis(redis.url);
	await db0.mset('chat:a:messages', '1', 'chat:b:messages', '2', 'k', '3');
});

afterAll(async () => {
	db0.disconnect();
	await redis.stop();
	sqlite.cleanup();
});

afterEach(async () => {
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
});

describe('issue 13, case 1: the console with REDIS_URL on a db the server does not have', () => {
	it('shows Redis DOWN with the SELECT error, never HEALTHY; F opens no flush dialog and db 0 keeps its keys', async () => {
		const config = loadConfig({
			env: {REDIS_URL: `redis://127.0.0.1:${redis.port}/99`, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log')},
			cwd: sqlite.dir,
		});
		const backends = createBackends(config);
		open.push(backends);
		await startBackends(backends);
		const app = render(<App backends={backends} startOnMount={false} />);
		const screen = await app.waitFor(s => /PostgreSQL {2}up/.test(s) && /Redis {2}DOWN/.test(s), 10_000);
		expect(screen).toContain('SELECT 99 failed');
		expect(screen).not.toMatch(/HEALTHY/);
		expect(screen).not.toMatch(/keys db\d+ +3/);
		await settle(50);
		await app.press('F');
		await app.waitFor(/cannot flush: .*SELECT 99/, 5000);
		expect(app.screen()).not.toContain('Type flush');
		expect(await db0.dbsize()).toBe(3);
		// a poll later it is still down (not up on db 0 after a retry)
		await settle(1200);
		expect(app.screen()).toMatch(/Redis {2}DOWN/);
		expect(app.screen()).not.toMatch(/HEALTHY/);
	});
});
