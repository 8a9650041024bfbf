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

	it('takes the newest by the name\'s time, not the upload time; a copy with no sidecar there fails (exit 1, recorded) as restore refuses it', async () => {
		const old = 'manual_2026-01-01T00-00-00.db';
		// uploaded after `name` (a later mtime on the store) but taken earlier, and with no sidecar
		await new Promise(resolve => setTimeout(resolve, 1100));
		await put(`drill/${old}`, fs.readFileSync(sqlite.path));
		const newest = await cli('drill', ['backup', 'drill', '--remote']);
		expect(newest.code).toBe(0);
		expect(newest.stdout).toMatch(new RegExp(`^drill of ${name} on s3://${s3.bucket}/drill/: passed in `, 'm'));
		const r = await cli('drill', ['backup', 'drill', old, '--remote']);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(new RegExp(`^drill of ${old} on s3://${s3.bucket}/drill/: FAILED in `, 'm'));
		expect(r.stdout).toContain(`finding: s3://${s3.bucket}/drill/${old} has no sidecar there: its sha256 cannot be checked\n`);
		expect(r.stdout).not.toMatch(/passed/);
		expect(temps()).toEqual([]);
		const log = fs.readFileSync(path.join(backups(), 'drills.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as {backup: string; ok: boolean});
		expect(log.at(-1)).toMatchObject({backup: old, ok: false});
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

describe('backup prune with BACKUP_REMOTE_KEEP', () => {
	// last=1 keeps 11-30 03:00; daily=2 keeps the newest of 11-30 and of 11-29; the manual one is kept
	// apart; notes.db is not a name opsdeck gives (never touched)
	const keep = ['auto_2026-11-30T03-00-00.db', 'auto_2026-11-29T03-00-00.db', 'manual_2026-11-01T10-00-00.db'];
	const drop = ['auto_2026-11-29T01-00-00.db', 'auto_2026-11-28T03-00-00.db', 'auto_2026-11-20T03-00-00.db'];
	const extra = {BACKUP_REMOTE_KEEP: 'last=1,daily=2'};
	const prune = (args: string[], more: Record<string, string> = {}) => cli('keep', ['backup', 'prune', ...args], {...extra, BACKUP_DIR: path.join(sqlite.dir, 'prune-local'), ...more});
	const remoteNames = async () => (await listRemoteBackups(config('keep')))[0]!.backups.map(b => b.name).sort();

	beforeAll(async () => {
		fs.mkdirSync(path.join(sqlite.dir, 'prune-local'));
		for (const name of [...keep, ...drop, 'notes.db']) await put(`keep/${name}`, `not really ${name}`);
	});

	it('--dry-run names the rule that keeps each survivor, per remote, and deletes nothing', async () => {
		const r = await prune(['--dry-run']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`s3://${s3.bucket}/keep/ (keep last=1,daily=2)`);
		const row = (name: string) => r.stdout.split('\n').find(l => l.trimStart().startsWith(name));
		expect(row(keep[0]!)).toMatch(/keep\s+last, daily 2026-11-30$/);
		expect(row(keep[1]!)).toMatch(/keep\s+daily 2026-11-29$/);
		expect(row(keep[2]!)).toMatch(/keep\s+manual$/);
		for (const name of drop) expect(row(name)).toMatch(/DELETE$/);
		expect(row('notes.db')).toBeUndefined();
		expect(r.stdout).toContain('dry run: would delete 3 backups there, keep 3');
		const json = JSON.parse((await prune(['--dry-run', '--json'])).stdout) as {remotes: {remove: {name: string}[]}[]};
		expect(json.remotes[0]!.remove.map(d => d.name).sort()).toEqual([...drop].sort());
		expect(await remoteNames()).toEqual([...keep, ...drop, 'notes.db'].sort());
	});

	it('is refused in read-only mode (exit 2, nothing deleted)', async () => {
		const r = await prune(['--yes', '--read-only']);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/read-only mode: prune refused/);
		expect(await remoteNames()).toEqual([...keep, ...drop, 'notes.db'].sort());
	});

	it('deletes exactly what the dry run named there, through the guard (audited)', async () => {
		const r = await prune(['--yes']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		for (const name of drop) expect(r.stdout).toContain(`delete s3://${s3.bucket}/keep/${name} (remote copy,`);
		expect(r.stdout).toContain(`s3://${s3.bucket}/keep/: pruned 3 backups; 3 kept (keep last=1,daily=2)`);
		expect(await remoteNames()).toEqual([...keep, 'notes.db'].sort());
		const audit = fs.readFileSync(path.join(sqlite.dir, 'audit.log'), 'utf8');
		expect(audit).toMatch(/delete-remote-backup[^\n]*3 of 6 backups/);
		const again = await prune(['--yes']);
		expect(again.stdout).toContain('nothing to prune');
	});
});
