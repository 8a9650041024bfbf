// `opsdeck logs` (issue 18), the built CLI with no terminal: the last lines of the big log (-n N,
// -n50, -n=50, --lines), --grep over it counting what grep -c counts, --level, --since, sources by
// name from LOG_FILES globs, a line over 64 KB cut with its length, hostile bytes printed escaped
// (text and JSON), --follow through the three rotations with a writer at 10,000 lines/s, a journal
// source (journalctl output replayed, systemd not running here), and the errors. Needs `npm run build`.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bigLog, suiteBigLogMb, tailLines} from '../helpers/big-log.js';
import {bundledBin, cliEnv, requireBuild, runCli, startCli} from '../helpers/health-env.js';
import {logDir, seqOf, startLogWriter} from '../helpers/log-writer.js';
import {stubTools} from '../helpers/stub-tools.js';
import {grepCount, trickyLog} from '../helpers/tricky-log.js';
import {sleep, waitFor} from '../helpers/wait.js';

let dir: string;
const big = bigLog(suiteBigLogMb);
// the tsc build (its modules as tsc wrote them), beside the bundle users run
const tscBin = path.resolve('build/bin.js');

beforeAll(() => {
	requireBuild();
	requireBuild(tscBin);
	dir = logDir('opsdeck-logs-cmd-');
	fs.mkdirSync(path.join(dir, 'logs'));
	fs.writeFileSync(path.join(dir, 'logs', 'app.log'), [
		'2024-05-01T09:00:00Z INFO  started',
		'2024-05-01T09:30:00Z ERROR db timeout',
		'2024-05-01T10:00:00Z WARN  slow query',
		'{"level":"error","time":"2024-05-01T10:30:00Z","msg":"cache down"}',
		'2024-05-01T11:00:00Z INFO  ok',
	].join('\n') + '\n');
	fs.writeFileSync(path.join(dir, 'logs', 'worker.log'), 'worker line\n');
});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const run = (args: string[], env: Record<string, string> = {}) => runCli(['logs', ...args], {env: cliEnv({LOG_FILES: './logs/*.log', ...env}), cwd: dir});

