// /metrics with the off-site upload and restore drill results (issues 19, 20): read from the
// sidecars and the drill log, so a `serve` started after the backup, the upload and the drill (a
// restart) has them; an upload that fails while it runs shows on the next scrape. The built CLI,
// a real s3rver; PostgreSQL and Redis on a closed port (their part is not looked at).
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readSidecar} from '../../source/backups/files.js';
import {parsePrometheusText, sampleValue} from '../helpers/prom-text.js';
import {startS3Server, type S3ServerHandle} from '../helpers/s3-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';
import {cliEnv, requireBuild, runCli, startCli, type CliRun} from '../helpers/health-env.js';

let s3: S3ServerHandle;
let sqlite: TempSqlite;
let serve: CliRun;
let base: string;
const names = ['opsdeck_backup_upload_last_success_timestamp_seconds', 'opsdeck_backup_upload_last_ok', 'opsdeck_backups_not_offsite', 'opsdeck_drill_last_timestamp_seconds', 'opsdeck_drill_last_ok', 'opsdeck_drill_last_duration_seconds'];

const backups = () => path.join(sqlite.dir, 'backups');
const env = () => cliEnv({
	...s3.env,
	REDIS_URL: 'redis://127.0.0.1:1/0',
	DATABASE_URL: 'postgres://127.0.0.1:1/none',
	SQLITE_PATH: sqlite.path,
	BACKUP_DIR: backups(),
	BACKUP_REMOTE: `s3://${s3.bucket}/m`,
	BACKUP_ENABLED: 'false',
	BACKUP_UPLOAD_RETRIES: '0',
	OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'),
	POLL_INTERVAL_MS: '250',
});
const remote = () => `s3://${s3.bucket}/m/`;

beforeAll(async () => {
	requireBuild();
	s3 = await startS3Server();
	sqlite = tempSqlite();
	// before serve starts: what it reads is what was written down
	expect((await runCli(['backup', 'create'], {env: env(), cwd: sqlite.dir})).code).toBe(0);
	expect((await runCli(['backup', 'drill'], {env: env(), cwd: sqlite.dir})).code).toBe(0);
	serve = startCli(['serve', '--port', '0'], {cwd: sqlite.dir, env: env()});
	base = (await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.out()), {timeout: 10_000, message: serve.err()}))[1]!;
}, 60_000);

afterAll(async () => {
	serve?.child.kill('SIGKILL');
	await s3?.close();
	sqlite?.cleanup();
});

async function scrape() {
	const response = await fetch(`${base}/metrics`);
	expect(response.status).toBe(200);
	return parsePrometheusText(await response.text());
}

describe('serve /metrics: uploads and drills', () => {
	it('has each once with HELP and TYPE, with the upload and the drill done before serve started', async () => {
		const families = await scrape();
		for (const name of names) {
			expect(families.get(name)?.help, name).toBeTruthy();
			expect(families.get(name)?.type, name).toBe('gauge');
		}
		const [entry] = fs.readdirSync(backups()).filter(n => n.endsWith('.db'));
		const uploaded = readSidecar(backups(), entry!)!.offsite![remote()]!;
		expect(sampleValue(families, 'opsdeck_backup_upload_last_success_timestamp_seconds', {remote: remote()})).toBe(Date.parse(uploaded.at) / 1000);
		expect(sampleValue(families, 'opsdeck_backup_upload_last_ok', {remote: remote()})).toBe(1);
		expect(sampleValue(families, 'opsdeck_backups_not_offsite')).toBe(0);
		const drill = JSON.parse(fs.readFileSync(path.join(backups(), 'drills.jsonl'), 'utf8').trim()) as {at: string; durationMs: number};
		expect(sampleValue(families, 'opsdeck_drill_last_timestamp_seconds')).toBe(Date.parse(drill.at) / 1000);
		expect(sampleValue(families, 'opsdeck_drill_last_ok')).toBe(1);
		expect(sampleValue(families, 'opsdeck_drill_last_duration_seconds')).toBe(drill.durationMs / 1000);
	});

	it('follows a failed upload and a failed drill made meanwhile', async () => {
		const before = sampleValue(await scrape(), 'opsdeck_backup_upload_last_success_timestamp_seconds', {remote: remote()});
		await s3.stop();
		try {
			const created = await runCli(['backup', 'create'], {env: env(), cwd: sqlite.dir});
			expect(created.stdout).toContain('NOT off-site');
		} finally {
			await s3.start();
		}
		const drill = await runCli(['backup', 'drill'], {env: {...env(), DRILL_CHECKS: 'select 0'}, cwd: sqlite.dir});
		expect(drill.code).toBe(1);
		const families = await waitFor(async () => {
			const f = await scrape();
			return sampleValue(f, 'opsdeck_backups_not_offsite') === 1 ? f : undefined;
		}, {timeout: 10_000, interval: 500});
		expect(sampleValue(families, 'opsdeck_backup_upload_last_ok', {remote: remote()})).toBe(0);
		expect(sampleValue(families, 'opsdeck_backup_upload_last_success_timestamp_seconds', {remote: remote()})).toBe(before);
		expect(sampleValue(families, 'opsdeck_drill_last_ok')).toBe(0);
	}, 60_000);
});
