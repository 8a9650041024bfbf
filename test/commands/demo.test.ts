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
			[['--seed', '-1'], {}, /--seed must be a whole number from 0 to 4294967295/],
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

// issue 13, case 18: `demo --force` while `demo --traffic` ran made traffic fail every second on a
// foreign key; a `demo --force` killed after its PostgreSQL commit left PostgreSQL new and Redis old.
describe('opsdeck demo: a reseed under traffic, and a killed reseed (issue 13, case 18)', () => {
	const chatCodes = async () => new Set((await sql.query<{code: string}>('select code from chats')).rows.map(r => r.code));

	/** Chats that have layout keys in Redis. */
	async function cachedChats(): Promise<Set<string>> {
		const chats = new Set<string>();
		for (const key of await redis.keys('chat:*')) chats.add(key.split(':')[1]!);
		return chats;
	}

	it('traffic waits out demo --force quietly and goes on writing into the new chats', async () => {
		const traffic = demo(['--traffic', '--rate', '40']);
		try {
			await waitFor(() => (traffic.out().match(/\+\d+ messages/g) ?? []).length >= 2, {timeout: 15_000, message: `${traffic.out()} ${traffic.err()}`});
			const reseed = demo(['--force', '--chats', '5']);
			expect(await reseed.exit, reseed.err()).toBe(0);
			const reseededAt = new Date();
			const fresh = await chatCodes();
			const ticksBefore = (traffic.out().match(/\+\d+ messages/g) ?? []).length;
			// traffic writes new messages into the new chats, in both stores
			await waitFor(async () => Number((await sql.query('select count(*) as n from messages where created_at > $1', [reseededAt])).rows[0].n) >= 10, {timeout: 15_000, message: traffic.out()});
			await waitFor(() => (traffic.out().match(/\+\d+ messages/g) ?? []).length >= ticksBefore + 2, {timeout: 15_000});
			traffic.child.kill('SIGINT');
			expect(await traffic.exit).toBe(0);
			expect(traffic.err()).toBe('');
			expect(traffic.out()).not.toMatch(/failed|error|violates/i);
			const written = (await sql.query<{chat: string}>('select distinct chat_code as chat from messages where created_at > $1', [reseededAt])).rows.map(r => r.chat);
			expect(written.length).toBeGreaterThan(0);
			for (const chat of written) expect(fresh.has(chat) || (await chatCodes()).has(chat)).toBe(true);
			// the cache holds no chat PostgreSQL does not have
			const inPg = await chatCodes();
			expect([...(await cachedChats())].filter(chat => !inPg.has(chat))).toEqual([]);
		} finally {
			traffic.child.kill('SIGKILL');
		}
	});

	it('a demo --force killed after its PostgreSQL commit: demo alone says so; the next --force leaves both stores consistent', async () => {
		const before = await chatCodes();
		// Redis takes no writes for a while: the reseed commits PostgreSQL, then waits on its first Redis write
		await redis.call('CLIENT', 'PAUSE', '30000', 'WRITE');
		const killed = demo(['--force', '--chats', '4']);
		try {
			// PostgreSQL has the new chats (committed): kill it there
			await waitFor(async () => {
				const now = await chatCodes();
				return now.size > 0 && [...now].every(code => !before.has(code));
			}, {timeout: 20_000, message: killed.err()});
			killed.child.kill('SIGKILL');
			await killed.exit;
		} finally {
			await redis.call('CLIENT', 'UNPAUSE');
		}
		const halfway = await chatCodes();
		// Redis still has the old chats only
		expect([...(await cachedChats())].some(chat => before.has(chat))).toBe(true);
		expect([...(await cachedChats())].some(chat => halfway.has(chat))).toBe(false);

		const plain = demo([]);
		expect(await plain.exit).toBe(2);
		expect(plain.err()).toMatch(/^opsdeck: refused: the last demo --force was interrupted.*run opsdeck demo --force/);
		expect(plain.err().trim().split('\n')).toHaveLength(1);
		const traffic = demo(['--traffic']);
		expect(await traffic.exit).toBe(2);
		expect(traffic.err()).toMatch(/interrupted/);

		const again = demo(['--force', '--chats', '4', '--json']);
		expect(await again.exit, again.err()).toBe(0);
		const report = JSON.parse(again.out()) as {outOfSync: {chat: string}[]; chats: {code: string}[]};
		const inPg = await chatCodes();
		expect(inPg).toEqual(new Set(report.chats.map(c => c.code)));
		// no cache of a chat PostgreSQL does not have (neither the killed run's nor the ones before)
		expect([...(await cachedChats())].filter(chat => !inPg.has(chat))).toEqual([]);
		// opsdeck's own compare: exactly the intended chats are out of sync
		const outOfSync: string[] = [];
		for (const chat of inPg) {
			const run = spawnCompare(chat);
			const result = JSON.parse(await run) as {comparison: {inSync: boolean}};
			if (!result.comparison.inSync) outOfSync.push(chat);
		}
		expect(outOfSync.sort()).toEqual(report.outOfSync.map(o => o.chat).sort());
		expect(await redis.get('other:thing')).toBe('keep me');
	});
});

// issue 16, point 9: the README's tour names chats by their codes; `demo --seed 1` on backends without
// demo data prints exactly what the README shows (paths, URLs, the time taken and the backup's name aside).
describe('opsdeck demo --seed', () => {
	it('prints what the README shows for --seed 1: the same chats, codes and counts', async () => {
		const fresh = await createTestDatabase('opsdeck_demo_seed');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-demo-seed-'));
		try {
			const child = spawn(process.execPath, [bin, 'demo', '--seed', '1'], {
				cwd: dir,
				env: {...process.env, REDIS_URL: server.url.replace(/\/0$/, '/3'), DATABASE_URL: fresh.url, OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log')},
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let out = '';
			child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
			expect(await new Promise(resolve => child.on('close', resolve))).toBe(0);
			const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
			const shown = /What `opsdeck demo --seed 1` prints[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
			expect(shown, 'the README shows the output of demo --seed 1').toBeDefined();
			// the lines that name this machine's stores and files, and the time taken, are compared up to them
			const variable = /^(seeded the demo data in | {2}PostgreSQL {2}| {2}Redis {7}| {2}SQLite {6}| {4}backup )/;
			const lines = (text: string) => text.trimEnd().split('\n').map(line => variable.exec(line)?.[1] ?? line);
			expect(lines(out)).toEqual(lines(shown!));
			// and the tour's chat is one of them, with the counts the README gives it
			expect(out).toMatch(/^ {4}EEGHG478 {2}7 missing from the cache, 5 extra in the cache$/m);
			expect(readme).toContain('`/` then `chat:EEGHG478:*` and Enter');
		} finally {
			await fresh.drop();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	}, 60_000);
});

/** `opsdeck chat show CODE --compare --json`, its stdout. */
function spawnCompare(chat: string): Promise<string> {
	const child = spawn(process.execPath, [bin, 'chat', 'show', chat, '--compare', '--json'], {
		cwd,
		env: {...process.env, REDIS_URL: server.url, DATABASE_URL: database.url, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log')},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	return new Promise(resolve => child.on('close', () => resolve(out)));
}
