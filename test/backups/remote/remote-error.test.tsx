// A remote's errors carry the remote (its id) and the reason apart (RemoteError .remote, .reason), and
// every reader says the remote once: the sidecar's off-site record keeps the reason only; shipText
// (`backup create`'s line, the safety backup's warning), the Backups tab's note, `list --remote`,
// `prune` (dry run and real) name the remote themselves; a command's stderr line prints the error
// whole. Against an HTTP endpoint that answers every S3 request 500 with escape sequences, the S3
// secret key and a URL password in its message, and an SFTP URL with a password where nothing
// listens; the built CLI, and uploadBackup in-process for the errors that are not RemoteErrors.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../../source/console/app.js';
import {createBackends} from '../../../source/backends/index.js';
import {loadConfig} from '../../../source/config/config.js';
import {listBackups, readSidecar} from '../../../source/backups/files.js';
import {RemoteError, remoteReason} from '../../../source/backups/remote/remote.js';
import {shipText, uploadBackup} from '../../../source/backups/remote/offsite.js';
import {offsiteNote} from '../../../source/console/tabs/backups/offsite-view.js';
import {registerSecret} from '../../../source/text/mask.js';
import {bundledBin, cliEnv, requireBuild, runCli} from '../../helpers/health-env.js';
import {closedPort} from '../../helpers/ports.js';
import {render} from '../../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../../helpers/sqlite.js';

const secretKey = 'supersecretkey99';
const urlPassword = 'hunter2222';
// what the endpoint says: a terminal escape, a title-setting OSC with BEL, the secret key, a URL password
let serverMessage = `disk \u001b[2J\u001b]0;pwned\u0007 full; key ${secretKey} at sftp://u:${urlPassword}@h/x`;
// the reason as recorded (masked) and as printed (masked, then sanitized)
const recorded = 'InternalError: disk \u001b[2J\u001b]0;pwned\u0007 full; key *** at sftp://u:***@h/x (HTTP 500)';
const printed = 'InternalError: disk \\x1b[2J\\x1b]0;pwned\\x07 full; key *** at sftp://u:***@h/x (HTTP 500)';
const id = 's3://bkt/pre/';

let sqlite: TempSqlite;
let server: http.Server;
let port = 0;