describe('opsdeck logs', () => {
	it(`the last 50 lines of the ${suiteBigLogMb} MB log by default`, async () => {
		const r = await run([big]);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toBe(tailLines.join('\n') + '\n');
	});

	it.each([['-n', '3'], ['-n3'], ['-n=3'], ['--lines', '3'], ['--lines=3']])('the last 3: %s', async (...flags) => {
		const r = await run([big, ...flags]);
		expect(r.stderr).toBe('');
		expect(r.stdout).toBe(tailLines.slice(-3).join('\n') + '\n');
	});

	it('--grep over the big log prints as many lines as grep -c counts; --json lines', async () => {
		const pattern = 'status=5[0-9][0-9] ms=1';
		const expected = Number(execFileSync('grep', ['-c', pattern, big], {encoding: 'utf8'}).trim());
		const r = await run([big, '--grep', pattern, '--json']);
		expect(r.code).toBe(0);
		const lines = r.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {source: string; line: string; offset: number; level: string; time: string; cut: boolean});
		expect(lines).toHaveLength(expected);
		expect(lines[0]).toMatchObject({source: path.basename(big), level: 'info', cut: false, time: expect.stringMatching(/^2024-05-01T/)});
		for (const line of lines) expect(line.line).toMatch(/status=5\d\d ms=1/);
	}, 60_000);

	it('--count prints what grep -c prints, with or without --json; not with --follow or -n', async () => {
		const pattern = 'status=5[0-9][0-9] ms=1';
		const expected = Number(execFileSync('grep', ['-c', pattern, big], {encoding: 'utf8'}).trim());
		const r = await run([big, '--grep', pattern, '--count']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toBe(`${expected}\n`);
		const json = await run([big, '--grep', pattern, '--count', '--json']);
		expect(JSON.parse(json.stdout)).toEqual({source: path.basename(big), count: expected});
		const refused = await run([big, '--grep', pattern, '--count', '-n', '5']);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/^opsdeck: --count counts every line that passes: not with --follow or -n/);
		expect(refused.stdout).toBe('');
	}, 60_000);

	it('--count over 40 MB of every kind of line, in two threads (blocks of 16 MB), in the tsc build and the bundle: grep -c\'s count; the worker ran in both', async () => {
		const tricky = path.join(dir, 'tricky.log');
		// lines over 64 KB hold most of the bytes, so the block starts fall inside them
		fs.writeFileSync(tricky, trickyLog(4800));
		expect(fs.statSync(tricky).size).toBeGreaterThan(40 * 2 ** 20);
		// the child reports when its count worker posted `done`: the second thread ran to its end (the
		// bundle's worker used to be its own script, which does nothing when run as a file: one thread
		// counted everything, at half the speed, and the count was still right)
		const watched = cliEnv({NODE_OPTIONS: `--require ${path.resolve('test/helpers/count-worker-watch.cjs')}`});
		for (const [grep, grepArgs] of [['status=5\\d\\d', ['-E', 'status=5[0-9][0-9]']], ['Zo. 日本', ['Zo. 日本']], ['', ['']]] as const) {
			const expected = grepCount(grepArgs, tricky);
			for (const bin of [tscBin, bundledBin]) {
				const r = await runCli(['logs', tricky, ...(grep ? ['--grep', grep] : []), '--count'], {env: watched, cwd: dir, bin});
				expect(r.stderr, bin).toMatch(/^count worker: \d+ blocks counted, done\n$/);
				expect(r.stdout).toBe(`${expected}\n`);
			}
		}
		// where grep -c differs (CRLF lines: opsdeck's line is the text without its CR, grep's keeps it),
		// the count is the listing's: the lines the regex finds in that text
		const lines = fs.readFileSync(tricky, 'latin1').split('\n');
		if (lines.at(-1) === '') lines.pop();
		for (const grep of ['CRLF 5\\d\\d ms=\\d+$', '^$']) {
			const regex = new RegExp(grep);
			const expected = lines.filter(line => regex.test(line.replace(/\r$/, ''))).length;
			const r = await runCli(['logs', tricky, '--grep', grep, '--count'], {env: cliEnv({}), cwd: dir, bin: bundledBin});
			expect(r.stderr).toBe('');
			expect(r.stdout).toBe(`${expected}\n`);
		}
	}, 60_000);

	it('the first source of LOG_FILES by default; another by name; --level; --since; -n with a filter', async () => {
		expect((await run(['-n', '1'])).stdout).toBe('2024-05-01T11:00:00Z INFO  ok\n');
		expect((await run(['worker.log'])).stdout).toBe('worker line\n');
		expect((await run(['--level', 'error'])).stdout).toBe('2024-05-01T09:30:00Z ERROR db timeout\n{"level":"error","time":"2024-05-01T10:30:00Z","msg":"cache down"}\n');
		expect((await run(['--level', 'warn', '-n', '2'])).stdout).toBe('2024-05-01T10:00:00Z WARN  slow query\n{"level":"error","time":"2024-05-01T10:30:00Z","msg":"cache down"}\n');
		expect((await run(['--since', '2024-05-01T10:00Z'])).stdout).toBe('2024-05-01T10:00:00Z WARN  slow query\n{"level":"error","time":"2024-05-01T10:30:00Z","msg":"cache down"}\n2024-05-01T11:00:00Z INFO  ok\n');
		expect((await run(['--since', '2024-05-01T10:00Z', '--grep', 'o{2}|slow'])).stdout).toBe('2024-05-01T10:00:00Z WARN  slow query\n');
	});

	it('a line over 64 KB is printed cut, with its length', async () => {
		const file = path.join(dir, 'long.txt');
		fs.writeFileSync(file, `short\n${'y'.repeat(100_000)}\n`);
		const r = await run([file]);
		const [first, second] = r.stdout.split('\n');
		expect(first).toBe('short');
		expect(second).toBe(`${'y'.repeat(65_536)} … [cut: 100,000 bytes, 98 KB]`);
	});

	it('hostile bytes in log lines are printed escaped, in text and in JSON', async () => {
		const file = path.join(dir, 'hostile.txt');
		fs.writeFileSync(file, 'ERROR \x1b]0;pwned\x07 title \x1b[2J clear \x9b31m csi \u202eevil\u202c bidi\tTab\r\n');
		const text = await run([file]);
		expect(text.stdout).toBe('ERROR \\x1b]0;pwned\\x07 title \\x1b[2J clear \\u009b31m csi \\u202eevil\\u202c bidi  Tab\n');
		const json = await run([file, '--json']);
		expect(json.stdout).not.toMatch(/[\x1b\x07\x9b\u202e]/);
		expect(JSON.parse(json.stdout).line).toBe('ERROR \x1b]0;pwned\x07 title \x1b[2J clear \x9b31m csi \u202eevil\u202c bidi\tTab');
	});

	it('errors: exit 2 for usage (unknown source, a bad regex, a bad --since, no timestamps, no sources), 1 for a file that cannot be read', async () => {
		const unknown = await run(['nope.log']);
		expect(unknown).toMatchObject({code: 2, stdout: ''});
		expect(unknown.stderr).toBe('opsdeck: no log source "nope.log" (and no such file): the sources are app.log, worker.log\n');
		expect((await run(['--grep', '(x'])).stderr).toBe('opsdeck: --grep is not a valid regular expression: /(x/: Unterminated group\n');
		expect(await run(['--grep', 'a', '--grep', 'b', '--count'])).toMatchObject({code: 2, stdout: '', stderr: 'opsdeck: --grep is given 2 times: give it once\n'});
		expect((await run(['--since', 'yesterday'])).code).toBe(2);
		expect((await run(['worker.log', '--since', '1h'])).stderr).toMatch(/^opsdeck: no timestamp found at the start of .*worker\.log: --since reads ISO 8601/);
		expect(await run([], {LOG_FILES: ''})).toMatchObject({code: 2, stderr: 'opsdeck: no log sources: set LOG_FILES (paths or globs, comma-separated) or LOG_UNIT, or name a file: opsdeck logs ./app.log\n'});
		expect((await run([], {LOG_FILES: './missing/*.log'})).stderr).toBe(`opsdeck: LOG_FILES ${path.join(dir, 'missing/*.log')} matches no file\n`);
		expect(await run([], {LOG_FILES: './gone.log'})).toMatchObject({code: 1, stderr: `opsdeck: cannot read ${path.join(dir, 'gone.log')}: no such file\n`});
	});

	it('a --grep that would backtrack for ever on a hostile line exits 2 with the rewrite, before reading; a bad flag is an error, not plain text', async () => {
		fs.writeFileSync(path.join(dir, 'r.log'), `x\n${'a'.repeat(40)}!\n`);
		expect(await run(['--grep', '(a+)+$'], {LOG_FILES: './r.log'})).toEqual({code: 2, stdout: '', stderr: 'opsdeck: --grep is refused: (a+)+ is a repeated group that itself repeats, which can take exponential time on a long line: rewrite it, e.g. (a+)+ → a+\n'});
		expect(await run(['--grep', '/x/zq'], {LOG_FILES: './r.log'})).toEqual({code: 2, stdout: '', stderr: 'opsdeck: --grep has an unknown regex flag in /x/zq: only i, s, u and v are taken (to match the text itself, write it without the first /)\n'});
		expect(await run(['--grep', 'a+!$'], {LOG_FILES: './r.log'})).toMatchObject({code: 0, stdout: `${'a'.repeat(40)}!\n`});
	});

	it('a journal source: journalctl -o json read (a stand-in replays systemd 252 output), hostile bytes escaped', async () => {
		const stubs = stubTools({journal: path.join(import.meta.dirname, '..', 'logs', 'fixtures', 'journal-chat.jsonl')});
		try {
			const r = await run(['journal:chat.service', '-n', '3', '--level', 'error'], {LOG_UNIT: 'chat.service', PATH: stubs.path});
			expect(r.code).toBe(0);
			expect(r.stdout.split('\n').map(line => line.slice(25))).toEqual([
				'node[812]: \\x1b[31mERROR\\x1b[0m redis connect ECONNREFUSED 127.0.0.1:6379 \\x1b]0;pwned\\x07',
				'node[812]: Error: connect ECONNREFUSED 127.0.0.1:5432',
				'node[9131]: {"level":50,"time":1714557610123,"pid":9131,"msg":"unhandled rejection"}',
				'',
			]);
		} finally {
			stubs.cleanup();
		}
	});
});

