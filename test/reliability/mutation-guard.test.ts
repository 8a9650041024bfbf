// Issue 7: one guard for every mutation. The table below must name a way to trigger each entry of
// `mutations` (the Record type and the runtime check both fail when a new mutation is added without
// one). Each is triggered in read-only mode against real data: refused, nothing changed, audited.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig, type Config} from '../../source/config.js';
import {createBackup, deleteBackup, listBackups, pruneBackups} from '../../source/ops/backups.js';
import {clearChat} from '../../source/ops/collections.js';
import {flushRedis} from '../../source/ops/flush.js';
import {deleteKey} from '../../source/ops/keys.js';
import {mutations, readAudit, ReadOnlyError, type Mutation} from '../../source/ops/mutations.js';
import {restoreBackup} from '../../source/ops/restore.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runCli} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {sha256} from '../ops/backup-helpers.js';

let server: RedisServerHandle;
let sqlite: TempSqlite;
let dir: string;
let writable: Config;
let readOnly: Config;
let backends: Backends;
let backupName: string;

beforeAll(async () => {
	server = await startRedis();
	sqlite = tempSqlite();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-guard-'));
	const env = {
		REDIS_URL: server.url,
		DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
		SQLITE_PATH: sqlite.path,
		BACKUP_DIR: path.join(dir, 'backups'),
		BACKUP_RETENTION: '1',
		OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log'),
	};
	writable = loadConfig({env, cwd: dir});
	readOnly = loadConfig({env: {...env, OPSDECK_READ_ONLY: '1'}, cwd: dir});
	backends = createBackends(readOnly);
	await backends.redis.ready();
	// two backups, so that prune (retention 1) has something it would delete
	backupName = (await createBackup(writable, {kind: 'manual', now: new Date(Date.now() - 60_000)})).name;
	await createBackup(writable, {kind: 'manual'});
});

afterAll(async () => {
	await backends.redis.close();
	await server.stop();
	sqlite.cleanup();
	fs.rmSync(dir, {recursive: true, force: true});
});

async function seedRedis(): Promise<void> {
	const client = backends.redis.client;
	await client.set('plain:key', 'value');
	await client.zadd('chat:ABC:messages', Date.now(), JSON.stringify({id: 'm1', content: 'hi'}));
	await client.hset('chat:ABC:reactions:m1', 'heart', '2');
}

async function redisSnapshot(): Promise<string> {
	const keys = await backends.redis.client.keys('*');
	return JSON.stringify(keys.sort());
}

function filesSnapshot(): string {
	return JSON.stringify({live: sha256(sqlite.path), backups: fs.readdirSync(path.join(dir, 'backups')).sort()});
}

type Trigger = {readonly snapshot: () => Promise<string> | string; readonly run: () => Promise<unknown>};

const triggers: Record<Mutation, Trigger> = {
	flush: {snapshot: redisSnapshot, run: () => flushRedis(readOnly, backends, {all: false, description: 'FLUSHDB'})},
	'delete-key': {snapshot: redisSnapshot, run: () => deleteKey(readOnly, backends.redis, 'plain:key')},
	'clear-chat': {snapshot: redisSnapshot, run: () => clearChat({config: readOnly, redis: backends.redis}, 'ABC')},
	restore: {snapshot: filesSnapshot, run: () => restoreBackup(readOnly, backupName, {force: true})},
	'delete-backup': {snapshot: filesSnapshot, run: () => deleteBackup(readOnly, backupName)},
	prune: {snapshot: filesSnapshot, run: () => pruneBackups(readOnly)},
};

describe('every mutation goes through the read-only guard', () => {
	it('has a trigger for each mutation (a new one cannot skip this test)', () => {
		expect(Object.keys(triggers).sort()).toEqual([...mutations].sort());
	});

	it.each([...mutations])('%s is refused in read-only mode, changes nothing and is audited', async action => {
		await seedRedis();
		const trigger = triggers[action];
		const before = await trigger.snapshot();
		const auditBefore = readAudit(readOnly, 1000).length;
		await expect(trigger.run()).rejects.toBeInstanceOf(ReadOnlyError);
		expect(await trigger.snapshot()).toBe(before);
		const audit = readAudit(readOnly, 1000);
		expect(audit).toHaveLength(auditBefore + 1);
		expect(audit.at(-1)).toMatchObject({action, result: 'refused'});
	});

	it('the write path still works when not read-only (the guard is not just always refusing)', async () => {
		await seedRedis();
		const rw = createBackends(writable);
		await rw.redis.ready();
		try {
			expect(await deleteKey(writable, rw.redis, 'plain:key')).toBe(true);
			expect(await rw.redis.client.exists('plain:key')).toBe(0);
			expect(readAudit(writable, 1).at(-1)).toMatchObject({action: 'delete-key', result: 'ok'});
		} finally {
			await rw.redis.close();
		}
		expect((await listBackups(writable.backupDir)).length).toBe(2);
	});
});

describe('the commands refuse in read-only mode too (exit 2, nothing changed)', () => {
	const cases: [string, string[]][] = [
		['flush', ['flush', '--yes']],
		['clear chat', ['chat', 'show', 'ABC', '--clear', '--yes']],
		['restore', ['backup', 'restore', 'BACKUP', '--yes', '--force']],
		['delete backup', ['backup', 'delete', 'BACKUP', '--yes']],
		['prune', ['backup', 'prune', '--yes']],
	];
	it.each(cases)('%s', async (_name, args) => {
		await seedRedis();
		const before = (await redisSnapshot()) + filesSnapshot();
		const result = await runCli(
			args.map(a => (a === 'BACKUP' ? backupName : a)),
			{
				cwd: dir,
				env: {
					REDIS_URL: server.url,
					SQLITE_PATH: sqlite.path,
					BACKUP_DIR: path.join(dir, 'backups'),
					BACKUP_RETENTION: '1',
					OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log'),
					OPSDECK_READ_ONLY: '1',
				},
			},
		);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/read-only/);
		expect((await redisSnapshot()) + filesSnapshot()).toBe(before);
	});
});
