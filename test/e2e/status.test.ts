// The Status tab as an operator drives it: the bundled console in a real pseudo-terminal, a
// private redis-server that is killed and restarted, the local PostgreSQL, a real SQLite file.
// Needs `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {cliEnv} from '../helpers/health-env.js';

const bin = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
let redis: RedisServerHandle;
let sqlite: TempSqlite;
let writer: Redis;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	redis = await startRedis();
	sqlite = tempSqlite();
	writer = new Redis(redis.url);
	writer.on('error', () => undefined);
	await writer.mset('chat:a:messages', '1', 'chat:b:messages', '2');
	await writer.select(1);
	await writer.set('survivor', 'yes');
	await writer.select(0);
});

afterAll(async () => {
	writer.disconnect();
	await redis.stop();
	sqlite.cleanup();
});

// keys one at a time, as typed (a burst in one read is a paste for Ink)
const pause = () => new Promise(resolve => setTimeout(resolve, 80));

describe('Status tab in a terminal', () => {
	it('shows the stores, follows a Redis restart by itself, reconnects, flushes after the typed word, fits 40x10', async () => {
		const env = cliEnv({REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log')});
		const run = runPty('node', [bin], {cols: 80, rows: 24, env, cwd: sqlite.dir});
		try {
			await run.waitForText(/Redis {2}up/);
			await run.waitForText('HEALTHY');
			expect(run.screen()).toMatch(/PostgreSQL {2}up/);
			expect(run.screen()).toMatch(/keys db0 +2/);

			await redis.kill();
			await run.waitForText(/Redis {2}DOWN/, 3000);
			await run.waitForText(/DEGRADED +redis down/);
			await redis.restart();
			await run.waitForText('HEALTHY', 10_000);

			await pause();
			run.press('R');
			await run.waitForText(/Redis: reconnected in \d+ ms/);

			// the restart emptied the private server (no persistence): write the keys again
			await writer.mset('chat:a:messages', '1', 'chat:b:messages', '2');
			await writer.select(1);
			await writer.set('survivor', 'yes');
			await writer.select(0);
			await run.waitForText(/keys db0 +2/);
			await pause();
			run.press('F');
			await run.waitForText(`FLUSHDB on ${redis.url}: 2 keys in db 0`);
			for (const ch of 'flush') {
				await pause();
				run.press(ch);
			}
			await pause();
			run.press('\r');
			await run.waitForText(`Redis: flushed 2 keys from ${redis.url} (db 0)`);
			expect(await writer.dbsize()).toBe(0);
			await writer.select(1);
			expect(await writer.get('survivor')).toBe('yes');

			run.resize(40, 10);
			await run.waitForText(/^redis +up/m);
			for (const line of run.lines()) expect(line.length).toBeLessThanOrEqual(40);

			run.press('q');
			expect((await run.waitForExit(10_000)).exitCode).toBe(0);
		} finally {
			run.kill('SIGKILL');
		}
	});
});
