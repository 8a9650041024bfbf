// Issue 16, point 1, in a real terminal: the cursor rests on one key while a writer adds keys that
// sort before and after it and the scan grows the list and sorts it when it ends; Enter opens the
// key that is highlighted, the one the operator put the cursor on.
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/chat-fixtures.js';
import {keys, runPty, type PtyRun} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {binPath} from '../helpers/run-cli.js';
import {sleep, waitFor} from '../helpers/wait.js';

let server: RedisServerHandle;
let direct: Redis;
let cwd: string;

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	// enough keys, read 2 at a time, for a scan that lasts seconds
	for (let block = 0; block < 4; block++) {
		const p = direct.pipeline();
		for (let i = block * 5000; i < (block + 1) * 5000; i++) {
			const key = `m:${String(i).padStart(5, '0')}`;
			p.set(key, `value of ${key}`);
		}
		await p.exec();
	}
	cwd = tempDir();
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

function start(): PtyRun {
	const args = [binPath, '--redis-url', server.url, '--database-url', 'postgres://127.0.0.1:1/none', '--audit-log', path.join(cwd, 'audit.log')];
	return runPty(process.execPath, args, {cols: 80, rows: 24, cwd, env: {...process.env, SCAN_COUNT: '2'}});
}

/** The key on the highlighted row of the table (the tab bar's active tab is inverse too: row 0). */
function highlightedKey(run: PtyRun): string | undefined {
	const rows = run.inverseLines().filter(line => !line.includes('opsdeck'));
	return rows.length === 1 ? rows[0]!.trim().split(/\s+/)[0] : undefined;
}

describe('Keys cursor by identity in a terminal', () => {
	it('keys streamed in before and after the highlighted key, the list sorted under it: Enter opens the highlighted key', async () => {
		const run = start();
		let writing = true;
		let written = 0;
		const writer = (async () => {
			while (writing) {
				// one that sorts before every m: key, one after
				await direct.set(`a:${String(written).padStart(5, '0')}`, 'early');
				await direct.set(`z:${String(written).padStart(5, '0')}`, 'late');
				written++;
				await sleep(5);
			}
		})();
		try {
			await run.waitForText('Status');
			run.press('2');
			// ten keys or more on screen (two digits), enough to move three rows down
			await run.waitForText(/[1-9][\d,]*\d keys .*scanning…/, 15_000);
			// stop the scan while the cursor is placed: on a loaded machine a running scan could end
			// (and sort the list) before the three moves are drawn, and the highlight is then elsewhere
			run.press('s');
			await run.waitForText(/[1-9][\d,]*\d keys .*stopped/, 15_000);
			// rest on the fourth row, keys sent apart as a person types
			for (let i = 0; i < 3; i++) {
				await sleep(150);
				run.press('j');
			}
			// drawn on the fourth row of the table (tab bar, status line, header, rows): all three
			// moves were handled and drawn, on a machine as slow as it may be
			await waitFor(async () => {
				await run.flush();
				return run.lines().indexOf(run.inverseLines().find(line => !line.includes('opsdeck')) ?? '\u0000') === 6;
			}, {timeout: 15_000, message: 'the highlight on the fourth row'});
			const chosen = highlightedKey(run);
			expect(chosen).toMatch(/^[amz]:\d{5}$/);
			// chosen while the list is in SCAN order and not finished: the sort comes later
			expect(run.screen()).toContain('stopped');
			run.press('s');
			await run.waitForText(/keys .*(scanning…|· done)/, 15_000);

			// the scan goes on, the writer adds keys above and below; the list ends sorted
			// done: the state, or the row range the header shows only once the scan is done (it may cut the state)
			await run.waitForText(/keys · .*(· done|· rows [\d,]+–)/, 60_000);
			writing = false;
			await writer;
			expect(written).toBeGreaterThan(10);
			// the sorted list drawn (under load a frame may come late): the highlight is on the same key
			await waitFor(async () => {
				await run.flush();
				return highlightedKey(run) === chosen;
			}, {timeout: 10_000, message: `the highlight on ${chosen}`}).catch(() => undefined);
			expect(highlightedKey(run)).toBe(chosen);

			run.press(keys.enter);
			await run.waitForText(/^(value of m:\d{5}|early|late)$/m, 10_000);
			const title = run.lines()[1]!.trim();
			expect(title).toBe(chosen);
			const value = chosen!.startsWith('a:') ? 'early' : chosen!.startsWith('z:') ? 'late' : `value of ${chosen!}`;
			expect(run.screen()).toContain(value);

			run.press('q');
			expect((await run.waitForExit()).exitCode).toBe(0);
		} finally {
			writing = false;
			await writer;
			run.kill('SIGKILL');
		}
	}, 90_000);
});
