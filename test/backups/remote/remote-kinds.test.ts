// The two kinds of remote against real servers on loopback: s3rver and `rclone serve sftp`. Upload,
// list, download, delete, the sha256 of what was sent; SFTP's host key checked (a wrong key and an
// unknown host refused with one line, nothing sent).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadConfig} from '../../../source/config/config.js';
import {openRemote, RemoteError} from '../../../source/backups/remote/remote.js';
import {startS3Server, type S3ServerHandle} from '../../helpers/s3-server.js';
import {startSftpServer, type SftpServerHandle} from '../../helpers/sftp-server.js';

let s3: S3ServerHandle;
let sftp: SftpServerHandle;
let dir: string;
let file: string;
let digest: string;

beforeAll(async () => {
	[s3, sftp] = await Promise.all([startS3Server(), startSftpServer()]);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-remote-'));
	file = path.join(dir, 'manual_2026-01-02T03-04-05.db');
	const bytes = crypto.randomBytes(7 * 1024 * 1024 + 123);
	fs.writeFileSync(file, bytes);
	fs.writeFileSync(`${file}.json`, '{"name":"manual_2026-01-02T03-04-05.db"}\n');
	digest = crypto.createHash('sha256').update(bytes).digest('hex');
});

afterAll(async () => {
	await Promise.all([s3?.close(), sftp?.close()]);
	fs.rmSync(dir, {recursive: true, force: true});
});

function config(env: Record<string, string>) {
	return loadConfig({env: {HOME: dir, ...env}, cwd: dir});
}

describe.each(['s3', 'sftp'] as const)('%s', kind => {
	const settings = () => kind === 's3'
		? config({...s3.env, BACKUP_REMOTE: `s3://${s3.bucket}/box-1`})
		: config({BACKUP_REMOTE: sftp.url('/off/site'), BACKUP_SFTP_KEY: sftp.clientKey, BACKUP_SFTP_KNOWN_HOSTS: sftp.knownHosts});

	it('uploads a file and its sidecar, lists, downloads the same bytes and deletes', async () => {
		const c = settings();
		const remote = await openRemote(c, c.backupRemotes[0]!);
		try {
			const seen: number[] = [];
			const sent = await remote.upload(file, `${file}.json`, done => seen.push(done), digest);
			expect(sent).toEqual({sha256: digest, sizeBytes: fs.statSync(file).size});
			expect(seen.at(-1)).toBe(fs.statSync(file).size);
			const listed = await remote.list();
			expect(listed.map(o => [o.name, o.sizeBytes, o.hasSidecar])).toEqual([[path.basename(file), fs.statSync(file).size, true]]);
			expect(await remote.readSidecar(path.basename(file))).toContain('manual_2026');
			const dest = path.join(dir, `down-${kind}.db`);
			const got = await remote.download(path.basename(file), dest);
			expect(got.sha256).toBe(digest);
			expect(fs.statSync(dest).mode & 0o777).toBe(0o600);
			await remote.delete(path.basename(file));
			expect(await remote.list()).toEqual([]);
			await expect(remote.download('../etc/passwd.db', path.join(dir, 'x'))).rejects.toThrow(/not a backup name/);
		} finally {
			await remote.close();
		}
	});

	it('refuses bytes that are not what the sidecar records, and leaves nothing there', async () => {
		const c = settings();
		const remote = await openRemote(c, c.backupRemotes[0]!);
		try {
			await expect(remote.upload(file, undefined, undefined, 'f'.repeat(64))).rejects.toThrow(/do not have the sha256 its sidecar records/);
			expect(await remote.list()).toEqual([]);
		} finally {
			await remote.close();
		}
	});
});

describe('sftp host keys', () => {
	it('refuses a wrong host key with one line', async () => {
		const c = config({BACKUP_REMOTE: sftp.url('/x'), BACKUP_SFTP_PASSWORD: sftp.password, BACKUP_SFTP_KNOWN_HOSTS: sftp.wrongKnownHosts});
		const error = await openRemote(c, c.backupRemotes[0]!).then(() => undefined, (e: unknown) => e);
		expect(error).toBeInstanceOf(RemoteError);
		expect((error as Error).message).toMatch(/HOST KEY MISMATCH for \[127\.0\.0\.1\]:\d+: it offers ssh-ed25519 SHA256:/);
		expect((error as Error).message).not.toContain('\n');
		expect(fs.readdirSync(sftp.root)).not.toContain('x');
	});

	it('refuses an unknown host, and takes one named by its fingerprint', async () => {
		const c = config({BACKUP_REMOTE: sftp.url('/y'), BACKUP_SFTP_PASSWORD: sftp.password, BACKUP_SFTP_KNOWN_HOSTS: path.join(dir, 'none')});
		const error = await openRemote(c, c.backupRemotes[0]!).then(() => undefined, (e: unknown) => e as Error);
		expect(error?.message).toMatch(/unknown host \[127\.0\.0\.1\]:\d+: its ssh-ed25519 key (SHA256:\S+) is not in/);
		const print = /key (SHA256:\S+) is not/.exec(error!.message)![1]!;
		const ok = config({BACKUP_REMOTE: sftp.url('/y'), BACKUP_SFTP_PASSWORD: sftp.password, BACKUP_SFTP_KNOWN_HOSTS: path.join(dir, 'none'), BACKUP_SFTP_HOST_KEY: print});
		const remote = await openRemote(ok, ok.backupRemotes[0]!);
		expect(await remote.list().catch(() => [])).toEqual([]);
		await remote.close();
	});
});
