// `opsdeck flush` as a user runs it (built CLI, no terminal) on a private redis-server: --yes
// empties only the configured db; no --yes without a terminal and read-only both refuse (exit 2)
// and leave every key. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runPty} from '../helpers/pty.js';
import {bin, cliEnv, requireBuild, runCli} from '../helpers/health-env.js';

let server: RedisServerHandle;
let db0: Redis;
let db1: Redis;
let cwd: string;

beforeAll(async () => {
	requireBuild();
	server = await startRedis();
	db0 = new Redis(server.url);
	db1 = new Redis(`redis://127.0.0.1:${server.port}/1`);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-flushcmd-'));
});

afterAll(async () => {
	db0?.disconnect();
	db1?.disconnect();
	await server.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

beforeEach(async () => {
	await db0.flushall();
	await db0.mset('chat:a:messages', '1', 'chat:b:messages', '2', 'k', '3');
	await db1.set('survivor', 'yes');
});

const env = (extra: Record<string, string> = {}) => cliEnv({REDIS_URL: server.url, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log'), ...extra});
const audit = () => fs.readFileSync(path.join(cwd, 'audit.log'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as {action: string; result: string; target: string});

describe('opsdeck flush', () => {
	it('--yes: FLUSHDB of the configured db only; a key in another db survives', async () => {
		const {code, stdout} = await runCli(['flush', '--yes'], {env: env(), cwd});
		expect(code).toBe(0);
		expect(stdout).toBe(`flushed: FLUSHDB on ${server.url}: 3 keys in db 0 (${/\((\d+) ms\)/.exec(stdout)![1]} ms)\n`);
		expect(await db0.dbsize()).toBe(0);
		expect(await db1.get('survivor')).toBe('yes');
		expect(audit().slice(-1)[0]).toMatchObject({action: 'flush', result: 'ok'});
	});

	// issue 16, point 6: "1 keys"
	it('one key is "1 key"', async () => {
		await db0.del('chat:a:messages', 'chat:b:messages');
		const {code, stdout} = await runCli(['flush', '--yes'], {env: env(), cwd});
		expect(code).toBe(0);
		expect(stdout).toContain(`FLUSHDB on ${server.url}: 1 key in db 0 (`);
	});

	it('without --yes and no terminal: exit 2, every key still there', async () => {
		const {code, stderr} = await runCli(['flush'], {env: env(), cwd});
		expect(code).toBe(2);
		expect(stderr).toMatch(/^opsdeck: refused: .*needs --yes/);
		expect(await db0.dbsize()).toBe(3);
		expect(await db1.dbsize()).toBe(1);
	});

	it('read-only: refused even with --yes, exit 2, keys still there, the refusal audited', async () => {
		const {code, stderr} = await runCli(['flush', '--yes', '--read-only'], {env: env(), cwd});
		expect(code).toBe(2);
		expect(stderr).toBe('opsdeck: read-only mode: flush refused (nothing was changed)\n');
		expect(await db0.dbsize()).toBe(3);
		expect(audit().slice(-1)[0]).toMatchObject({action: 'flush', result: 'refused'});
	});

	it('--all --yes: FLUSHALL, every db emptied', async () => {
		const {code, stdout} = await runCli(['flush', '--all', '--yes', '--json'], {env: env(), cwd});
		expect(code).toBe(0);
		expect(JSON.parse(stdout)).toMatchObject({all: true, flushed: true, db: 0, keys: 3});
		expect(await db0.dbsize()).toBe(0);
		expect(await db1.dbsize()).toBe(0);
	});

	it('on a terminal it asks y/N: Enter (no) keeps every key, y flushes', async () => {
		const no = runPty('node', [bin, 'flush'], {env: env(), cwd});
		await no.waitForText(`FLUSHDB on ${server.url}: 3 keys in db 0. Flush? [y/N]`);
		no.press('\r');
		expect((await no.waitForExit()).exitCode).toBe(2);
		expect(await db0.dbsize()).toBe(3);
		const yes = runPty('node', [bin, 'flush'], {env: env(), cwd});
		await yes.waitForText('[y/N]');
		yes.press('y\r');
		expect((await yes.waitForExit()).exitCode).toBe(0);
		expect(await db0.dbsize()).toBe(0);
		expect(await db1.get('survivor')).toBe('yes');
	});
});

// Found by the hostile tester: `opsdeck flush⏎y⏎` typed quickly flushed: the y, typed before the
// question was shown, was taken as its answer. Every confirm() drops what was typed ahead.
describe('typed ahead of the y/N question', () => {
	it('a y typed before the question is not the answer: the question waits, Enter (no) keeps every key', async () => {
		const run = runPty('node', [bin, 'flush'], {env: env(), cwd});
		// written at once: long before the program has started and asked
		run.press('y\r');
		await run.waitForText('Flush? [y/N]');
		await new Promise(resolve => setTimeout(resolve, 700));
		expect(run.exit).toBeUndefined();
		expect(await db0.dbsize()).toBe(3);
		run.press('\r');
		expect((await run.waitForExit()).exitCode).toBe(2);
		expect(await db0.dbsize()).toBe(3);
		await run.flush();
		expect(run.screen()).toContain('opsdeck: cancelled: nothing was done');
	});
});

// issue 16, point 6: after Ctrl-C the cancel line was glued to the question ("[y/N] opsdeck: cancelled")
describe('Ctrl-C at the y/N question', () => {
	it('prints "cancelled" on a line of its own, exit 2, nothing flushed', async () => {
		const run = runPty('node', [bin, 'flush'], {env: env(), cwd});
		await run.waitForText('[y/N]');
		run.press('\x03');
		expect((await run.waitForExit()).exitCode).toBe(2);
		await run.flush();
		const lines = run.lines();
		const asked = lines.findIndex(line => line.includes('[y/N]'));
		expect(lines[asked]?.trimEnd(), lines.join('\n')).toMatch(/Flush\? \[y\/N\]$/);
		expect(lines[asked + 1]).toBe('opsdeck: cancelled: nothing was done');
		expect(await db0.dbsize()).toBe(3);
	});
});

// Found by the hostile tester: meow camel-cased `--READ-ONLY` and `--All` into names nobody reads,
// so `flush --yes --READ-ONLY` flushed. An option in another case is refused like any unknown one.
describe('options are taken exactly as spelled', () => {
	it.each([['--READ-ONLY'], ['--Read-Only'], ['--HELP'], ['--All'], ['-H'], ['-yx']])('flush --yes %s: unknown option, exit 2, nothing flushed', async option => {
		const {code, stderr} = await runCli(['flush', '--yes', option], {env: env(), cwd});
		expect(stderr).toBe(`opsdeck: unknown option ${option === '-yx' ? '-x' : option}; see opsdeck --help\n`);
		expect(code).toBe(2);
		expect(await db0.dbsize()).toBe(3);
	});

	// `--read-only=1` was read as false and the flush went ahead
	it.each([['--read-only=1'], ['--read-only=yes'], ['--all=1']])('flush --yes %s: a switch with a value is refused, nothing flushed', async option => {
		const {code, stderr} = await runCli(['flush', '--yes', option], {env: env(), cwd});
		expect(stderr).toMatch(/^opsdeck: --(read-only|all) is a switch: give it alone \(or =true\/=false\)/);
		expect(code).toBe(2);
		expect(await db0.dbsize()).toBe(3);
	});
});

// Found by the hostile tester: ioredis's own console.warn reached stderr raw ("[WARN] …"), past the
// one writer. A library's warning is one `opsdeck: warning:` line like every other.
describe('a library warning goes through the one writer', () => {
	it('a password for a server that needs none: one opsdeck: line, no raw [WARN], the password not shown', async () => {
		const url = `redis://:hunter2secret@127.0.0.1:${server.port}/0`;
		const {code, stderr} = await runCli(['keys'], {env: env({REDIS_URL: url}), cwd});
		expect(code).toBe(0);
		expect(stderr).not.toContain('[WARN]');
		// issue 16, point 7: ioredis's own words ("does not require a password, but a password was supplied") as a sentence
		expect(stderr).toMatch(/^opsdeck: warning: Redis('s default user)? has no password( set)?: the password in the Redis URL \(REDIS_URL, --redis-url\) is ignored\n$/);
		expect(stderr).not.toContain('hunter2secret');
	});
});
