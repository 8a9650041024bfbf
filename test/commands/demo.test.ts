// `opsdeck demo` as a user runs it: the built CLI (npm run build first), no terminal, a private
// redis-server and a fresh PostgreSQL database; --traffic stopped with SIGINT / SIGTERM.
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait.js';

const bin = path.resolve('build/bin.js');
let server: RedisServerHandle;
let database: TestDatabase;
let cwd: string;
let redis: Redis;
let sql: pg.Client;

type Run = {child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null>};

function demo(args: string[], env: NodeJS.ProcessEnv = {}): Run {
	const child = spawn(process.execPath, [bin, 'demo', ...args], {
		cwd,
		env: {...process.env, REDIS_URL: server.url, DATABASE_URL: database.url, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log'), ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
	return {child, out: () => out, err: () => err, exit};
}

const rowCount = async (table: string) => Number((await sql.query(`select count(*) as n from ${table}`)).rows[0].n);

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	[server, database] = await Promise.all([startRedis(), createTestDatabase('opsdeck_demo_cli')]);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-demo-cli-'));
	redis = new Redis(server.url);
	sql = new pg.Client({connectionString: database.url});
	await sql.connect();
	await redis.set('other:thing', 'keep me');
}, 60_000);

afterAll(async () => {
	redis.disconnect();
	await sql.end();
	await database.drop();
	await server.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

describe('opsdeck demo', () => {
	it('seeds the configured backends and says what it wrote', async () => {
		const run = demo(['--chats', '6']);
		expect(await run.exit).toBe(0);
		const out = run.out();
		expect(out).toMatch(/seeded the demo data/);
		const messages = await rowCount('messages');
		expect(out).toContain(`chats: 6 chats; messages: ${messages.toLocaleString('en-US')} messages`);
		expect(out).toMatch(/out of sync on purpose/);
		expect(out).toMatch(/backup .*manual_/);
		expect(fs.existsSync(path.join(cwd, 'data', 'app.db'))).toBe(true);
		expect(await redis.get('other:thing')).toBe('keep me');
	});

	it('refuses a second run without --force (exit 2) and changes nothing', async () => {
		const before = {messages: await rowCount('messages'), keys: await redis.dbsize()};
		const run = demo(['--chats', '3']);
		expect(await run.exit).toBe(2);
		expect(run.err()).toMatch(/already has demo data.*use --force to replace it/);
		expect(run.out()).toBe('');
		expect(await rowCount('messages')).toBe(before.messages);
		expect(await rowCount('chats')).toBe(6);
		expect(await redis.dbsize()).toBe(before.keys);
	});

	it('--force --json replaces it and reports JSON that matches the stores', async () => {
		const run = demo(['--chats', '4', '--force', '--json']);
		expect(await run.exit).toBe(0);
		const report = JSON.parse(run.out()) as {replaced: boolean; postgres: {chats: number; messages: number}; redis: {keys: number}; outOfSync: Array<{chat: string}>};
		expect(report.replaced).toBe(true);
		expect(report.postgres.chats).toBe(4);
		expect(await rowCount('chats')).toBe(4);
		expect(await rowCount('messages')).toBe(report.postgres.messages);
		expect(await redis.dbsize()).toBe(report.redis.keys + 1);
		expect(await redis.get('other:thing')).toBe('keep me');
		expect(report.outOfSync).toHaveLength(3);
	});

	it('bad flags and read-only mode are refused with one line and exit 2', async () => {
		for (const [args, env, message] of [
			[['--chats', '0'], {}, /--chats must be a whole number from 1 to 500/],
			[['--rate', 'fast', '--traffic'], {}, /--rate must be a whole number/],
			[['--force'], {OPSDECK_READ_ONLY: '1'}, /read-only mode: demo refused/],
		] as const) {
			const run = demo([...args], env);
			expect(await run.exit).toBe(2);
			expect(run.err()).toMatch(message);
			expect(run.err().trim().split('\n')).toHaveLength(1);
		}
		expect(await rowCount('chats')).toBe(4);
	});

	it('--traffic writes into the existing demo data until SIGINT, then exits 0', async () => {
		const before = await rowCount('messages');
		const run = demo(['--traffic', '--rate', '50']);
		await waitFor(() => (run.out().match(/\+\d+ messages/g) ?? []).length >= 2, {timeout: 15_000, message: `${run.out()} ${run.err()}`});
		run.child.kill('SIGINT');
		expect(await run.exit).toBe(0);
		const stopped = /stopped: wrote (\d+) messages, \d+ reactions, deleted (\d+)/.exec(run.out());
		expect(stopped, run.out()).not.toBeNull();
		expect(Number(stopped![1])).toBeGreaterThan(0);
		expect(await rowCount('messages')).toBe(before + Number(stopped![1]) - Number(stopped![2]));
		expect(run.out()).not.toMatch(/seeded/);
	});

	it('--traffic --json prints one JSON object per line and stops on SIGTERM', async () => {
		const run = demo(['--traffic', '--json', '--rate', '20']);
		await waitFor(() => run.out().includes('"tick"'), {timeout: 15_000, message: run.err()});
		run.child.kill('SIGTERM');
		expect(await run.exit).toBe(0);
		const lines = run.out().trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
		expect(lines.at(-1)).toHaveProperty('stopped');
		expect(lines.slice(0, -1).every(line => 'tick' in line)).toBe(true);
	});
});
