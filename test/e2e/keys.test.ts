// The Keys tab in a real pseudo-terminal, driven as an operator would: type a pattern, move, open a
// sorted set, go back; hostile key names never reach the terminal raw; a 40x10 pane stays readable.
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/chat-fixtures.js';
import {keys, runPty, type PtyRun} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {binPath} from '../helpers/run-cli.js';
import {sleep} from '../helpers/wait.js';

let server: RedisServerHandle;
let direct: Redis;
let cwd: string;

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	const p = direct.pipeline();
	for (let i = 0; i < 2000; i++) p.set(`session:${i}`, 'v');
	await p.exec();
	await direct.zadd('scores:weekly', 1_764_000_000_000, 'alice', 7, 'bob');
	await direct.zadd('scores:daily', 3, 'carol');
	await direct.set('evil\u001b]0;pwned\u0007\u001b]8;;http://x/\u001b\\', 'link');
	cwd = tempDir();
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

function start(cols = 80, rows = 24): PtyRun {
	return runPty(process.execPath, [binPath, '--redis-url', server.url, '--database-url', 'postgres://127.0.0.1:1/none', '--audit-log', path.join(cwd, 'audit.log')], {cols, rows, cwd});
}

/** Types one key at a time, as a person does (a burst of keys arrives as one chunk, like a paste). */
async function typeSlowly(run: PtyRun, text: string): Promise<void> {
	for (const ch of text) {
		run.press(ch);
		await sleep(30);
	}
}

describe('Keys tab in a terminal', () => {
	it('type a pattern, move, open a sorted set, go back', async () => {
		const run = start();
		try {
			await run.waitForText('Status');
			run.press('2');
			await run.waitForText(/2,00\d keys .*done/);
			run.press('/');
			await run.waitForText('pattern:');
			await typeSlowly(run, 'scores:*');
			await run.waitForText('pattern: scores:*');
			await sleep(100);
			run.press(keys.enter);
			await run.waitForText(/pattern scores:\* · 2 keys .*done/);
			// sorted: daily, then weekly; move to weekly and open it
			run.press(keys.down);
			// let the cursor move land before Enter reads it (keys sent apart, as a person does)
			await sleep(200);
			run.press(keys.enter);
			await run.waitForText('2 members');
			expect(run.screen()).toContain('1764000000000 (2025-11-24 16:00:00Z)  alice');
			expect(run.screen()).toContain('scores:weekly');
			run.press(keys.escape);
			await run.waitForText(/scores:daily\s+zset/);
			expect(run.screen()).not.toContain('2 members');
			// the hostile key was drawn (before the pattern) and never reached the terminal raw
			expect(run.rawOutput()).not.toContain('\u001b]0;pwned');
			expect(run.rawOutput()).not.toContain('\u001b]8;;http://x/');
			run.press('q');
			expect((await run.waitForExit()).exitCode).toBe(0);
		} finally {
			run.kill('SIGKILL');
		}
	});

	it('fits a 40x10 pane: no line wraps, keys and hints visible', async () => {
		const run = start(40, 10);
		try {
			run.press('2');
			await run.waitForText(/keys · done/);
			run.press('g');
			await run.waitForText('evil\\x1b]0;');
			const lines = run.lines();
			expect(lines[2]).toMatch(/^key\s+type/);
			expect(lines.every(l => l.length <= 40)).toBe(true);
			run.press('q');
			await run.waitForExit();
		} finally {
			run.kill('SIGKILL');
		}
	});
});
