// Issue 7, case 16: a password in REDIS_URL and DATABASE_URL appears in no output: command stdout,
// stderr, JSON, the audit log, the HTTP health bodies and the console's screen.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {binPath, runCli} from '../helpers/run-cli.js';
import {waitFor} from '../helpers/wait.js';

const redisPassword = 'Redis-s3cret-PW';
const pgPassword = 'Pg-s3cret-PW';
let server: RedisServerHandle;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
	server = await startRedis();
	// set after start: the helper's readiness PING has no password
	const admin = new Redis(server.url);
	await admin.config('SET', 'requirepass', redisPassword);
	admin.disconnect();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-secrets-'));
	env = {
		REDIS_URL: `redis://:${redisPassword}@127.0.0.1:${server.port}/0`,
		// trust auth: the server never asks for it, but it is in the URL the operator gave
		DATABASE_URL: `postgres://postgres:${pgPassword}@127.0.0.1:5432/postgres`,
		SQLITE_PATH: path.join(dir, 'app.db'),
		BACKUP_DIR: path.join(dir, 'backups'),
		OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log'),
	};
});

afterAll(async () => {
	await server.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

function expectClean(text: string): void {
	expect(text).not.toContain(redisPassword);
	expect(text).not.toContain(pgPassword);
	expect(text).not.toContain(encodeURIComponent(redisPassword));
}

describe('passwords never appear', () => {
	const commands: string[][] = [
		['status'],
		['status', '--json'],
		['keys', '--json'],
		['stats', '--json'],
		['chat', 'list', '--json'],
		['reconnect', 'redis'],
		['reconnect', 'postgres'],
		['flush', '--yes', '--read-only'],
		['flush'],
		['backup', 'list', '--json'],
		['audit', '--json'],
	];
	it.each(commands)('in `opsdeck %s` (stdout, stderr)', async (...args) => {
		const result = await runCli(args, {env, cwd: dir});
		expect(result.stdout + result.stderr).not.toBe('');
		expectClean(result.stdout + result.stderr);
	});

	it('in errors: a wrong Redis password and an unreachable PostgreSQL', async () => {
		const result = await runCli(['status', '--json'], {
			cwd: dir,
			env: {...env, REDIS_URL: `redis://:wrong-${redisPassword}@127.0.0.1:${server.port}/0`, DATABASE_URL: `postgres://u:${pgPassword}@127.0.0.1:1/x`},
		});
		expect(result.code).toBe(2);
		expectClean(result.stdout + result.stderr);
		expect(result.stdout).toContain('***');
	});

	it('in the audit log', async () => {
		await runCli(['flush', '--yes'], {env: {...env, OPSDECK_READ_ONLY: '1'}, cwd: dir});
		const log = fs.readFileSync(env.OPSDECK_AUDIT_LOG!, 'utf8');
		expect(log).toMatch(/"action":"flush"/);
		expectClean(log);
	});

	it('in the health endpoint bodies and serve log', async () => {
		const child = spawn(process.execPath, [binPath, 'serve', '--port', '0'], {cwd: dir, env: {...process.env, ...env}});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		try {
			const port = await waitFor(() => /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1], {timeout: 15_000});
			for (const route of ['/health', '/api/health']) {
				const body = await (await fetch(`http://127.0.0.1:${port}${route}`)).text();
				expect(body.length).toBeGreaterThan(10);
				expectClean(body);
			}
		} finally {
			child.kill('SIGTERM');
			await new Promise(resolve => child.once('close', resolve));
		}
		expectClean(out);
	});

	it('on the console screen', async () => {
		const run = runPty('node', [binPath], {cols: 120, rows: 40, env: {...process.env, ...env}, cwd: dir});
		await run.waitForText(/redis:\/\/:\*\*\*@127\.0\.0\.1/, 15_000);
		run.press('q');
		await run.waitForExit(10_000);
		expectClean(run.rawOutput());
	});
});
