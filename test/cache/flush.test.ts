// The flush op on a private redis-server: FLUSHDB empties the configured db only, FLUSHALL every
// db, read-only refuses, and every attempt lands in the audit log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {flushRedis, flushTarget} from '../../source/cache/flush.js';
import {ReadOnlyError, readAudit} from '../../source/mutations/registry.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

let server: RedisServerHandle;
let db0: Redis;
let db1: Redis;
let dir: string;
const open: Backends[] = [];

beforeAll(async () => {
	server = await startRedis();
	// set after start: the helper's readiness PING has no password
	const admin = new Redis({port: server.port});
	await admin.config('SET', 'requirepass', 'flushsecret');
	admin.disconnect();
	db0 = new Redis({port: server.port, password: 'flushsecret', db: 0});
	db1 = new Redis({port: server.port, password: 'flushsecret', db: 1});
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-flush-'));
});

afterAll(async () => {
	db0?.disconnect();
	db1?.disconnect();
	await server.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

beforeEach(async () => {
	await db0.flushall();
	await db0.mset('chat:a:messages', '1', 'chat:b:messages', '2', 'k', '3');
	await db1.set('other-db-key', 'kept');
});

afterEach(async () => {
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
});

async function backends(env: Record<string, string> = {}): Promise<Backends> {
	const config = loadConfig({
		env: {REDIS_URL: `redis://:flushsecret@127.0.0.1:${server.port}/0`, OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log'), ...env},
		cwd: dir,
	});
	const b = createBackends(config);
	open.push(b);
	await b.redis.ready();
	return b;
}

describe('flush', () => {
	it('names the target (masked URL, db, key count) and empties only the configured db', async () => {
		const b = await backends();
		const target = await flushTarget(b);
		expect(target).toMatchObject({db: 0, keys: 3, all: false});
		expect(target.description).toBe(`FLUSHDB on redis://:***@127.0.0.1:${server.port}/0: 3 keys in db 0`);
		await flushRedis(b.config, b, target);
		// FLUSHDB ASYNC: the keyspace is emptied at once, the memory freed in the background
		expect(await db0.dbsize()).toBe(0);
		expect(await db1.get('other-db-key')).toBe('kept');
		const [entry] = readAudit(b.config).slice(-1);
		expect(entry).toMatchObject({action: 'flush', result: 'ok'});
		expect(entry!.target).not.toContain('flushsecret');
	});

	it('--all flushes every db', async () => {
		const b = await backends();
		await flushRedis(b.config, b, await flushTarget(b, {all: true}));
		expect(await db0.dbsize()).toBe(0);
		expect(await db1.dbsize()).toBe(0);
	});

	it('is refused in read-only mode: nothing deleted, the refusal audited', async () => {
		const b = await backends({OPSDECK_READ_ONLY: '1'});
		await expect(flushRedis(b.config, b, await flushTarget(b))).rejects.toBeInstanceOf(ReadOnlyError);
		expect(await db0.dbsize()).toBe(3);
		expect(readAudit(b.config).slice(-1)[0]).toMatchObject({action: 'flush', result: 'refused'});
	});
});
