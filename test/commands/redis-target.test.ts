// issue 13, case 1, as a user meets it (built CLI, no terminal): REDIS_URL names db 99 on a
// server with `databases 4`. `status` says Redis is down with the SELECT error; `flush --yes` and
// `chat show --clear --yes` exit 2 with one line naming db 99 and the databases count, and db 0
// keeps every key (they used to report "3 keys in db 99" and empty db 0). A wrong password: down
// with the server's reason, nothing flushed. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runCli} from '../helpers/run-cli.js';

let server: RedisServerHandle;
let db0: Redis;
let cwd: string;

beforeAll(async () => {
	server = await startRedis({args: ['--databases', '4']});
	db0 = new Redis(server.url);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-targetcmd-'));
});

afterAll(async () => {
	db0.disconnect();
	await server.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

beforeEach(async () => {
	await db0.flushall();
	await db0.mset('chat:a:messages', '1', 'chat:b:messages', '2', 'k', '3');
});

// the URL through the environment, as an operator sets it (a password on the command line gets a hint line)
const cli = (redisUrl: string, ...args: string[]) => runCli([...args, '--audit-log', path.join(cwd, 'audit.log')], {cwd, env: {REDIS_URL: redisUrl}});
const url99 = () => `redis://127.0.0.1:${server.port}/99`;
const oneLine = /^opsdeck: [^\n]*SELECT 99 failed[^\n]*ERR DB index is out of range[^\n]*the server has 4 databases[^\n]*\n$/;

describe('issue 13, case 1: REDIS_URL names a db the server does not have', () => {
	it('status: redis down with the SELECT error (not up with db 0\'s keys)', async () => {
		const r = await cli(url99(), 'status', '--json');
		const status = JSON.parse(r.stdout) as {redis: {state: string; keys: number | null; lastError: string | null}};
		expect(status.redis.state).toBe('down');
		expect(status.redis.keys).toBeNull();
		expect(status.redis.lastError).toMatch(/SELECT 99 failed.*ERR DB index is out of range.*4 databases/);
	});

	it('flush --yes: exit 2, one line naming db 99 and the databases count, db 0 untouched', async () => {
		const r = await cli(url99(), 'flush', '--yes');
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(oneLine);
		expect(r.code).toBe(2);
		expect(await db0.dbsize()).toBe(3);
		// nothing flushed, so nothing audited as flushed
		const audit = fs.existsSync(path.join(cwd, 'audit.log')) ? fs.readFileSync(path.join(cwd, 'audit.log'), 'utf8') : '';
		expect(audit).not.toMatch(/"action":"flush","target":"[^"]*","result":"ok"/);
	});

	it('flush --all --yes and chat show --clear --yes refuse the same way', async () => {
		for (const args of [['flush', '--all', '--yes'], ['chat', 'show', 'a', '--clear', '--yes']]) {
			const r = await cli(url99(), ...args);
			expect(r.stderr).toMatch(oneLine);
			expect(r.code).toBe(2);
		}
		expect(await db0.dbsize()).toBe(3);
	});
});

describe('issue 13, case 1: a wrong password', () => {
	it('flush --yes fails with the server\'s reason and flushes nothing; status says down with it', async () => {
		const locked = await startRedis();
		const admin = new Redis(locked.url);
		try {
			await admin.mset('a', '1', 'b', '2');
			await admin.config('SET', 'requirepass', 'right');
			const url = `redis://:wrong@127.0.0.1:${locked.port}/0`;
			const r = await cli(url, 'flush', '--yes');
			expect(r.stderr).toMatch(/^opsdeck: redis is down: WRONGPASS[^\n]*\n$/);
			expect(r.code).toBe(1);
			expect(await admin.dbsize()).toBe(2);
			const status = JSON.parse((await cli(url, 'status', '--json')).stdout) as {redis: {state: string; lastError: string | null}};
			expect(status.redis).toMatchObject({state: 'down', lastError: expect.stringMatching(/WRONGPASS/) as unknown});
		} finally {
			admin.disconnect();
			await locked.stop();
		}
	});
});
