// Off-site copies on S3 (issue 19), against a real s3rver on loopback and the built CLI: a backup of
// five 16 MiB parts (one more than the 4 sent at a time, the last one short) goes up multipart with
// its sha256 checked, `list --remote` shows it, `restore --from`
// brings it back through the plan; the server stopped mid-upload → retries, "not off-site", a
// degraded verdict (the sidecar, the job's line and the Backups tab name the remote once), and the
// next backup takes both up. The heartbeat sees /start and success.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {HeadObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadConfig} from '../../../source/config/config.js';
import {runBackupJob} from '../../../source/backups/remote/job.js';
import {readSidecar} from '../../../source/backups/files.js';
import {s3Client, s3PartSize, s3QueueSize} from '../../../source/backups/remote/s3.js';
import {listRemoteBackups} from '../../../source/backups/remote/remote-backups.js';
import {shipText} from '../../../source/backups/remote/offsite.js';
import {offsiteNote} from '../../../source/console/tabs/backups/offsite-view.js';
import {startS3Server, type S3ServerHandle} from '../../helpers/s3-server.js';
import {startHeartbeatReceiver, type HeartbeatReceiver} from '../../helpers/heartbeat-receiver.js';
import {tempSqlite, type TempSqlite} from '../../helpers/sqlite.js';
import {bundledBin, cliEnv, requireBuild, runCli} from '../../helpers/health-env.js';
import {startBlackhole} from '../../helpers/tcp-proxy.js';
import {grow, rowCount} from '../backup-helpers.js';

let s3: S3ServerHandle;
let hb: HeartbeatReceiver;
let sqlite: TempSqlite;

beforeAll(async () => {
	requireBuild(bundledBin);
	[s3, hb] = await Promise.all([startS3Server(), startHeartbeatReceiver()]);
	sqlite = tempSqlite({messages: 50});
}, 120_000);

afterAll(async () => {
	await Promise.all([s3?.close(), hb?.close()]);
	sqlite?.cleanup();
});

