// What a hostile or broken S3 endpoint can answer, against the built CLI: a listing that never ends
// (IsTruncated with the same continuation token each time), an object that never ends behind a
// sidecar that records 10 bytes, a sidecar that never ends, a HEAD with no Content-Length, and
// AccessDenied on everything — from a small HTTP server of ours, since a real S3 cannot answer so.
// The refusals that retrying cannot change (a wrong key or secret, a missing bucket) against a real
// s3rver. Each ends in one line, and a command that would have looped or filled the disk ends.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import ssh2 from 'ssh2';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {fingerprint} from '../../../source/backups/remote/known-hosts.js';
import {sftpMaxListEntries} from '../../../source/backups/remote/sftp.js';
import {remoteDeleteRequest} from '../../../source/backups/remote/remote-backups.js';
import {parseRemote} from '../../../source/backups/remote/spec.js';
import {bundledBin, cliEnv, requireBuild, startCli} from '../../helpers/health-env.js';
import {startS3Server, type S3ServerHandle} from '../../helpers/s3-server.js';
import {tempSqlite, type TempSqlite} from '../../helpers/sqlite.js';

const name = 'manual_2026-11-30T03-15-00.db';
let sqlite: TempSqlite;
let server: http.Server;
let port = 0;
let s3: S3ServerHandle;
/** requests per bucket; bytes of the endless object and sidecar sent */
const requests = new Map<string, number>();
const sent = {object: 0, sidecar: 0};

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>${body}`;

function endless(res: http.ServerResponse, counter: 'object' | 'sidecar') {
	// no Content-Length: bytes until the client goes away
	res.writeHead(200, {'content-type': 'application/octet-stream'});
	const chunk = Buffer.alloc(64 * 1024, 0x41);
	const pump = () => {
		while (!res.destroyed && !res.writableEnded) {
			sent[counter] += chunk.length;
			if (sent[counter] > 1024 * 1024 * 1024) return res.end();
			if (!res.write(chunk)) return res.once('drain', pump);
		}
	};
	pump();
}

beforeAll(async () => {
	requireBuild(bundledBin);
	sqlite = tempSqlite({messages: 5});
	server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
		const key = decodeURIComponent(rest.join('/'));
		requests.set(bucket, (requests.get(bucket) ?? 0) + 1);
		req.resume();
		req.on('end', () => {
			if (bucket === 'denied' || bucket === 'badsig') {
				const [code, message] = bucket === 'denied' ? ['AccessDenied', 'Access Denied'] : ['SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'];
				res.writeHead(403, {'content-type': 'application/xml'});
				return res.end(req.method === 'HEAD' ? undefined : xml(`<Error><Code>${code}</Code><Message>${message}</Message></Error>`));
			}
			if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
				// the same page and the same token, for ever
				res.writeHead(200, {'content-type': 'application/xml'});
				return res.end(xml(`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>p/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>${bucket === 'loop' ? 'true' : 'false'}</IsTruncated>${bucket === 'loop' ? '<NextContinuationToken>same-token</NextContinuationToken>' : ''}<Contents><Key>p/${name}</Key><LastModified>2026-11-30T03:15:41.000Z</LastModified><ETag>"x"</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`));
			}
			if (bucket === 'nolen') {
				// stores nothing, says yes to every PUT, and its HEAD has no Content-Length
				res.writeHead(200, {etag: '"0123456789abcdef0123456789abcdef"', 'transfer-encoding': 'chunked'});
				return res.end();
			}
			if (req.method === 'GET' && key === `p/${name}.json`) {
				if (bucket === 'bigcar') return endless(res, 'sidecar');
				res.writeHead(200, {'content-type': 'application/json'});
				return res.end(JSON.stringify({name, kind: 'manual', sizeBytes: 10, sha256: 'a'.repeat(64), tables: {}}));
			}
			if (req.method === 'GET' && key === `p/${name}`) return endless(res, 'object');
			res.writeHead(404, {'content-type': 'application/xml'});
			res.end(req.method === 'HEAD' ? undefined : xml('<Error><Code>NoSuchKey</Code><Message>no</Message></Error>'));
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as {port: number}).port;
	s3 = await startS3Server();
}, 60_000);

afterAll(async () => {
	server?.closeAllConnections();
	await new Promise(resolve => server?.close(resolve));
	await s3?.close();
	sqlite?.cleanup();
});

const backups = () => path.join(sqlite.dir, 'backups');
const env = (extra: Record<string, string>) => cliEnv({
	SQLITE_PATH: sqlite.path,
	BACKUP_DIR: backups(),
	OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'),
	BACKUP_S3_ENDPOINT: `http://127.0.0.1:${port}`,
	BACKUP_S3_REGION: 'us-east-1',
	BACKUP_S3_PATH_STYLE: '1',
	AWS_ACCESS_KEY_ID: 'opsdeck',
	AWS_SECRET_ACCESS_KEY: 'opsdeck-secret',
	BACKUP_UPLOAD_RETRIES: '3',
	BACKUP_UPLOAD_BACKOFF_MS: '300',
	BACKUP_HEARTBEAT_URL: '',
	REDIS_URL: 'redis://127.0.0.1:1/0',
	DATABASE_URL: 'postgres://127.0.0.1:1/none',
	...extra,
});

