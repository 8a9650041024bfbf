// `opsdeck logs` against the hostile tester's inputs, the built CLI with no terminal: --grep with a
// regex that backtracks on a 20,000-character line (`.*A.*A.*X` ran over 60 s) finishes in seconds
// (V8's linear-time fallback, set by regexp-fallback.ts just before a --grep pattern is compiled); one the fallback cannot take is refused
// in one line; LOG_FILES naming a FIFO (open() blocked for ever) is refused like a folder. Needs `npm run build`.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';

let dir: string;

beforeAll(() => {
	requireBuild();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-logs-hostile-'));
	// the required X is there (the literal prefilter does not skip the line), a match is not for the first
	fs.writeFileSync(path.join(dir, 'long.log'), `2024-05-01T10:00:00Z INFO first\nX${'A'.repeat(20_000)}\n2024-05-01T10:00:01Z INFO last\n`);
	execFileSync('mkfifo', [path.join(dir, 'pipe.log')]);
});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const run = (args: string[], env: Record<string, string> = {}) => runCli(['logs', ...args], {env: cliEnv(env), cwd: dir});

describe('opsdeck logs, hostile input', () => {
	it.each([
		['.*A.*A.*X', '0'],
		['A*A*A*A*A*X', '1'],
		['\\w*\\w*\\w*\\w*X', '1'],
	])('--grep %s --count on a 20,000-character line finishes within seconds', async (grep, count) => {
		const started = Date.now();
		const r = await run(['long.log', '--grep', grep, '--count']);
		expect(r.stderr).toBe('');
		expect(r.stdout).toBe(`${count}\n`);
		expect(Date.now() - started).toBeLessThan(15_000);
	}, 30_000);

	it('a pattern the linear-time engine cannot take over is refused in one line (exit 2)', async () => {
		const r = await run(['long.log', '--grep', '/.*A.*A.*X/i', '--count']);
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/^opsdeck: --grep is refused: the i flag keeps V8's linear-time fallback from taking over a pattern with 3 repeats.*\n$/);
	});

	it.each([[['-n', '2']], [['--grep', 'x', '--count']], [['--grep', 'x']], [['-f']]])('LOG_FILES naming a FIFO: "not a regular file" at once, exit 1 (%j)', async args => {
		const started = Date.now();
		const r = await run(args, {LOG_FILES: path.join(dir, 'pipe.log')});
		expect(r.stderr).toBe(`opsdeck: cannot read ${path.join(dir, 'pipe.log')}: not a regular file\n`);
		expect(r.code).toBe(1);
		expect(Date.now() - started).toBeLessThan(10_000);
	}, 20_000);
});
