// Issue 7, case 15: keys and values holding terminal escapes (window title, OSC 8 link, OSC 52
// clipboard write, clear screen), a C1 CSI (U+009B), a bidi override (U+202E) and NUL: the
// terminal receives none of them raw — from the commands (text and JSON) and from the console.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runPty, keys as ptyKeys} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {binPath, runCli} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

const payloads = {
	title: '\u001b]0;pwned\u0007',
	link: '\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007',
	clipboard: '\u001b]52;c;cm0gLXJmIH4=\u0007',
	clear: '\u001b[2J',
	c1: '\u009b31m',
	bidi: 'abc\u202edef',
	nul: 'a\u0000b',
};
const hostileKey = `evil:${payloads.title}${payloads.clear}${payloads.c1}${payloads.bidi}`;
const hostileValue = `${payloads.link} ${payloads.clipboard} ${payloads.nul} ${payloads.bidi}`;
// what must never reach a terminal raw
const forbidden = ['\u001b]0;pwned', '\u001b]8;;http', '\u001b]52;', '\u001b[2J', '\u009b', '\u202e', '\u0000'];

let server: RedisServerHandle;
let sqlite: TempSqlite;
let env: Record<string, string>;

beforeAll(async () => {
	server = await startRedis();
	sqlite = tempSqlite();
	const client = new Redis(server.url);
	await client.set(hostileKey, hostileValue);
	await client.hset('evil:hash', payloads.clipboard, payloads.title);
	await client.zadd('chat:EVIL:messages', Date.now(), JSON.stringify({id: 'm1', username: payloads.bidi, content: payloads.link, created_at: new Date().toISOString()}));
	client.disconnect();
	env = {REDIS_URL: server.url, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: `${sqlite.dir}/audit.log`};
});

afterAll(async () => {
	await server.stop();
	sqlite.cleanup();
});

function expectNoRaw(text: string): void {
	for (const bad of forbidden) expect(text, `contains ${JSON.stringify(bad)}`).not.toContain(bad);
}

describe('hostile keys and values never reach the terminal raw', () => {
	const commands: string[][] = [
		['keys'],
		['keys', '--json'],
		['keys', 'evil:*', '--json'],
		['inspect', hostileKey],
		['inspect', hostileKey, '--json'],
		['inspect', 'evil:hash'],
		['inspect', 'evil:hash', '--json'],
		['chat', 'list'],
		['chat', 'show', 'EVIL', '--messages', '5'],
		['chat', 'show', 'EVIL', '--json'],
	];
	it.each(commands)('opsdeck %s', async (...args) => {
		const result = await runCli(args, {env, cwd: sqlite.dir});
		expect(result.code).toBe(0);
		expect(result.stdout.length).toBeGreaterThan(0);
		expectNoRaw(result.stdout + result.stderr);
		// no escape character at all in output meant for a pipe
		expect(result.stdout).not.toContain('\u001b');
	});

	it('JSON output still carries the exact data (escaped, not lost)', async () => {
		const result = await runCli(['keys', 'evil:*', '--json'], {env, cwd: sqlite.dir});
		const parsed = JSON.parse(result.stdout) as {keys: string[]};
		expect(parsed.keys).toContain(hostileKey);
	});

	it('the console: the Keys tab list and the value view', async () => {
		const run = runPty('node', [binPath], {cols: 120, rows: 30, env: {...process.env, ...env}, cwd: sqlite.dir});
		await run.waitForText('1 Status', 15_000);
		await new Promise(resolve => setTimeout(resolve, 300));
		run.press('2');
		await run.waitForText(/evil:/, 15_000);
		await run.waitForText(/\\x1b/);
		// open every row's value: the string, the hash and the chat
		for (let i = 0; i < 3; i++) {
			run.press(ptyKeys.enter);
			await new Promise(resolve => setTimeout(resolve, 400));
			run.press(ptyKeys.escape);
			await new Promise(resolve => setTimeout(resolve, 200));
			run.press('j');
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		run.press('q');
		await run.waitForExit(10_000);
		expectNoRaw(run.rawOutput());
		// the values were shown — escaped
		expect(run.rawOutput()).toContain('\\x1b]52;c;');
		expect(run.rawOutput()).toContain('\\u202e');
	});
});