/** The built CLI, killed after `limitMs` (code null then): a command that loops fails the test, not the run. */
async function cli(args: string[], extra: Record<string, string>, limitMs = 20_000) {
	const run = startCli(args, {env: env(extra), cwd: sqlite.dir, bin: bundledBin});
	const timer = setTimeout(() => run.child.kill('SIGKILL'), limitMs);
	const code = await run.exit;
	clearTimeout(timer);
	return {code, stdout: run.out(), stderr: run.err()};
}

const lines = (text: string) => text.trim().split('\n').filter(Boolean);
const leftovers = () => (fs.existsSync(backups()) ? fs.readdirSync(backups()).filter(f => f.startsWith('.')) : []);

describe('an S3 listing that never ends (IsTruncated, the same continuation token each time)', () => {
	const line = "s3://loop/p/: cannot list: the server's listing does not end (continuation token repeated)";

	it('backup list --remote: one line, exit 1, after two requests', async () => {
		requests.set('loop', 0);
		const r = await cli(['backup', 'list', '--remote'], {BACKUP_REMOTE: 's3://loop/p'});
		expect(r.code).toBe(1);
		expect(lines(r.stdout + r.stderr)).toEqual([line]);
		expect(requests.get('loop')).toBe(2);
	}, 30_000);

	it('backup drill --remote (the newest there): one line, exit 1', async () => {
		requests.set('loop', 0);
		const r = await cli(['backup', 'drill', '--remote'], {BACKUP_REMOTE: 's3://loop/p'});
		expect(r.code).toBe(1);
		expect(lines(r.stderr)).toEqual([`opsdeck: ${line}`]);
		expect(requests.get('loop')).toBe(2);
	}, 30_000);
});

