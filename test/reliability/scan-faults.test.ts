// Issue 7 against the Keys tab (bundled console, real pty, private redis-server):
//  1  Redis killed (SIGKILL) during a key scan: shown down with the retry delay, the scan stops
//     cleanly and starts over when Redis is back; no unhandled error.
//  6  SCAN while keys are added and removed all the time: no crash, no key twice on screen, the
//     console still answers keys.
import fs from 'node:fs';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliEnv} from '../helpers/health-env.js';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {binPath} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let server: RedisServerHandle;
let sqlite: TempSqlite;
const pause = (ms = 100) => new Promise(resolve => setTimeout(resolve, ms));

beforeAll(async () => {
	server = await startRedis({args: ['--enable-debug-command', 'local']});
	sqlite = tempSqlite();
});
afterAll(async () => {
	await server.stop();
	sqlite.cleanup();
});

function console_(cols = 100, rows = 24) {
	const env = cliEnv({REDIS_URL: server.url, SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: `${sqlite.dir}/audit.log`});
	return runPty('node', [binPath], {cols, rows, env, cwd: sqlite.dir});
}

describe('key scan under faults', () => {
	it('case 1: Redis killed mid-scan → down with the retry delay; starts over when back', async () => {
		// what the server holds when it comes back: 1,000 small keys in an RDB file it loads at
		// start, so they are there before its first answer (keys added after the restart raced the
		// console's next try: under load it scanned the empty server first and showed 0 keys)
		const admin = new Redis(server.url);
		await admin.call('DEBUG', 'POPULATE', '1000', 'small');
		await admin.call('SAVE');
		fs.copyFileSync(path.join(server.dir, 'dump.rdb'), path.join(server.dir, 'small.rdb'));
		await admin.flushall();
		await admin.call('DEBUG', 'POPULATE', '1000000', 'big');
		admin.disconnect();
		const run = console_();
		await run.waitForText('1 Status', 15_000);
		await pause(300);
		run.press('2');
		await run.waitForText(/scanned [\d,]+ of 1,000,000 · scanning/, 15_000);
		await server.kill();
		await run.waitForText(/error: .*next try in/, 10_000);
		expect(run.exit).toBeUndefined();

		fs.copyFileSync(path.join(server.dir, 'small.rdb'), path.join(server.dir, 'dump.rdb'));
		await server.restart();
		// the scan starts over by itself and finishes on what is there now
		await run.waitForText(/1,000 keys · .*done/, 20_000);
		expect(run.screen()).toMatch(/small:\d+/);
		run.press('q');
		expect((await run.waitForExit(10_000)).exitCode).toBe(0);
		expect(run.rawOutput()).not.toMatch(/Unhandled|TypeError|at .*\.js:\d+/);
	});

	it('case 6: keys added and removed during the scan: no duplicates on screen, keys still answered', async () => {
		const admin = new Redis(server.url);
		await admin.flushall();
		await admin.call('DEBUG', 'POPULATE', '100000', 'stable');
		// a churner adds and removes keys in bulk while the console scans: 2,000 added and 2,000
		// removed every ~50 ms (without the pause it took a whole core for the test's length)
		let churning = true;
		let round = 0;
		const churn = (async () => {
			const writer = new Redis(server.url);
			while (churning) {
				const pipeline = writer.pipeline();
				for (let i = 0; i < 2000; i++) pipeline.set(`churn:${round}:${i}`, 'x');
				if (round > 0) for (let i = 0; i < 2000; i++) pipeline.del(`churn:${round - 1}:${i}`);
				await pipeline.exec();
				round++;
				await pause(50);
			}
			writer.disconnect();
		})();
		try {
			const run = console_(100, 40);
			await run.waitForText('1 Status', 15_000);
			await pause(300);
			run.press('2');
			const roundAtScan = round;
			await run.waitForText(/keys · (scanned|done)/, 15_000);
			// the console answers while it scans: move down and open the help
			run.press('j');
			await pause();
			run.press('?');
			await run.waitForText('Esc or ? closes this help', 5000);
			run.press('\u001b');
			await run.waitForNoText('closes this help', 5000);
			await run.waitForText(/· done/, 30_000);
			// the keys did change under the scan
			expect(round - roundAtScan, "churn rounds during the scan").toBeGreaterThanOrEqual(3);
			// page through the list: no key twice on a screen, and none on two pages (consecutive
			// windows may overlap only where the list ends)
			const order: string[] = [];
			let previous: string[] = [];
			// the screen once it has settled (a frame can reach the terminal in more than one chunk,
			// and one read half-way through would see the old rows below the new ones)
			const settledScreen = async () => {
				let last = '';
				for (;;) {
					await run.flush();
					const now = run.lines().join('\n');
					if (now === last) return run.lines();
					last = now;
					await pause(40);
				}
			};
			for (let page = 0; page < 20; page++) {
				const screen = (await settledScreen()).slice(3, -1).map(line => /^\s*((?:stable|churn):[\w:]+)/.exec(line)?.[1]).filter((k): k is string => k !== undefined);
				expect(new Set(screen).size).toBe(screen.length);
				const overlap = previous.findIndex(k => k === screen[0]);
				order.push(...(overlap >= 0 ? screen.slice(previous.length - overlap) : screen));
				previous = screen;
				run.press('\u001b[6~');
				await pause(60);
			}
			expect(order.length).toBeGreaterThan(100);
			expect(new Set(order).size).toBe(order.length);
			run.press('q');
			expect((await run.waitForExit(10_000)).exitCode).toBe(0);
		} finally {
			churning = false;
			await churn;
			admin.disconnect();
		}
	});
});