const remoteUrl = () => `s3://${s3.bucket}/box-1`;
const env = (extra: Record<string, string> = {}) => cliEnv({
	...s3.env,
	SQLITE_PATH: sqlite.path,
	BACKUP_DIR: path.join(sqlite.dir, 'backups'),
	OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'),
	BACKUP_REMOTE: remoteUrl(),
	BACKUP_HEARTBEAT_URL: hb.url,
	...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, {env: env(extra), cwd: sqlite.dir, bin: bundledBin});
const config = (extra: Record<string, string> = {}) => loadConfig({env: env(extra) as Record<string, string>, cwd: sqlite.dir});

// multipart as a large file goes: more parts than lib-storage sends at once (the queue refills), the
// last one short. ~76 MB is enough for that; P10 (npm run bench) uploads 504 MB.
const partsWanted = s3QueueSize + 1;

describe('a backup of more 16 MiB parts than are sent at a time', () => {
	let name = '';

	it('uploads multipart with its sha256 checked, and pings the heartbeat', async () => {
		grow(sqlite.path, (partsWanted - 0.5) * s3PartSize / (1024 * 1024));
		const r = await cli(['backup', 'create']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		name = /created (\S+\.db)/.exec(r.stdout)![1]!;
		expect(r.stdout).toContain(`off-site: s3://${s3.bucket}/box-1/ ok`);
		const meta = readSidecar(path.join(sqlite.dir, 'backups'), name)!;
		const upload = meta.offsite![`s3://${s3.bucket}/box-1/`]!;
		expect(upload).toMatchObject({ok: true, attempts: 1, sha256: meta.sha256});
		// multipart, as the server saw it: one PUT ?partNumber=N per 16 MiB part
		const parts = s3.requests.filter(line => line.startsWith(`PUT /${s3.bucket}/box-1/${name}?`) && /[?&]partNumber=\d+/.test(line));
		expect(parts).toHaveLength(Math.ceil(meta.sizeBytes / (16 * 1024 * 1024)));
		expect(parts).toHaveLength(partsWanted);
		expect(s3.requests.some(line => line.startsWith(`POST /${s3.bucket}/box-1/${name}?uploads`))).toBe(true);
		const head = await s3Client(config().backupS3).send(new HeadObjectCommand({Bucket: s3.bucket, Key: `box-1/${name}`}));
		expect(head.Metadata?.sha256).toBe(meta.sha256);
		expect(head.ContentLength).toBe(meta.sizeBytes);
		expect(hb.pings.map(p => p.path)).toEqual(['/ping/abc-123/start', '/ping/abc-123']);
		expect(hb.pings[1]!.body).toContain(name);
	}, 240_000);

	it('is listed by list --remote, as a table and as JSON', async () => {
		const table = await cli(['backup', 'list', '--remote']);
		expect(table.code).toBe(0);
		expect(table.stdout).toContain(`s3://${s3.bucket}/box-1/`);
		expect(table.stdout).toMatch(new RegExp(`${name}\\s+manual\\s+\\d+(\\.\\d)? MB\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+yes`));
		const json = await cli(['backup', 'list', '--remote', '--json']);
		const parsed = JSON.parse(json.stdout) as {remotes: {remote: string; backups: {name: string; sidecar: boolean; sizeBytes: number}[]}[]};
		expect(parsed.remotes[0]!.backups).toEqual([expect.objectContaining({name, sidecar: true})]);
	});

	it('restore --from downloads it, checks it, shows the plan and restores it (with a safety backup)', async () => {
		// the local copy is gone (the disk it lived on, say); the live file has changed since
		fs.rmSync(path.join(sqlite.dir, 'backups', name));
		fs.rmSync(path.join(sqlite.dir, 'backups', `${name}.json`));
		const db = new Database(sqlite.path);
		db.exec('delete from messages where id > 10');
		db.close();
		expect(rowCount(sqlite.path, 'messages')).toBe(10);
		const r = await cli(['backup', 'restore', name, '--from', 's3', '--yes']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`downloaded ${name} from s3://${s3.bucket}/box-1/`);
		expect(r.stdout).toContain('sha256 matches its sidecar, quick_check ok');
		expect(r.stdout).toMatch(/TABLE\s+NOW\s+BACKUP/);
		expect(r.stdout).toMatch(/messages\s+10\s+50/);
		expect(r.stdout).toMatch(/restored .* from manual_/);
		expect(rowCount(sqlite.path, 'messages')).toBe(50);
		// the download is a local backup again, and the safety backup went off-site too
		expect(fs.existsSync(path.join(sqlite.dir, 'backups', name))).toBe(true);
		const listing = await listRemoteBackups(config());
		expect(listing[0]!.backups.map(b => b.name).some(n => n.startsWith('safety_'))).toBe(true);
	}, 240_000);
});

describe('the server stopped mid-upload', () => {
	it('retries, marks the backup not off-site, turns the verdict degraded; the next backup uploads both', async () => {
		// lean: a small file is enough here, a few 16 MiB parts
		const db = new Database(sqlite.path);
		db.exec('drop table if exists filler; vacuum');
		db.close();
		grow(sqlite.path, 40);
		const c = config({BACKUP_UPLOAD_RETRIES: '2', BACKUP_UPLOAD_BACKOFF_MS: '50', BACKUP_HEARTBEAT_URL: ''});
		let stopped: Promise<void> | undefined;
		const first = await runBackupJob(c, {onUpload: p => {
			if (p.doneBytes > 0) stopped ??= s3.stop();
		}});
		await stopped;
		expect(first.ok).toBe(false);
		expect(first.ship!.uploads[0]).toMatchObject({ok: false, attempts: 3});
		const id = `s3://${s3.bucket}/box-1/`;
		const meta = readSidecar(c.backupDir, first.entry.name)!;
		expect(meta.offsite![id]).toMatchObject({ok: false, attempts: 3});
		// the remote said once, by each reader of the error: not "s3://b/p/: s3://b/p/: upload of … failed"
		const reason = meta.offsite![id]!.error!;
		expect(reason).toMatch(new RegExp(`^upload of ${first.entry.name} failed: \\S`));
		expect(first.ship!.uploads[0]!.error).toBe(reason);
		expect(shipText(first.ship!)).toBe(`NOT off-site: ${id} FAILED after 3 attempts: ${reason}`);
		expect(offsiteNote({...first.entry, meta}, true)).toBe(`${first.entry.name}: NOT off-site (${id}: ${reason}); the next backup tries again`);

		const status = await cli(['status', '--json'], {DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres'});
		const report = JSON.parse(status.stdout) as {verdict: string; reasons: {component: string; level: string; message: string}[]};
		expect(report.reasons).toContainEqual({component: 'backups', level: 'degraded', message: `1 backup not off-site (the upload failed): ${first.entry.name}`});
		expect(report.verdict).not.toBe('healthy');
		const list = await cli(['backup', 'list']);
		expect(list.code).toBe(0);

		await s3.start();
		const next = await runBackupJob(c, {});
		expect(next.ok).toBe(true);
		expect(next.ship!.pending).toEqual([expect.objectContaining({name: first.entry.name, ok: true})]);
		const names = (await listRemoteBackups(c))[0]!.backups.map(b => b.name);
		expect(names).toEqual(expect.arrayContaining([first.entry.name, next.entry.name]));
		const after = await cli(['status', '--json'], {DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres'});
		expect((JSON.parse(after.stdout) as {reasons: {component: string}[]}).reasons.filter(r => r.component === 'backups')).toEqual([]);
	}, 120_000);
});

describe('hostile names and --help', () => {
	it('draws a hostile object name on the remote escaped', async () => {
		const {PutObjectCommand} = await import('@aws-sdk/client-s3');
		await s3Client(config().backupS3).send(new PutObjectCommand({Bucket: s3.bucket, Key: 'box-1/manual_\u001b[2J\u0007evil.db', Body: 'x'}));
		const r = await cli(['backup', 'list', '--remote']);
		expect(r.stdout).toContain('manual_\\x1b[2J\\x07evil.db');
		expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
	});

	it('refuses a hostile remote URL in one line, escaped', async () => {
		const r = await cli(['backup', 'list', '--remote'], {BACKUP_REMOTE: 's3://bad\u001b]0;pwned\u0007/x'});
		expect(r.code).toBe(2);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
		const from = await cli(['backup', 'restore', 'x.db', '--from', 'sftp://u@h\u001b[31m/x', '--yes']);
		expect(from.code).toBe(2);
		expect(from.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
	});

	it('--help on the new commands prints help and does nothing else', async () => {
		const before = JSON.stringify((await listRemoteBackups(config()))[0]!.backups.map(b => b.name).sort());
		const local = fs.readdirSync(path.join(sqlite.dir, 'backups')).sort();
		const live = crypto.createHash('sha256').update(fs.readFileSync(sqlite.path)).digest('hex');
		const pings = hb.pings.length;
		for (const args of [['backup', 'list', '--remote', '--help'], ['backup', 'restore', 'x.db', '--from', 's3', '--yes', '--help'], ['backup', 'delete', 'x.db', '--from', '1', '--yes', '--help'], ['backup', 'create', '--help']]) {
			const r = await cli(args);
			expect(r.code, args.join(' ')).toBe(0);
			expect(r.stdout).toContain('Usage: opsdeck backup');
		}
		expect(JSON.stringify((await listRemoteBackups(config()))[0]!.backups.map(b => b.name).sort())).toBe(before);
		expect(fs.readdirSync(path.join(sqlite.dir, 'backups')).sort()).toEqual(local);
		expect(crypto.createHash('sha256').update(fs.readFileSync(sqlite.path)).digest('hex')).toBe(live);
		expect(hb.pings.length).toBe(pings);
	});
});

describe('an endpoint that accepts connections and never answers', () => {
	it('list --remote and create end with one line each after BACKUP_REMOTE_TIMEOUT_MS, the upload retried', async () => {
		const hole = await startBlackhole();
		try {
			const silent = {BACKUP_S3_ENDPOINT: `http://127.0.0.1:${hole.port}`, BACKUP_REMOTE_TIMEOUT_MS: '300', BACKUP_UPLOAD_RETRIES: '1', BACKUP_UPLOAD_BACKOFF_MS: '50', BACKUP_HEARTBEAT_URL: ''};
			const list = await cli(['backup', 'list', '--remote'], silent);
			expect(list.code).toBe(1);
			expect(list.stderr).toBe('');
			// said once: not "s3://…: cannot list: s3://…: cannot list: …"
			expect(list.stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^s3://${s3.bucket}/box-1/: cannot list: .*timed out after 300 ms`))]);
			expect(list.stdout.match(/cannot list/g)).toHaveLength(1);
			expect(hole.accepted).toBeGreaterThan(0);
			const create = await cli(['backup', 'create'], silent);
			expect(create.code).toBe(1);
			expect(create.stdout).toMatch(/created \S+\.db/);
			expect(create.stdout).toMatch(/NOT off-site: s3:\/\/\S+ FAILED after 2 attempts: .*timed out/);
		} finally {
			await hole.close();
		}
	}, 60_000);
});