describe('opsdeck logs --follow', () => {
	it('a writer at 10,000 lines/s, the log renamed, copied and truncated, deleted and created again: every line once, in order', async () => {
		const log = path.join(dir, 'follow.log');
		fs.writeFileSync(log, 'before 1\nbefore 2\n');
		const cli = startCli(['logs', log, '-n', '1', '-f'], {env: cliEnv({}), cwd: dir});
		await waitFor(() => cli.out() === 'before 2\n', {timeout: 10_000});
		const total = 30_000;
		const writer = startLogWriter(log, {total});
		try {
			for (const how of ['rename', 'copytruncate', 'recreate'] as const) {
				await sleep(600);
				await writer.rotate(how);
			}
			expect(await writer.done).toBe(total);
			await waitFor(() => cli.out().split('\n').length >= total + 2, {timeout: 20_000});
			await sleep(300);
		} finally {
			writer.stop();
			cli.child.kill('SIGTERM');
		}
		expect(await cli.exit).toBe(0);
		const lines = cli.out().trimEnd().split('\n');
		expect(lines[0]).toBe('before 2');
		const seq = seqOf(lines.slice(1));
		const wrong = seq.findIndex((n, i) => n !== i);
		expect(wrong === -1 ? 'every line once, in order' : `line ${wrong}: seq=${seq[wrong]}`).toBe('every line once, in order');
		expect(seq).toHaveLength(total);
		expect(cli.err()).toBe([
			'opsdeck: follow.log was rotated (renamed); following the new file',
			'opsdeck: follow.log was truncated (copy-truncate); the lines not shown yet were read from follow.log.2',
			'opsdeck: follow.log was deleted and created again; following the new file',
			'',
		].join('\n'));
	}, 60_000);
});
