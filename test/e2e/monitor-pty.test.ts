// The Monitor tab as an operator sees it in a 40x10 tmux pane: the built console in a real
// pseudo-terminal, a private redis-server, a writer. Needs `npm run build` first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

const bin = path.resolve('build/bin.js');
let server: RedisServerHandle;
let writer: Redis;
let cwd: string;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	server = await startRedis();
	writer = new Redis(server.url);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-monitor-e2e-'));
});

afterAll(async () => {
	writer.disconnect();
	await server.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

describe('Monitor tab in a 40x10 pane', () => {
	it('stays readable (columns dropped, no wrapped line) and updates without a key press', async () => {
		await writer.zadd('chat:ZCMLY634:messages', 1, 'a', 2, 'b');
		await writer.expire('chat:ZCMLY634:messages', 86_400);
		await writer.zadd('chat:Q2:messages', 1, 'a');
		const env = {...process.env, REDIS_URL: server.url, DATABASE_URL: 'postgres://127.0.0.1:1/none', SQLITE_PATH: path.join(cwd, 'none.db'), POLL_INTERVAL_MS: '250'};
		const run = runPty(process.execPath, [bin], {cols: 40, rows: 10, cwd, env});
		try {
			await run.waitForText('Status');
			run.press('3');
			// the chat's code stays on the row (defect 6: it read chat:…:messages)
			await run.waitForText(/chat:ZCMLY634:messages +2/);
			const check = () => {
				const lines = run.lines();
				for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
				// tab bar on top, table header, hint bar at the bottom: nothing pushed off by a wrap
				expect(lines[0]).toContain('Monitor');
				// the TTL column goes first: the key column keeps the chat's code (chat:ZCMLY634:…)
				expect(lines.some(l => /^key +count +\+\/-$/.test(l))).toBe(true);
				expect(lines.filter(l => l.trim() !== '').at(-1)).toMatch(/a add/);
				// every row of the table is one key (a wrapped row would leave a line without one)
				const header = lines.findIndex(l => l.startsWith('key '));
				const rows = lines.slice(header + 1).filter(l => l.trim() !== '' && !l.startsWith('total') && !l.includes('a add'));
				for (const row of rows) expect(row).toMatch(/^chat:\S+ +(\* +)?(\d+|gone)/);
				return lines;
			};
			check();
			// no key pressed from here on: the writer's changes show by themselves
			await writer.zadd('chat:ZCMLY634:messages', 3, 'c', 4, 'd', 5, 'e');
			await run.waitForText(/chat:ZCMLY634\S* +5 +\+3/);
			check();
			await writer.zadd('chat:NEW1:messages', 1, 'x');
			// a key that just appeared carries the narrow pane's new mark
			await run.waitForText(/chat:NEW1:messages +\* +1/);
			const lines = check();
			expect(lines.find(l => l.startsWith('total'))).toMatch(/total \(3 keys\) +7/);
			run.press('q');
			expect((await run.waitForExit()).exitCode).toBe(0);
		} finally {
			run.kill('SIGKILL');
		}
	});
});
