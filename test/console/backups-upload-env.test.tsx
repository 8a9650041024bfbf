// Hostile defect W4: an upload to a remote keeps running when the operator switches profile with P,
// and its progress stays with the environment it runs in: the other profile's Backups tab does not
// show it as its own. A real S3 server (s3rver) behind a proxy that holds the upload once it starts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {currentUpload} from '../../source/backups/remote/offsite.js';
import {createBackends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {keys, render} from '../helpers/render.js';
import {startS3Server, type S3ServerHandle} from '../helpers/s3-server.js';
import {startProxy, type TcpProxy} from '../helpers/tcp-proxy.js';
import {waitFor} from '../helpers/wait.js';

let s3: S3ServerHandle;
let proxy: TcpProxy;
let dir: string;

beforeAll(async () => {
	s3 = await startS3Server();
	proxy = await startProxy({targetPort: s3.port});
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-w4-'));
	// a data file of a few MiB: the upload is still going when the proxy holds it
	const db = new Database(path.join(dir, 'a.db'));
	db.exec('create table blobs (b blob)');
	for (let i = 0; i < 6; i++) db.prepare('insert into blobs values (?)').run(crypto.randomBytes(1024 * 1024));
	db.close();
	fs.writeFileSync(path.join(dir, 'b.db'), '');
	const common = {redisUrl: 'redis://127.0.0.1:1/0', databaseUrl: 'postgres://127.0.0.1:1/x', auditLog: path.join(dir, 'audit.log')};
	fs.writeFileSync(path.join(dir, 'opsdeck.config.json'), JSON.stringify({profiles: {
		a: {...common, sqlitePath: path.join(dir, 'a.db'), backupDir: path.join(dir, 'a-backups'), backupRemote: `s3://${s3.bucket}/pre/`, backupS3Endpoint: `http://127.0.0.1:${proxy.port}`, backupS3Region: 'us-east-1', backupS3PathStyle: true, backupS3AccessKeyId: 'S3RVER', backupS3SecretAccessKey: 'S3RVER', backupUploadRetries: 0},
		b: {...common, sqlitePath: path.join(dir, 'b.db'), backupDir: path.join(dir, 'b-backups')},
	}}));
});

afterAll(async () => {
	await proxy?.close();
	await s3?.close();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

it('after P to another profile, a running upload stays with its environment: B does not show it as its own', async () => {
	const config = loadConfig({flags: {config: path.join(dir, 'opsdeck.config.json')}, profile: 'a', cwd: dir});
	expect(config.backupRemotes).toHaveLength(1);
	// the first request to S3 is held: the upload is under way and stays so
	proxy.stall('both');
	const app = render(<App backends={createBackends(config)} startOnMount={false} initialTab={3} />);
	await app.waitFor('no backups yet');
	await app.press('n');
	await app.waitFor(/backup \(upload\).*\d+%/, 20_000);
	await app.press('P');
	await app.waitFor('a');
	await app.press('j', keys.enter);
	const onB = await app.waitFor(/now on b.*upload of manual_\S+ from a goes on/s);
	await app.waitFor('no backups yet');
	expect(onB).not.toMatch(/upload manual_/);
	await app.press('r');
	await app.waitFor('refreshed the backup list');
	// above the bottom bar (the switch's flash names it), nothing of it
	expect(app.screen().split('\n').slice(0, -1).join('\n')).not.toMatch(/upload|s3:|manual_/);
	// back on a: its job is still there, still under way, and n does not start a second one
	await app.press('P', 'k', keys.enter);
	await app.waitFor(/now on a/);
	await app.waitFor(/backup \(upload\).*\d+%/, 5000);
	await app.press('n');
	await app.waitFor('a backup job is running; wait for it');
	// an upload no tab job started (an automatic backup's) shows as itself on its own environment
	expect(currentUpload(config.backupDir)).toMatchObject({remote: 's3://opsdeck-test/pre/', dir: config.backupDir});
	expect(currentUpload(path.join(dir, 'b-backups'))).toBeUndefined();
	// the job ends while the operator is on b: its result is not lost, it is said on a's return
	await app.press('P', 'j', keys.enter);
	await app.waitFor(/now on b/);
	proxy.resume();
	await waitFor(() => currentUpload(config.backupDir) === undefined, {timeout: 20_000});
	await app.press('P', 'k', keys.enter);
	await app.waitFor(/while on another profile: created manual_\S+ \(/, 10_000);
}, 60_000);
