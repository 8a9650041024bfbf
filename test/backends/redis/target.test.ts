// issue 13, case 1: Redis acting on the wrong target. A private redis-server with `databases 4`:
// a URL naming db 99 must leave the backend down with the SELECT error (ioredis reports a failed
// SELECT as a mere event and carries on, on db 0), a wrong password likewise, RawPipe alike, and a
// destructive op confirms the db on the connection that acts right before it acts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {encodeCommand, RawPipe} from '../../../source/backends/redis/pipe.js';
import {RedisBackend, WrongTargetError} from '../../../source/backends/redis/client.js';
import {closeBackends, createBackends, type Backends} from '../../../source/backends/index.js';
import {loadConfig} from '../../../source/config/config.js';
import {clearChat} from '../../../source/cache/collections.js';
import {flushRedis, flushTarget} from '../../../source/cache/flush.js';
import {deleteKey} from '../../../source/cache/keys.js';
import {probeRedis} from '../../../source/health/redis.js';
import {startRedis, type RedisServerHandle} from '../../helpers/redis-server.js';

let server: RedisServerHandle;
let db0: Redis;
let db1: Redis;
let dir: string;
const open: Backends[] = [];

beforeAll(async () => {
	server = await startRedis({args: ['--databases', '4']});
	db0 = new Redis(server.url);
	db1 = new Redis(`redis://127.0.0.1:${server.port}/1`);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-target-'));
});