beforeAll(async () => {
	requireBuild(bundledBin);
	sqlite = tempSqlite({messages: 5});
	server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			res.writeHead(500, {'content-type': 'application/xml'});
			res.end(req.method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>${serverMessage}</Message></Error>`);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as {port: number}).port;
});

afterAll(async () => {
	server?.closeAllConnections();
	await new Promise(resolve => server?.close(resolve));
	sqlite?.cleanup();
});

const backups = () => path.join(sqlite.dir, 'backups');
const s3Env = (extra: Record<string, string> = {}): Record<string, string> => ({
	SQLITE_PATH: sqlite.path,
	BACKUP_DIR: backups(),
	OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'),
	BACKUP_REMOTE: 's3://bkt/pre',
	BACKUP_S3_ENDPOINT: `http://127.0.0.1:${port}`,
	BACKUP_S3_REGION: 'us-east-1',
	BACKUP_S3_PATH_STYLE: '1',
	AWS_ACCESS_KEY_ID: 'opsdeck',
	AWS_SECRET_ACCESS_KEY: secretKey,
	BACKUP_UPLOAD_RETRIES: '0',
	BACKUP_HEARTBEAT_URL: '',
	REDIS_URL: 'redis://127.0.0.1:1/0',
	DATABASE_URL: 'postgres://127.0.0.1:1/none',
	...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, {env: cliEnv(s3Env(extra)), cwd: sqlite.dir, bin: bundledBin});
const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function noSecrets(...texts: string[]) {
	for (const text of texts) {
		expect(text).not.toContain(secretKey);
		expect(text).not.toContain(urlPassword);
	}
}

describe('RemoteError and remoteReason', () => {
	it('carries the remote and the reason apart; its message is both, for a reader that prints it whole', () => {
		const cause = new Error('socket hang up');
		const error = new RemoteError(id, 'upload of a.db failed: socket hang up', {cause});
		expect(error).toMatchObject({remote: id, reason: 'upload of a.db failed: socket hang up', retryable: true, cause, name: 'RemoteError'});
		expect(error.message).toBe(`${id}: upload of a.db failed: socket hang up`);
		// a refusal that is not about a remote (a name that is not a backup's) names none
		const refusal = new RemoteError(undefined, '"x" is not a backup name', {retryable: false});
		expect(refusal).toMatchObject({remote: undefined, retryable: false, message: '"x" is not a backup name'});
	});

	it('remoteReason: a RemoteError\'s reason, one masked line; any other error its own words; never empty', () => {
		registerSecret('a-registered-secret');
		expect(remoteReason(new RemoteError(id, 'cannot list: denied for sftp://u:pw1@h/x with a-registered-secret\nsecond line'))).toBe('cannot list: denied for sftp://u:***@h/x with ***');
		expect(remoteReason(new Error('connection reset by the proxy'))).toBe('connection reset by the proxy');
		expect(remoteReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED', address: '127.0.0.1', port: 9}))).toBe('nothing is listening at 127.0.0.1:9 (connection refused)');
		expect(remoteReason('thrown as a string, password=opensesame')).toBe('thrown as a string, password=***');
		expect(remoteReason(undefined)).toBe('no reason given');
		expect(remoteReason(null)).toBe('no reason given');
		expect(remoteReason('')).toBe('no reason given');
		expect(remoteReason(new RemoteError(id, ''))).toBe('no reason given');
	});
});

describe('an S3 endpoint that answers 500 with escapes, the secret key and a URL password in its message', () => {
	let name = '';

	it('backup create: its line names the remote once; the sidecar records the reason only, masked', async () => {
		const r = await cli(['backup', 'create']);
		expect(r.code).toBe(1);
		name = /created (\S+\.db)/.exec(r.stdout)![1]!;
		// not "s3://bkt/pre/ FAILED after 1 attempt: s3://bkt/pre/: upload of …", nor without the remote
		expect(r.stdout.split('\n')).toContain(`NOT off-site: ${id} FAILED after 1 attempt: upload of ${name} failed: ${printed}`);
		const meta = readSidecar(backups(), name)!;
		expect(meta.offsite![id]).toMatchObject({ok: false, attempts: 1, error: `upload of ${name} failed: ${recorded}`});
		expect(controls.test(r.stdout + r.stderr)).toBe(false);
		noSecrets(r.stdout, r.stderr, fs.readFileSync(path.join(backups(), `${name}.json`), 'utf8'));
	}, 30_000);

	it('the Backups tab\'s note names the remote once (offsiteNote and the tab as drawn)', async () => {
		const meta = readSidecar(backups(), name)!;
		const entry = (await listBackups(backups())).find(e => e.name === name)!;
		expect(offsiteNote({...entry, meta}, true)).toBe(`${name}: NOT off-site (${id}: upload of ${name} failed: ${recorded}); the next backup tries again`);
		const config = loadConfig({env: s3Env(), cwd: sqlite.dir});
		const app = render(<App backends={createBackends(config)} startOnMount={false} initialTab={3} />);
		try {
			const screen = await app.waitFor(`${name}: NOT off-site (${id}: upload of manual_`);
			expect(screen).not.toContain(`${id}: ${id}`);
			expect(screen).not.toContain(`(upload of ${name}`);
		} finally {
			app.unmount();
		}
	});

	it('list --remote and prune (dry run and real) say the remote and "cannot list" once; JSON keeps the whole error', async () => {
		const list = await cli(['backup', 'list', '--remote']);
		expect(list.code).toBe(1);
		expect(list.stdout.trim().split('\n')).toEqual([`${id}: cannot list: ${printed}`]);
		const json = JSON.parse((await cli(['backup', 'list', '--remote', '--json'])).stdout) as {remotes: {remote: string; error: string}[]};
		expect(json.remotes).toEqual([expect.objectContaining({remote: id, error: `${id}: cannot list: ${recorded}`})]);

		const dry = await cli(['backup', 'prune', '--dry-run'], {BACKUP_REMOTE_KEEP: 'last=1'});
		expect(dry.code).toBe(1);
		// under the line that names the remote; was "  cannot list: s3://bkt/pre/: cannot list: …"
		const lines = dry.stdout.split('\n');
		expect(lines[lines.indexOf(`${id} (keep last=1)`) + 1]).toBe(`  cannot list: ${printed}`);
		const real = await cli(['backup', 'prune', '--yes'], {BACKUP_REMOTE_KEEP: 'last=1'});
		expect(real.code).toBe(1);
		// was "opsdeck: s3://bkt/pre/: s3://bkt/pre/: cannot list: …"
		expect(real.stderr.trim().split('\n')).toEqual([`opsdeck: ${id}: cannot list: ${printed}`, 'opsdeck: a remote could not be listed: its copies were not pruned']);
		noSecrets(list.stdout, JSON.stringify(json), dry.stdout, real.stderr);
		expect(controls.test(list.stdout + dry.stdout + real.stderr)).toBe(false);
	}, 30_000);

	it('restore --from: the command\'s stderr line prints the error whole, the remote once', async () => {
		const r = await cli(['backup', 'restore', 'x.db', '--from', '1', '--yes']);
		expect(r.code).toBe(1);
		expect(r.stderr.trim().split('\n')).toEqual([`opsdeck: ${id}: cannot read the sidecar of x.db: ${printed}`]);
		noSecrets(r.stdout, r.stderr);
	});

	it('a 1 MB error body: one line of its first 1,000 characters and how many more, masked before the cut (it took minutes, then printed all of it)', async () => {
		const kept = serverMessage;
		// a run of letters (what made the URL mask quadratic), a URL with a password, more letters
		serverMessage = `${'A'.repeat(600)} sftp://u:${urlPassword}@h/x ${'B'.repeat(1 << 20)}`;
		try {
			const list = await cli(['backup', 'list', '--remote']);
			expect(list.code).toBe(1);
			const line = list.stdout.trim();
			expect(line.split('\n')).toHaveLength(1);
			expect(line).toMatch(new RegExp(`^${id}: cannot list: InternalError: A{600} sftp://u:\\*\\*\\*@h/x B+… \\[1,048,[\\d]{3} more characters\\]$`));
			const restore = await cli(['backup', 'restore', 'x.db', '--from', '1', '--yes']);
			expect(restore.stderr).toMatch(/^opsdeck: .*B… \[1,048,\d{3} more characters\]\n$/);
			const json = (await cli(['backup', 'list', '--remote', '--json'])).stdout;
			expect(json.length).toBeLessThan(2000);
			noSecrets(list.stdout, restore.stderr, json);
		} finally {
			serverMessage = kept;
		}
	}, 30_000);
});

describe('an SFTP remote with a password in its URL, nothing listening', () => {
	let sftpPort = 0;
	let remote = '';
	let shown = '';
	beforeAll(async () => {
		sftpPort = await closedPort();
		remote = `sftp://backup:${urlPassword}@127.0.0.1:${sftpPort}/off`;
		shown = `sftp://backup@127.0.0.1:${sftpPort}/off`;
	});

	it('create, the safety backup\'s warning and restore --from name the remote once, without its password', async () => {
		const created = await cli(['backup', 'create'], {BACKUP_REMOTE: remote});
		expect(created.code).toBe(1);
		const name = /created (\S+\.db)/.exec(created.stdout)![1]!;
		expect(created.stdout).toMatch(new RegExp(`^NOT off-site: ${shown.replace(/[.]/g, '\\.')} FAILED after 1 attempt: cannot connect: \\S.*ECONNREFUSED`, 'm'));
		expect(readSidecar(backups(), name)!.offsite![shown]!.error).toMatch(/^cannot connect: \S/);

		// a restore takes a safety backup first; its failed upload is a warning on stderr (the restore stands)
		const restored = await cli(['backup', 'restore', name, '--yes'], {BACKUP_REMOTE: remote});
		expect(restored.code).toBe(0);
		expect(restored.stderr).toMatch(new RegExp(`^opsdeck: safety backup safety_\\S+\\.db: NOT off-site: ${shown.replace(/[.]/g, '\\.')} FAILED after 1 attempt: cannot connect: \\S.*ECONNREFUSED`, 'm'));
		expect(restored.stderr.split(shown)).toHaveLength(2);

		const from = await cli(['backup', 'restore', 'x.db', '--from', remote, '--yes']);
		expect(from.code).toBe(1);
		expect(from.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^opsdeck: ${shown.replace(/[.]/g, '\\.')}: cannot connect: \\S.*ECONNREFUSED`))]);
		expect(from.stderr.split(shown)).toHaveLength(2);

		const sidecars = fs.readdirSync(backups()).filter(f => f.endsWith('.json')).map(f => fs.readFileSync(path.join(backups(), f), 'utf8')).join('\n');
		noSecrets(created.stdout, created.stderr, restored.stdout, restored.stderr, from.stderr, sidecars);
	}, 30_000);

	it('a control character percent-encoded into the id is refused in one line, before anything connects', async () => {
		for (const url of [`sftp://%1b%5b2J@127.0.0.1:${sftpPort}/p`, `sftp://u@127.0.0.1:${sftpPort}/p%0aX%1b%5d0;t%07`]) {
			const r = await cli(['backup', 'list', '--remote'], {BACKUP_REMOTE: url, BACKUP_SFTP_PASSWORD: urlPassword});
			expect(r.code).toBe(2);
			expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('contains control characters (percent-encoded): refused')]);
			expect(controls.test(r.stderr)).toBe(false);
		}
	});
});

describe('errors that are not a remote\'s own reach uploadBackup', () => {
	const config = () => loadConfig({env: s3Env(), cwd: sqlite.dir});

	it('a plain Error (the file is gone): recorded as its words, the remote said once by shipText', async () => {
		const c = config();
		const result = await uploadBackup(c, c.backupRemotes[0]!, 'manual_2020-01-01T00-00-00.db');
		expect(result).toMatchObject({ok: false, attempts: 1, remote: id});
		expect(result.error).toMatch(/manual_2020-01-01T00-00-00\.db: it does not exist$/);
		expect(result.error).not.toContain(id);
		expect(shipText({name: 'x', uploads: [result], pending: [], ok: false})).toBe(`NOT off-site: ${id} FAILED after 1 attempt: ${result.error}`);
	});

	it('a refusal that names no remote (not a backup name): not retried, the remote said once, the name escaped', async () => {
		const c = loadConfig({env: s3Env({BACKUP_UPLOAD_RETRIES: '3', BACKUP_UPLOAD_BACKOFF_MS: '10'}), cwd: sqlite.dir});
		const result = await uploadBackup(c, c.backupRemotes[0]!, 'manual_\u001b[2J.db');
		expect(result).toMatchObject({ok: false, attempts: 1, error: '"manual_\\x1b[2J.db" is not a backup name (a plain NAME.db): refused'});
		expect(shipText({name: 'x', uploads: [result], pending: [], ok: false})).toBe(`NOT off-site: ${id} FAILED after 1 attempt: ${result.error!}`);
	});
});
