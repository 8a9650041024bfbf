// Off-site copies over SFTP (issue 19), against `rclone serve sftp` on loopback and the built CLI:
// the round trip (create uploads, list --remote, restore --from with the plan, delete --from), a
// wrong host key refused (nothing sent, "not off-site", heartbeat /fail with the exit status), and a
// heartbeat that cannot be reached never failing the backup.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readSidecar} from '../../../source/backups/files.js';
import {startSftpServer, type SftpServerHandle} from '../../helpers/sftp-server.js';
import {startHeartbeatReceiver, type HeartbeatReceiver} from '../../helpers/heartbeat-receiver.js';
import {tempSqlite, type TempSqlite} from '../../helpers/sqlite.js';
import {bundledBin, cliEnv, requireBuild, runCli} from '../../helpers/health-env.js';
import {closedPort} from '../../helpers/ports.js';
import {startBlackhole} from '../../helpers/tcp-proxy.js';
import {rowCount} from '../backup-helpers.js';

let sftp: SftpServerHandle;
let hb: HeartbeatReceiver;
let sqlite: TempSqlite;

beforeAll(async () => {
	requireBuild(bundledBin);
	[sftp, hb] = await Promise.all([startSftpServer(), startHeartbeatReceiver()]);
	sqlite = tempSqlite({messages: 30});
	tamperedCopies();
});

// Copies that are not what their sidecar records, written into the served folder before any client
// connects (rclone caches what it has listed: a file changed behind it later is not seen as changed)
const tampered = 'manual_2026-11-30T03-15-00.db';
const sha = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
function tamperedCopies() {
	const real = fs.readFileSync(sqlite.path);
	const put = (folder: string, bytes: Buffer, sidecar?: object) => {
		fs.mkdirSync(path.join(sftp.root, folder), {recursive: true});
		fs.writeFileSync(path.join(sftp.root, folder, tampered), bytes);
		if (sidecar) fs.writeFileSync(path.join(sftp.root, folder, `${tampered}.json`), JSON.stringify({name: tampered, kind: 'manual', tables: {}, ...sidecar}));
	};
	// more bytes there than its sidecar records
	put('t-longer', Buffer.concat([real, Buffer.alloc(4096, 1)]), {sha256: sha(real), sizeBytes: real.length});
	// as many bytes, other ones
	const other = Buffer.from(real);
	other[other.length - 1] ^= 0xff;
	put('t-other', other, {sha256: sha(real), sizeBytes: real.length});
	// no sidecar
	put('t-nocar', real);
}

afterAll(async () => {
	await Promise.all([sftp?.close(), hb?.close()]);
	sqlite?.cleanup();
});