afterAll(async () => {
	db0.disconnect();
	db1.disconnect();
	await server.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

beforeEach(async () => {
	await db0.flushall();
	await db0.mset('chat:a:messages', '1', 'chat:b:messages', '2', 'k', '3');
	await db1.set('survivor', 'yes');
});

afterEach(async () => {
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
});

function backends(redisUrl: string): Backends {
	const config = loadConfig({env: {REDIS_URL: redisUrl, OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log')}, cwd: dir});
	const b = createBackends(config);
	open.push(b);
	return b;
}

const url99 = () => `redis://127.0.0.1:${server.port}/99`;

describe('issue 13, case 1: a db the server does not have', () => {
	it('ready() fails at once with one line naming db 99 and the databases count; the backend stays down', async () => {
		const b = backends(url99());
		const states: string[] = [];
		b.redis.keeper.onChange(s => states.push(s.state));
		const error = await b.redis.ready().then(() => undefined, (e: unknown) => e);
		expect(error).toBeInstanceOf(WrongTargetError);
		const message = (error as Error).message;
		expect(message).toContain('SELECT 99 failed');
		expect(message).toContain('the server has 4 databases');
		expect(message).not.toContain('\n');
		expect(b.redis.status.state).toBe('down');
		expect(b.redis.status.lastError).toContain('SELECT 99 failed');
		// the client is never handed out: nothing can run on db 0 by mistake
		expect(() => b.redis.client).toThrow(/SELECT 99 failed/);
		// tried again with backoff, and down every time (never "up" on db 0)
		await new Promise(resolve => setTimeout(resolve, 400));
		expect(states).not.toContain('up');
		expect(b.redis.status.lastError).toContain('the server has 4 databases');
	});

	it('the health probe says down with the SELECT error, not up with db 0\'s numbers', async () => {
		const b = backends(url99());
		const health = await probeRedis(b.redis, 3000);
		expect(health.state).toBe('down');
		expect(health.lastError).toMatch(/SELECT 99 failed.*ERR DB index is out of range.*4 databases/);
		expect(health.keys).toBeNull();
	});

	it('flush, delete-key and clear-chat refuse and db 0 keeps every key', async () => {
		const b = backends(url99());
		await b.redis.start();
		await expect(b.redis.ready()).rejects.toThrow(WrongTargetError);
		await expect(flushTarget(b)).rejects.toThrow(/SELECT 99/);
		await expect(flushRedis(b.config, b, {all: false, description: 'FLUSHDB'})).rejects.toThrow(/SELECT 99/);
		await expect(deleteKey(b.config, b.redis, 'k')).rejects.toThrow(/SELECT 99/);
		await expect(clearChat(b, 'a', ['chat:a:messages'])).rejects.toThrow(/SELECT 99/);
		expect(await db0.dbsize()).toBe(3);
	});

	it('RawPipe with a bad db fails the call rather than counting db 0', async () => {
		const pipe = new RawPipe({host: '127.0.0.1', port: server.port, db: 99});
		try {
			await expect(pipe.exec(encodeCommand(['DBSIZE']), 1)).rejects.toThrow(/^SELECT 99: ERR DB index is out of range$/);
			// and again on the next call (a fresh connection, the same refusal)
			await expect(pipe.exec(encodeCommand(['DBSIZE']), 1)).rejects.toThrow(/^SELECT 99: /);
		} finally {
			pipe.close();
		}
	});
});

describe('issue 13, case 1: the target is confirmed on the connection that acts, right before', () => {
	it('a connection that has drifted to db 0 is put back on the configured db before FLUSHDB', async () => {
		await db1.set('one', '1');
		const b = backends(`redis://127.0.0.1:${server.port}/1`);
		await b.redis.ready();
		const target = await flushTarget(b);
		expect(target.description).toContain('2 keys in db 1');
		// what a failed SELECT on a reconnect leaves behind: the connection on db 0
		await b.redis.standalone.call('SELECT', '0');
		await flushRedis(b.config, b, target);
		expect(await db0.dbsize()).toBe(3);
		expect(await db1.dbsize()).toBe(0);
	});

	it('delete-key and clear-chat likewise act on the configured db', async () => {
		await db1.mset('k', 'db1', 'chat:a:messages', 'db1');
		const b = backends(`redis://127.0.0.1:${server.port}/1`);
		await b.redis.ready();
		await b.redis.standalone.call('SELECT', '0');
		expect(await deleteKey(b.config, b.redis, 'k')).toBe(true);
		await b.redis.standalone.call('SELECT', '0');
		expect(await clearChat(b, 'a', ['chat:a:messages'])).toMatchObject({deleted: 1});
		expect(await db0.mget('k', 'chat:a:messages')).toEqual(['3', '1']);
		expect(await db1.exists('k', 'chat:a:messages')).toBe(0);
	});
});

describe('issue 13, case 1: a wrong password', () => {
	let locked: RedisServerHandle;
	let admin: Redis;

	beforeAll(async () => {
		locked = await startRedis({args: ['--databases', '4']});
		admin = new Redis(locked.url);
		await admin.mset('a', '1', 'b', '2');
		// set after start: the helper's readiness PING has no password
		await admin.config('SET', 'requirepass', 'right');
	});

	afterAll(async () => {
		admin.disconnect();
		await locked.stop();
	});

	it('leaves the backend down with the server\'s reason; nothing flushed', async () => {
		const b = backends(`redis://:wrong@127.0.0.1:${locked.port}/0`);
		await expect(b.redis.ready()).rejects.toThrow(/WRONGPASS/);
		expect(b.redis.status.state).toBe('down');
		expect(b.redis.status.lastError).toMatch(/WRONGPASS/);
		await expect(flushTarget(b)).rejects.toThrow(/WRONGPASS/);
		await expect(flushRedis(b.config, b, {all: false, description: 'FLUSHDB'})).rejects.toThrow(/redis is down/);
		expect(await admin.dbsize()).toBe(2);
		const pipe = new RawPipe({host: '127.0.0.1', port: locked.port, password: 'wrong'});
		try {
			await expect(pipe.exec(encodeCommand(['DBSIZE']), 1)).rejects.toThrow(/AUTH: WRONGPASS/);
		} finally {
			pipe.close();
		}
	});

	it('ready() fails at once on the refusal (WRONGPASS, or NOAUTH without a password), not after the connect timeout', async () => {
		// a connect timeout of 20 s: failing within 5 s can only be the refusal ending the wait
		for (const [url, reason] of [[`redis://:wrong@127.0.0.1:${locked.port}/0`, /^redis is down: WRONGPASS [^\n]*$/], [`redis://127.0.0.1:${locked.port}/0`, /^redis is down: NOAUTH [^\n]*$/]] as const) {
			const redis = new RedisBackend(url, {connectTimeoutMs: 20_000});
			try {
				const started = performance.now();
				await expect(redis.ready()).rejects.toThrow(reason);
				expect(performance.now() - started).toBeLessThan(5000);
				// asked again while it retries: the same answer at once
				await expect(redis.ready()).rejects.toThrow(reason);
				expect(redis.status.state).toBe('down');
			} finally {
				await redis.close();
			}
		}
	});
});
