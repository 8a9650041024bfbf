// Issue 14, point 4: a password containing `@` (`redis://:p@ssW0rd@host`) was shown as
// `redis://:***@ssW0rd@…`; a password given as `?password=` (Redis or PostgreSQL URL), PGPASSWORD
// or .pgpass was shown in full. Every form, raw and percent-encoded, is absent from command text
// and JSON, errors, refusals and the audit log; a short common word is masked in URLs; a password
// on the command line gets a one-line hint, and `ps` stops showing it. Needs `npm run build`.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bin, cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait.js';

const redisPassword = 'p@ssW0rd';
const secrets = ['p@ssW0rd', 'p%40ssW0rd', 'ssW0rd', 'Pg-query-S3cret', 'Pg-env-S3cret', 'Pg-pgpass-S3cret', 'wr@ng-Pass1', 'ng-Pass1'];
let server: RedisServerHandle;
let dir: string;
let home: string;

beforeAll(async () => {
	requireBuild();
	server = await startRedis();
	const admin = new Redis(server.url);
	await admin.set('chat:A:messages', 'x');
	await admin.config('SET', 'requirepass', redisPassword);
	admin.disconnect();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-secret-forms-'));
	home = path.join(dir, 'home');
	fs.mkdirSync(home);
	// pg falls back to ~/.pgpass when the URL has no password
	fs.writeFileSync(path.join(home, '.pgpass'), '127.0.0.1:5432:*:postgres:Pg-pgpass-S3cret\n', {mode: 0o600});
});

afterAll(async () => {
	await server?.stop();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

const auditLog = () => path.join(dir, 'audit.log');

/** The Redis and PostgreSQL URLs of each form; trust auth on the shared PostgreSQL ignores its passwords. */
const forms = () => ({
	'userinfo with @ (raw)': {REDIS_URL: `redis://:${redisPassword}@127.0.0.1:${server.port}/0`, DATABASE_URL: 'postgres://postgres:chat@127.0.0.1:5432/postgres'},
	'?password= (percent-encoded)': {REDIS_URL: `redis://127.0.0.1:${server.port}/0?password=p%40ssW0rd`, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres?password=Pg-query-S3cret&sslmode=disable'},
	'PGPASSWORD and .pgpass': {REDIS_URL: `redis://:p%40ssW0rd@127.0.0.1:${server.port}/0`, PGHOST: '127.0.0.1', PGUSER: 'postgres', PGPASSWORD: 'Pg-env-S3cret'},
	'a wrong password': {REDIS_URL: `redis://:wr@ng-Pass1@127.0.0.1:${server.port}/0`, DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:5432/postgres'},
});

function env(form: Record<string, string>): NodeJS.ProcessEnv {
	return cliEnv({HOME: home, SQLITE_PATH: path.join(dir, 'app.db'), BACKUP_DIR: path.join(dir, 'backups'), OPSDECK_AUDIT_LOG: auditLog(), ...form});
}

function expectClean(text: string, where: string): void {
	for (const secret of secrets) expect(text, `${where} shows ${secret}`).not.toContain(secret);
	// a short common word as a password: masked where it is a password (in a URL), left alone elsewhere
	expect(text, `${where} shows the password chat`).not.toMatch(/:chat@|password=chat/);
	expect(text, `${where} shows the password pw`).not.toMatch(/:pw@/);
}

describe('every secret form stays masked (issue 14, point 4)', () => {
	const commands = [['status'], ['status', '--json'], ['flush'], ['flush', '--yes', '--read-only'], ['keys', '--json'], ['reconnect', 'redis']];
	const names = ['userinfo with @ (raw)', '?password= (percent-encoded)', 'PGPASSWORD and .pgpass', 'a wrong password'] as const;
	for (const name of names) {
		it(`${name}: status text and JSON, errors, refusals, the audit log`, async () => {
			const urls = forms()[name];
			let all = '';
			// side by side, then the audit
			// log they wrote, as the operator would read it
			const results = [...await Promise.all(commands.map(args => runCli(args, {env: env(urls), cwd: dir}))), await runCli(['audit', '--json'], {env: env(urls), cwd: dir})];
			for (const [i, result] of results.entries()) {
				const args = [...commands, ['audit', '--json']][i]!;
				expect(result.stdout + result.stderr, args.join(' ')).not.toBe('');
				expectClean(result.stdout + result.stderr, `opsdeck ${args.join(' ')}`);
				all += result.stdout + result.stderr;
			}
			expect(results.at(-1)!.stdout).toMatch(/"action": ?"flush"/);
			expect(all).toContain('***');
			const log = fs.readFileSync(auditLog(), 'utf8');
			expect(log).toMatch(/"action":"flush"/);
			expectClean(log, 'the audit log');
		});
	}

	it('the shown target is the server and db, with the password masked', async () => {
		const result = await runCli(['status', '--json'], {env: env(forms()['userinfo with @ (raw)']), cwd: dir});
		const report = JSON.parse(result.stdout) as {redis: {url: string; state: string}; postgres: {url: string}};
		expect(report.redis.url).toBe(`redis://:***@127.0.0.1:${server.port}/0`);
		expect(report.redis.state).toBe('up');
		expect(report.postgres.url).toBe('postgres://postgres:***@127.0.0.1:5432/postgres');
	});

	it('--redis-url / --database-url with a password: a one-line hint, and ps no longer shows it once started', async () => {
		const result = await runCli(['status', '--redis-url', `redis://:${redisPassword}@127.0.0.1:${server.port}/0`, '--database-url', 'postgres://postgres@127.0.0.1:5432/postgres?password=Pg-query-S3cret'], {env: env({}), cwd: dir});
		expectClean(result.stdout + result.stderr, 'status with password flags');
		const hints = result.stderr.split('\n').filter(line => line.includes('ps shows'));
		expect(hints).toEqual(['opsdeck: --redis-url and --database-url hold passwords, which ps shows to other users until opsdeck renames itself: put it in REDIS_URL or DATABASE_URL (the environment or .env) or in the config file instead']);
		expect((await runCli(['status', '--redis-url', `redis://127.0.0.1:${server.port}/0`], {env: env({}), cwd: dir})).stderr).not.toContain('ps shows');

		const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--redis-url', `redis://:${redisPassword}@127.0.0.1:${server.port}/0`], {cwd: dir, env: env({DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres'})});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		try {
			await waitFor(() => out.includes('listening on'), {timeout: 15_000});
			const cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
			expect(cmdline).not.toContain('ssW0rd');
			expect(cmdline).toMatch(/^opsdeck serve/);
		} finally {
			child.kill('SIGTERM');
			await new Promise(resolve => child.once('close', resolve));
		}
		expectClean(out, 'serve');
	});
});