describe('an object that never ends behind a sidecar that records 10 bytes', () => {
	it('restore --from: the download stops at once, the partial file is removed, one line, exit 2', async () => {
		sent.object = 0;
		const r = await cli(['backup', 'restore', name, '--from', 's3', '--yes'], {BACKUP_REMOTE: 's3://endless/p'});
		expect(r.code).toBe(2);
		expect(lines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^opsdeck: s3://endless/p/${name} sends more bytes than the 10 its sidecar records: the download was stopped after \\d+ \\(the partial download was removed\\): refused, nothing was changed$`))]);
		// what the server managed to push into socket buffers before the client hung up, not 1 GB
		expect(sent.object).toBeLessThan(64 * 1024 * 1024);
		expect(leftovers()).toEqual([]);
		expect(fs.existsSync(path.join(backups(), name))).toBe(false);
	}, 30_000);

	it('drill --remote NAME: the same refusal, recorded as a failed drill; no temp file left', async () => {
		sent.object = 0;
		const r = await cli(['backup', 'drill', name, '--remote'], {BACKUP_REMOTE: 's3://endless/p'});
		expect(r.stdout).toMatch(new RegExp(`finding: s3://endless/p/${name} sends more bytes than the 10 its sidecar records: the download was stopped after \\d+ \\(the partial download was removed\\)$`, 'm'));
		expect(r.code).not.toBe(0);
		expect(r.code).not.toBeNull();
		expect(sent.object).toBeLessThan(64 * 1024 * 1024);
		expect(leftovers()).toEqual([]);
	}, 30_000);
});

describe('a sidecar that never ends', () => {
	it('restore --from: at most 1 MB of it is read, refused in one line, exit 2, nothing downloaded', async () => {
		sent.sidecar = 0;
		sent.object = 0;
		const r = await cli(['backup', 'restore', name, '--from', 's3', '--yes'], {BACKUP_REMOTE: 's3://bigcar/p'});
		expect(r.code).toBe(2);
		expect(lines(r.stderr)).toEqual([`opsdeck: s3://bigcar/p/: the sidecar of ${name} is bigger than 1 MB (a real one is a few KB): refused`]);
		expect(sent.sidecar).toBeLessThan(64 * 1024 * 1024);
		expect(sent.object).toBe(0);
		expect(leftovers()).toEqual([]);
	}, 30_000);
});

describe('uploads', () => {
	it('a HEAD with no Content-Length: the size there is unknown, said so, not retried', async () => {
		const r = await cli(['backup', 'create'], {BACKUP_REMOTE: 's3://nolen/p'});
		expect(r.code).toBe(1);
		const created = /created (\S+\.db)/.exec(r.stdout)![1]!;
		expect(r.stdout).not.toContain('undefined');
		expect(r.stdout.split('\n')).toContain(`NOT off-site: s3://nolen/p/ FAILED after 1 attempt: ${created} was sent but its size there is unknown (the server's answer has no Content-Length): not counted as stored`);
	}, 30_000);

	it.each([
		['denied', 'AccessDenied: Access Denied'],
		['badsig', 'SignatureDoesNotMatch: The request signature'],
	])('%s: %s is not retried', async (bucket, reason) => {
		const r = await cli(['backup', 'create'], {BACKUP_REMOTE: `s3://${bucket}/p`});
		expect(r.code).toBe(1);
		expect(r.stdout).toContain(`NOT off-site: s3://${bucket}/p/ FAILED after 1 attempt: upload of `);
		expect(r.stdout).toContain(`failed: ${reason}`);
	}, 30_000);

	it.each([
		['a missing bucket', 'NoSuchBucket', {BACKUP_REMOTE: 's3://no-such-bucket/p'}],
		['a wrong access key', 'InvalidAccessKeyId', {AWS_ACCESS_KEY_ID: 'NOT-S3RVER'}],
	])('%s on a real S3 (s3rver): %s, not retried', async (_what, code, extra) => {
		const r = await cli(['backup', 'create'], {...s3.env, BACKUP_S3_ENDPOINT: s3.endpoint, BACKUP_REMOTE: `s3://${s3.bucket}/p`, ...extra});
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(new RegExp(`NOT off-site: s3://\\S+ FAILED after 1 attempt: upload of \\S+ failed: ${code}`));
	}, 30_000);
});

describe('an SFTP server whose folder listing never ends (READDIR never answers EOF)', () => {
	let sshServer: ssh2.Server;
	let sshPort = 0;
	let readdirs = 0;
	let hostKeyFingerprint = '';

	beforeAll(async () => {
		const keys = ssh2.utils.generateKeyPairSync('ed25519');
		const parsed = ssh2.utils.parseKey(keys.public);
		hostKeyFingerprint = fingerprint((parsed as ssh2.ParsedKey).getPublicSSH());
		sshServer = new ssh2.Server({hostKeys: [keys.private]}, client => {
			client.on('error', () => undefined);
			client.on('authentication', context => context.accept());
			client.on('ready', () => client.on('session', accept => accept().on('sftp', acceptSftp => {
				const sftp = acceptSftp();
				sftp.on('OPENDIR', reqid => sftp.handle(reqid, Buffer.from('dir')));
				// the same 600 short entries (one SFTP packet), for ever
				const entries = Array.from({length: 600}, () => ({filename: 'a.db', longname: '-', attrs: {mode: 0o100644, uid: 0, gid: 0, size: 10, atime: 0, mtime: 0}}));
				sftp.on('READDIR', reqid => {
					readdirs++;
					sftp.name(reqid, entries);
				});
				sftp.on('CLOSE', reqid => sftp.status(reqid, 0));
			})));
		});
		await new Promise<void>(resolve => sshServer.listen(0, '127.0.0.1', resolve));
		sshPort = (sshServer.address() as {port: number}).port;
	});

	afterAll(async () => {
		await new Promise(resolve => sshServer?.close(resolve));
	});

	it('backup list --remote: one line, exit 1, after a bounded number of READDIRs', async () => {
		const remote = `sftp://backup@127.0.0.1:${sshPort}/srv/bk`;
		const r = await cli(['backup', 'list', '--remote'], {BACKUP_REMOTE: remote, BACKUP_SFTP_PASSWORD: 'pw', BACKUP_SFTP_HOST_KEY: hostKeyFingerprint}, 40_000);
		expect(r.code).toBe(1);
		expect(lines(r.stdout + r.stderr)).toEqual([`${remote}: cannot list: the server's listing does not end (more than ${sftpMaxListEntries} entries)`]);
		expect(readdirs).toBeLessThanOrEqual(Math.ceil(sftpMaxListEntries / 600) + 1);
	}, 60_000);
});

describe('an SFTP remote and a file on it', () => {
	it('are joined by exactly one "/" in the audit target', () => {
		expect(remoteDeleteRequest(parseRemote('sftp://backup@127.0.0.1:2299/srv/bk'), name).target).toBe(`sftp://backup@127.0.0.1:2299/srv/bk/${name}`);
		expect(remoteDeleteRequest(parseRemote('sftp://backup@127.0.0.1:2299/'), name).target).toBe(`sftp://backup@127.0.0.1:2299/${name}`);
		expect(remoteDeleteRequest(parseRemote('s3://bkt/pre'), name).target).toBe(`s3://bkt/pre/${name}`);
		expect(remoteDeleteRequest(parseRemote('s3://bkt'), name).target).toBe(`s3://bkt/${name}`);
	});
});
