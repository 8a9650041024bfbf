// The Logs tab (7) as an operator drives it (issue 18): the bundled console in a real
// pseudo-terminal on a log file with a hostile line, at 80x24 and shrunk to 40x10: the escape
// sequences drawn as text (the terminal's screen is not cleared, its title not set), `/` with the
// match drawn on a coloured background, `e`, and every row within the pane. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runPty} from '../helpers/pty.js';

const bin = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
let dir: string;
let log: string;

beforeAll(() => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-logs-e2e-'));
	log = path.join(dir, 'app.log');
	const lines = Array.from({length: 60}, (_, i) => `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z INFO  request ${i} ok`);
	lines.push('2024-05-01T10:01:00Z ERROR db timeout \u001b[2J\u001b]0;owned\u0007 after 5000ms');
	lines.push('2024-05-01T10:01:01Z WARN  slow request 1240ms');
	fs.writeFileSync(log, lines.join('\n') + '\n');
});

afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

const pause = () => new Promise(resolve => setTimeout(resolve, 80));

describe('Logs tab in a terminal', () => {
	it('draws hostile bytes escaped, marks a match, keeps errors, and fits 80x24 and 40x10', async () => {
		const run = runPty('node', [bin], {
			cols: 80,
			rows: 24,
			cwd: dir,
			env: {...process.env, LOG_FILES: log, REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: path.join(dir, 'x.db'), OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log'), APP_SERVICE: undefined, LOG_UNIT: undefined},
		});
		try {
			await run.waitForText('1 Status', 20_000);
			run.press('7');
			await run.waitForText('WARN  slow request 1240ms', 15_000);
			expect(run.screen()).toContain('ERROR db timeout \\x1b[2J\\x1b]0;owned\\x07 after 5000ms');
			expect(run.rawOutput()).not.toContain('\u001b]0;owned');
			expect(run.wrappedRows()).toEqual([]);

			run.press('/');
			await run.waitForText('filter (text, or /regex/):');
			await pause();
			for (const ch of 'timeout') {
				run.press(ch);
				await pause();
			}
			run.press('\r');
			await run.waitForText('only "timeout"');
			await run.waitForNoText('request 59 ok');
			// the match on a background colour (SGR 4x), the rest of the line not
			await run.waitForText('after 5000ms');
			expect(run.rawOutput()).toMatch(/\u001b\[(?:30;)?4\dm(?:\u001b\[30m)?timeout/);

			run.press('\x1b');
			await run.waitForText('request 59 ok');
			run.press('e');
			await run.waitForText('errors only');
			await run.waitForNoText('request 59 ok');
			await run.waitForText('ERROR db timeout');
			expect(run.screen()).not.toContain('WARN  slow');

			run.resize(40, 10);
			await run.waitForText(/app\.log · read/);
			await run.flush();
			expect(run.wrappedRows()).toEqual([]);
			for (const line of run.lines()) expect(line.length).toBeLessThanOrEqual(40);
			expect(run.screen()).toMatch(/ERROR db timeout/);
			expect(run.screen()).toContain('? help');
		} finally {
			run.kill('SIGKILL');
		}
	}, 60_000);
});