const backups = () => path.join(sqlite.dir, 'backups');
const env = (extra: Record<string, string> = {}) => cliEnv({
	SQLITE_PATH: sqlite.path,
	BACKUP_DIR: backups(),
	OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'),
	BACKUP_REMOTE: sftp.url('/offsite/box-1'),
	BACKUP_SFTP_KEY: sftp.clientKey,
	BACKUP_SFTP_KNOWN_HOSTS: sftp.knownHosts,
	BACKUP_UPLOAD_BACKOFF_MS: '50',
	BACKUP_HEARTBEAT_URL: hb.url,
	...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, {env: env(extra), cwd: sqlite.dir, bin: bundledBin});
const remoteFolder = () => path.join(sftp.root, 'offsite', 'box-1');

describe('sftp round trip', () => {
	let name = '';

	it('create uploads the backup and its sidecar, with the sha256 checked', async () => {
		const r = await cli(['backup', 'create']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		name = /created (\S+\.db)/.exec(r.stdout)![1]!;
		expect(r.stdout).toContain(`off-site: sftp://backup@127.0.0.1:${sftp.port}/offsite/box-1 ok`);
		expect(fs.readFileSync(path.join(remoteFolder(), name))).toEqual(fs.readFileSync(path.join(backups(), name)));
		expect(fs.existsSync(path.join(remoteFolder(), `${name}.json`))).toBe(true);
		// no partial left on the server
		expect(fs.readdirSync(remoteFolder()).filter(f => f.startsWith('.'))).toEqual([]);
		const meta = readSidecar(backups(), name)!;
		expect(Object.values(meta.offsite!)[0]).toMatchObject({ok: true, sha256: meta.sha256});
	});

	it('drill --remote drills the copy on the server and leaves no temp file', async () => {
		const r = await cli(['backup', 'drill', name, '--remote', '--from', 'sftp']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(new RegExp(`^drill of ${name} on sftp://.*: passed in `, 'm'));
		expect(fs.readdirSync(backups()).filter(f => f.startsWith('.'))).toEqual([]);
	});

	it('list --remote shows it; restore --from brings it back through the plan; delete --from removes it', async () => {
		const list = await cli(['backup', 'list', '--remote']);
		expect(list.code).toBe(0);
		expect(list.stdout).toMatch(new RegExp(`${name}\\s+manual\\s+.*\\s+yes`));
		fs.rmSync(path.join(backups(), name));
		fs.rmSync(path.join(backups(), `${name}.json`));
		const db = new Database(sqlite.path);
		db.exec('delete from messages');
		db.close();
		const restore = await cli(['backup', 'restore', name, '--from', 'sftp', '--yes']);
		expect(restore.stderr).toBe('');
		expect(restore.code).toBe(0);
		expect(restore.stdout).toContain('sha256 matches its sidecar, quick_check ok');
		expect(restore.stdout).toMatch(/messages\s+0\s+30/);
		expect(rowCount(sqlite.path, 'messages')).toBe(30);
		// without --yes and without a terminal: refused before anything is downloaded
		const refused = await cli(['backup', 'delete', name, '--from', '1']);
		expect(refused.code).toBe(2);
		expect(fs.existsSync(path.join(remoteFolder(), name))).toBe(true);
		const readOnly = await cli(['backup', 'delete', name, '--from', '1', '--yes'], {OPSDECK_READ_ONLY: '1'});
		expect(readOnly.code).toBe(2);
		expect(readOnly.stderr).toMatch(/read-only mode/);
		const deleted = await cli(['backup', 'delete', name, '--from', '1', '--yes']);
		expect(deleted.code).toBe(0);
		expect(fs.existsSync(path.join(remoteFolder(), name))).toBe(false);
		expect(fs.existsSync(path.join(remoteFolder(), `${name}.json`))).toBe(false);
		const audit = fs.readFileSync(path.join(sqlite.dir, 'audit.log'), 'utf8');
		expect(audit).toMatch(/"action":"delete-remote-backup".*"result":"ok"/);
		// the remote and the file joined by one "/" (not "…/box-1manual_….db")
		expect(audit).toContain(`"target":"sftp://backup@127.0.0.1:${sftp.port}/offsite/box-1/${name}"`);
	}, 60_000);

	it('a remote copy that is not its sidecar\'s is refused in one line naming REMOTE/NAME: longer, other bytes, no sidecar', async () => {
		const size = fs.statSync(sqlite.path).size;
		const from = (folder: string) => `sftp://backup@127.0.0.1:${sftp.port}/${folder}`;
		const at = (folder: string) => `${from(folder)}/${tampered}`;
		// more bytes there than the sidecar records: refused before anything is downloaded
		const longer = await cli(['backup', 'restore', tampered, '--from', from('t-longer'), '--yes']);
		expect(longer.code).toBe(2);
		expect(longer.stderr.trim()).toBe(`opsdeck: ${at('t-longer')} is ${size + 4096} bytes there, its sidecar records ${size}: not downloaded: refused, nothing was changed`);
		// the same size, other bytes
		const differs = await cli(['backup', 'restore', tampered, '--from', from('t-other'), '--yes']);
		expect(differs.code).toBe(2);
		expect(differs.stderr.trim()).toBe(`opsdeck: ${at('t-other')}: the bytes received (${size}) do not have the sha256 its sidecar records: refused, nothing was changed`);
		// no sidecar there: drill and restore say which file
		const drill = await cli(['backup', 'drill', tampered, '--remote', '--from', from('t-nocar')]);
		expect(drill.stdout).toContain(`finding: ${at('t-nocar')} has no sidecar there: its sha256 cannot be checked`);
		const restore = await cli(['backup', 'restore', tampered, '--from', from('t-nocar'), '--yes']);
		expect(restore.code).toBe(2);
		expect(restore.stderr).toContain(`opsdeck: ${at('t-nocar')} has no sidecar there`);
		expect(fs.readdirSync(backups()).filter(f => f.startsWith('.'))).toEqual([]);
		expect(fs.existsSync(path.join(backups(), tampered))).toBe(false);
	}, 60_000);

	it('a wrong host key is refused (one line, not retried, nothing sent), the backup stays local, the heartbeat gets /fail', async () => {
		const before = fs.readdirSync(remoteFolder()).sort();
		hb.pings.length = 0;
		const r = await cli(['backup', 'create'], {BACKUP_SFTP_KNOWN_HOSTS: sftp.wrongKnownHosts});
		expect(r.code).toBe(1);
		const name = /created (\S+\.db)/.exec(r.stdout)![1]!;
		expect(fs.existsSync(path.join(backups(), name))).toBe(true);
		// the remote said once
		expect(r.stdout).toMatch(/NOT off-site: sftp:\/\/\S+ FAILED after 1 attempt: HOST KEY MISMATCH for \[127\.0\.0\.1\]:\d+: it offers ssh-ed25519 SHA256:\S+, \S+ has another key/);
		const id = `sftp://backup@127.0.0.1:${sftp.port}/offsite/box-1`;
		expect(r.stdout.split(id)).toHaveLength(2);
		// the sidecar records the reason only (its readers name the remote)
		expect(readSidecar(backups(), name)!.offsite![id]).toMatchObject({ok: false, attempts: 1, error: expect.stringMatching(/^HOST KEY MISMATCH for /)});
		expect(fs.readdirSync(remoteFolder()).sort()).toEqual(before);
		expect(hb.pings.map(p => p.path)).toEqual(['/ping/abc-123/start', '/ping/abc-123/fail']);
		expect(hb.pings[1]!.body).toMatch(/^exit status 1: .*HOST KEY MISMATCH/);
		const list = await cli(['backup', 'list', '--remote'], {BACKUP_SFTP_KNOWN_HOSTS: sftp.wrongKnownHosts});
		expect(list.code).toBe(1);
		expect(list.stdout.trim()).toMatch(/^sftp:\/\/\S+: cannot list: HOST KEY MISMATCH/);
		expect(list.stdout.split(id)).toHaveLength(2);
		// the command's stderr line prints the error whole: the remote once, then why (not retried: exit 2)
		const from = await cli(['backup', 'restore', name, '--from', 'sftp', '--yes'], {BACKUP_SFTP_KNOWN_HOSTS: sftp.wrongKnownHosts});
		expect(from.code).toBe(2);
		expect(from.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^opsdeck: ${id.replace(/[.]/g, '\\.')}: HOST KEY MISMATCH for `))]);
	}, 60_000);

	it('a heartbeat that cannot be reached is reported and does not fail the backup', async () => {
		const r = await cli(['backup', 'create'], {BACKUP_HEARTBEAT_URL: `http://127.0.0.1:${await closedPort()}/hc`});
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/off-site: .* ok/);
		expect(r.stderr).toMatch(/heartbeat \/start to http:\/\/127\.0\.0\.1:\d+\/hc\/start\?rid=\S+ not delivered: .*\(the backup itself is unaffected\)/);
		expect(r.stderr).toMatch(/heartbeat ping to .* not delivered/);
	}, 60_000);
});

describe('unreachable or wrong', () => {
	it('a server that accepts and never answers: one line after BACKUP_REMOTE_TIMEOUT_MS, nothing else printed', async () => {
		const hole = await startBlackhole();
		try {
			const r = await cli(['backup', 'list', '--remote'], {BACKUP_REMOTE: `sftp://backup@127.0.0.1:${hole.port}/p`, BACKUP_REMOTE_TIMEOUT_MS: '500'});
			expect(r.code).toBe(1);
			expect(r.stderr).toBe('');
			expect(r.stdout.trim().split('\n')).toEqual([`sftp://backup@127.0.0.1:${hole.port}/p: cannot list: cannot connect: Timed out while waiting for handshake`]);
		} finally {
			await hole.close();
		}
	}, 30_000);

	it('a refused connection is one line from the bundle (no stack trace)', async () => {
		const port = await closedPort();
		const r = await cli(['backup', 'list', '--remote'], {BACKUP_REMOTE: `sftp://u@127.0.0.1:${port}/p`});
		expect(r.code).toBe(1);
		expect(r.stderr).toBe('');
		expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^sftp://u@127\\.0\\.0\\.1:${port}/p: cannot list: cannot connect: .*ECONNREFUSED`))]);
	});

	it('refuses port 0 and a port above 65535 in one line', async () => {
		for (const port of ['0', '65536']) {
			const r = await cli(['backup', 'list', '--remote'], {BACKUP_REMOTE: `sftp://u@127.0.0.1:${port}/p`});
			expect(r.code).toBe(2);
			expect(r.stderr.trim().split('\n')).toHaveLength(1);
			expect(r.stderr).toMatch(/BACKUP_REMOTE: sftp:\/\/u@127\.0\.0\.1:\d+\/p (has no usable port|is not an sftp)/);
		}
	});
});
