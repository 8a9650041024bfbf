// The hostile tester's console hangs, in a real terminal on the bundle users run: a `/` regex that
// backtracks on a 20,000-character line (`.*A.*A.*X`, `A*A*A*A*A*X`, `\w*\w*\w*\w*X`) held the
// console at 100% CPU with q, Ctrl-C and SIGTERM ignored (V8's linear-time fallback now takes those
// over: regexp-fallback.ts); LOG_FILES naming a FIFO left the tab "reading…" for ever and q never
// exited (blocked in open()). Needs `npm run build`.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tabs} from '../../source/console/app.js';
import {cliEnv, requireBuild} from '../helpers/health-env.js';
import {keys, runPty} from '../helpers/pty.js';

const bin = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
const logsKey = String(tabs.findIndex(t => t.id === 'logs') + 1);
let dir: string;

beforeAll(() => {
	requireBuild(bin);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-logs-pty-'));
	// the required X is there (a prefilter does not skip the line), the match is not
	fs.writeFileSync(path.join(dir, 'long.log'), `2024-05-01T10:00:00Z INFO first\nX${'A'.repeat(20_000)}\n2024-05-01T10:00:01Z INFO last one\n`);
	execFileSync('mkfifo', [path.join(dir, 'pipe.log')]);
});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const console = (logFiles: string) =>
	runPty('node', [bin], {cols: 120, rows: 30, cwd: dir, env: cliEnv({REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: path.join(dir, 'x.db'), OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log'), LOG_FILES: logFiles})});

describe('Logs tab in a terminal', () => {
	it('a backtracking / regex on a 20,000-character line: the console keeps answering, Esc clears it, q quits', async () => {
		const run = console(path.join(dir, 'long.log'));
		await run.waitForText('1 Status', 15_000);
		run.press(logsKey);
		await run.waitForText('INFO last one', 10_000);
		// `a` switches between only the matching lines and every line with the matches marked (it stays
		// as it is from one filter to the next): each pattern is drawn both ways
		let only = true;
		for (const pattern of ['/.*A.*A.*X/', '/A*A*A*A*A*X/', '/\\w*\\w*\\w*\\w*X/']) {
			const matchesLong = pattern !== '/.*A.*A.*X/';
			run.press('/');
			await run.waitForText('filter (text, or /regex/)', 5000);
			run.press(pattern);
			run.press(keys.enter);
			for (let i = 0; i < 2; i++) {
				await run.waitForText(`${only ? 'only' : 'marked'} ${pattern}`, 10_000);
				// only: the long line when it matches, never the others; marked: every line
				if (only) await run.waitForText(matchesLong ? /^XAAAAAAAA/m : 'no lines', 10_000);
				else await run.waitForText(/INFO first[^]*XAAAAAAAA[^]*INFO last one/, 10_000);
				if (only) await run.waitForNoText(/INFO (first|last one)/, 10_000);
				if (i === 0) {
					run.press('a');
					only = !only;
				}
			}
			run.press(keys.escape);
			await run.waitForNoText(pattern, 10_000);
		}
		run.press('q');
		expect((await run.waitForExit(10_000)).exitCode).toBe(0);
	});

	it('LOG_FILES naming a FIFO: refused as not a regular file at once (no open() that blocks), q quits', async () => {
		const run = console(path.join(dir, 'pipe.log'));
		await run.waitForText('1 Status', 15_000);
		run.press(logsKey);
		await run.waitForText(`${path.join(dir, 'pipe.log')} is not a regular file`, 10_000);
		run.press('q');
		expect((await run.waitForExit(10_000)).exitCode).toBe(0);
	});
});
