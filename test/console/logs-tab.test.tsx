// Issue 18: the Logs tab (7) in the console frame, on real files and a real supervised process: the
// first screen of the suite's big log without reading the file (the header says how much was read),
// following a writer through a rename rotation, `/` and `e`, hostile bytes drawn escaped, a line
// over 64 KB cut with its byte count, a backtracking regex refused, `S` refused read-only and run with the word (a new pid, the
// audit log), the app process card on the Status tab, what to set when nothing is configured, and
// the tab at 80x24 and 40x10.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createBackends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {App, tabs} from '../../source/console/app.js';
import {readAudit} from '../../source/mutations/registry.js';
import {startSupervised, type Supervised} from '../helpers/app-supervisor.js';
import {bigLog, suiteBigLogMb, tailLines} from '../helpers/big-log.js';
import {startLogWriter, type LogWriter} from '../helpers/log-writer.js';
import {freePort} from '../helpers/ports.js';
import {keys, render, stripAnsi} from '../helpers/render.js';

const logsKey = String(tabs.findIndex(t => t.id === 'logs') + 1);
let dir: string;
let supervised: Supervised;
const writers: LogWriter[] = [];

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-logs-tab-'));
	supervised = startSupervised(dir, await freePort());
	await supervised.ready();
});

afterAll(async () => {
	await supervised.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

afterEach(() => {
	for (const writer of writers.splice(0)) writer.stop();
});

const auditLog = () => path.join(dir, 'audit.log');

async function start(env: Record<string, string>, {pane = {columns: 100, rows: 30}, readOnly = false, tab = logsKey} = {}) {
	const config = loadConfig({env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: path.join(dir, 'x.db'), POLL_INTERVAL_MS: '250', ...env}, flags: {auditLog: auditLog(), ...(readOnly ? {readOnly: true} : {})}, cwd: dir});
	const app = render(<App backends={createBackends(config)} startOnMount={false} />);
	Object.defineProperty(app.stdout, 'columns', {value: pane.columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: pane.rows, configurable: true});
	app.stdout.emit('resize');
	await app.waitFor('Status');
	if (tab) await app.press(tab);
	return app;
}

function logFile(name: string, lines: readonly string[]): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, lines.join('\n') + '\n');
	return file;
}

const kb = (text: string) => {
	const [, n, unit] = /read ([\d.]+) (B|KB|MB|GB) of/.exec(text) ?? [];
	return Number(n) * ({B: 1 / 1024, KB: 1, MB: 1024, GB: 1024 * 1024}[unit as 'KB'] ?? Number.NaN);
};

describe('Logs tab', () => {
	it(`the first screen of the ${suiteBigLogMb} MB log at once, a few KB read from its end`, async () => {
		const app = await start({LOG_FILES: bigLog(suiteBigLogMb)});
		const screen = await app.waitFor(tailLines.at(-1)!);
		expect(screen).toContain(tailLines.at(-2));
		expect(screen).toMatch(/read [\d.]+ KB of \d+ MB/);
		expect(kb(screen)).toBeLessThanOrEqual(256);
		// PgUp reads the page above (and no more than a page or two of the file)
		await app.press(keys.pageUp, keys.pageUp);
		const up = await app.waitFor(s => !s.includes('tail line 30') && !s.includes('tail line 49'));
		expect(kb(up)).toBeLessThanOrEqual(1024);
	});

	it('paging up to the first line: "read X of Y" never says more than the file holds (the pages overlap)', async () => {
		// 30 KB: the first page reads it all in one block; the pages above read parts of it again
		const log = logFile('pages.log', Array.from({length: 600}, (_, i) => `2024-05-01T10:00:00Z INFO page line ${i} ${'x'.repeat(20)}`));
		const size = fs.statSync(log).size;
		const app = await start({LOG_FILES: log});
		await app.waitFor('page line 599');
		// g: the oldest line read, and a page more read above it
		for (let i = 0; i < 10 && !app.screen().includes('page line 0 '); i++) {
			await app.press('g');
			await app.waitFor(s => !s.includes('reading further up'));
		}
		const top = await app.waitFor('page line 0 ');
		const [, read, of] = /read (\S+ \S+) of (\S+ \S+)/.exec(top) ?? [];
		expect(of).toBe(`${(size / 1024).toFixed(0)} KB`);
		expect(read).toBe(of);
	});

	it('f follows a writer and keeps going through a rename rotation', async () => {
		const log = path.join(dir, 'live.log');
		fs.writeFileSync(log, 'seq=-1 before following\n');
		const writer = startLogWriter(log, {rate: 400, total: 4000});
		writers.push(writer);
		// (killed after the test: its exit is not a failure)
		writer.done.catch(() => undefined);
		const app = await start({LOG_FILES: log});
		await app.waitFor('live.log');
		await writer.ready;
		await app.press('f');
		await app.waitFor(/following \d+ lines\/s/);
		await app.waitFor(/seq=\d+ /);
		await writer.rotate('rename');
		const seqAfter = () => Math.max(...[...app.screen().matchAll(/seq=(\d+) /g)].map(m => Number(m[1])));
		const at = seqAfter();
		await app.waitFor(() => seqAfter() > at + 400, 10_000);
		await app.waitFor(/following [1-9][\d,]* lines\/s/);
		// the lines on screen are consecutive: none lost or doubled across the rotation
		const seqs = [...app.screen().matchAll(/seq=(\d+) /g)].map(m => Number(m[1]));
		expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
		expect(fs.existsSync(`${log}.1`)).toBe(true);
	}, 30_000);

	it('/ keeps the lines with the text (marked), Esc clears it, e keeps errors only', async () => {
		const log = logFile('mixed.log', [
			'2024-05-01T10:00:00Z INFO  request ok',
			'2024-05-01T10:00:01Z ERROR db timeout after 5000ms',
			'{"level":"warn","msg":"slow Timeout ahead"}',
			'2024-05-01T10:00:02Z INFO  request ok again',
			'level=error msg="redis refused"',
		]);
		const app = await start({LOG_FILES: log});
		await app.waitFor('redis refused');
		await app.press('/');
		await app.type('timeout');
		await app.press(keys.enter);
		const filtered = await app.waitFor(s => s.includes('only "timeout"') && s.includes('slow Timeout') && !s.includes('request ok'));
		expect(filtered).toContain('db timeout after 5000ms');
		expect(filtered).toContain('slow Timeout ahead');
		expect(filtered).not.toContain('request ok');
		// (the marks' colours: log-rows.test.ts and the pty test)
		await app.press(keys.escape);
		await app.waitFor('request ok again');
		await app.press('e');
		const errors = await app.waitFor(s => s.includes('errors only') && s.includes('redis refused') && !s.includes('request ok'));
		expect(errors).toContain('db timeout after 5000ms');
		expect(errors).toContain('redis refused');
		expect(errors).not.toContain('request ok');
		expect(errors).not.toContain('slow Timeout');
		await app.press('e');
		await app.waitFor('request ok again');
	});

	it('N finds the previous match above what was read (a page more read), n the next one; a marks the matches among every line', async () => {
		const log = logFile('needles.log', Array.from({length: 2000}, (_, i) => `2024-05-01T10:00:00Z INFO line ${i}${i === 10 || i === 1990 ? ' needle here' : ''}`));
		const app = await start({LOG_FILES: log});
		await app.waitFor('INFO line 1999');
		await app.press('/');
		await app.type('needle');
		await app.press(keys.enter);
		await app.waitFor(s => s.includes('only "needle"') && s.includes('line 10 needle') && !s.includes('line 1999'));
		await app.press('a');
		await app.waitFor(s => s.includes('marked "needle"') && s.includes('INFO line 1999'));
		// the newest match is on screen: N makes it the current one (drawn bold), nothing scrolls
		await app.press('N');
		// line 10 was not read yet: N reads the pages above until it meets it, and shows it
		await app.press('N');
		const found = await app.waitFor('line 10 needle here');
		expect(found).not.toContain('line 1990');
		await app.press('n');
		await app.waitFor(s => s.includes('line 1990 needle'));
	});

	it('a file truncated in place (copytruncate) while shown: paging up reloads it from its new end and says so, the header has its real size', async () => {
		const log = logFile('shrinks.log', Array.from({length: 60_000}, (_, i) => `2024-05-01T10:00:00Z INFO line ${i} ok`));
		const app = await start({LOG_FILES: log});
		await app.waitFor(s => s.includes('INFO line 59999 ok') && /read [\d.]+ KB of 2\.\d MB/.test(s));
		fs.truncateSync(log, 3000);
		// g reads the page above: offsets of the 2 MB file mean nothing in a 3 KB one (a half line was glued on)
		for (let i = 0; i < 3; i++) await app.press('g');
		await app.waitFor('shrinks.log: file truncated: reloaded', 10_000);
		const screen = await app.waitFor(s => s.includes('read 2.9 KB of 2.9 KB') && /INFO line \d+ ok/.test(s), 10_000);
		expect(screen).not.toContain('line 59999');
		// the lines are the file's: each one whole, in order, up to the cut
		const shown = [...screen.matchAll(/INFO line (\d+) ok/g)].map(m => Number(m[1]));
		expect(shown.length).toBeGreaterThan(5);
		expect(shown).toEqual(shown.map((_, i) => shown[0]! + i));
	});

	it('N in every-lines view reads older pages until it meets the match far up (not "no older match" after a few pages); Esc stops a search; "no older match" only once the file\'s start is reached', async () => {
		const log = logFile('far.log', Array.from({length: 100_000}, (_, i) => `2024-05-01T10:00:00Z INFO line ${i} ok`));
		const app = await start({LOG_FILES: log});
		await app.waitFor('INFO line 99999 ok');
		await app.press('/');
		await app.type('line 12345 ');
		await app.press(keys.enter);
		await app.waitFor(s => s.includes('only "line 12345 "') && s.includes('INFO line 12345 ok'));
		await app.press('a');
		await app.waitFor(s => s.includes('marked "line 12345 "') && s.includes('INFO line 99999 ok'));
		await app.press('N');
		const found = await app.waitFor(s => s.includes('INFO line 12345 ok') || s.includes('no older match'), 60_000);
		expect(found).not.toContain('no older match');
		expect(found).toContain('INFO line 12345 ok');

		// a text no line has: N searches up to the start; Esc stops it half-way
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('line 12345 "'));
		await app.press('/');
		await app.type('nowhere');
		await app.press(keys.enter);
		// (still every line: `a` holds from one filter to the next; r reads the end again)
		await app.waitFor('marked "nowhere"');
		await app.press('r');
		await app.waitFor(s => s.includes('marked "nowhere"') && s.includes('INFO line 99999 ok') && /read [\d.]+ KB of 3\.8 MB/.test(s));
		await app.press('N');
		await app.waitFor('searching older lines for a match (Esc stops)');
		await app.press(keys.escape);
		const stopped = await app.waitFor('stopped searching older lines');
		expect(stopped).toContain('marked "nowhere"');
		expect(stopped).not.toContain('no older match');
		await app.press('N');
		const end = await app.waitFor(s => s.includes('no older match'), 60_000);
		// the whole file above was read for it
		expect(end).toMatch(/read (\d+\.\d) MB of \1 MB/);
	});

	it('/ with a regex that would backtrack for ever on a hostile line: refused with the rewrite, the tab still answers; a bad flag is an error too', async () => {
		const log = logFile('redos.log', ['x', `${'a'.repeat(40)}!`, '2024-05-01T10:00:00Z ERROR last']);
		const app = await start({LOG_FILES: log}, {pane: {columns: 200, rows: 30}});
		await app.waitFor('ERROR last');
		await app.press('/');
		await app.type('/(a+)+$/');
		await app.press(keys.enter);
		await app.waitFor('the filter is refused: (a+)+ is a repeated group that itself repeats, which can take exponential time on a long line: rewrite it, e.g. (a+)+ → a+');
		await app.press(keys.escape);
		await app.press('e');
		await app.waitFor(s => s.includes('errors only') && s.includes('ERROR last') && !s.includes('aaaa!'));
		await app.press('/');
		await app.type('/x/zq');
		await app.press(keys.enter);
		await app.waitFor('the filter has an unknown regex flag in /x/zq: only i, s, u and v are taken');
	});

	it('hostile bytes in a line are drawn escaped; a line over 64 KB is cut with its byte count', async () => {
		const log = logFile('evil.log', [
			'2024-05-01T10:00:00Z INFO clear \u001b[2J title \u001b]0;owned\u0007 bidi \u202eevil',
			`2024-05-01T10:00:01Z DEBUG payload=${'x'.repeat(70_000)} end`,
			'2024-05-01T10:00:02Z INFO last',
		]);
		const app = await start({LOG_FILES: log});
		const screen = await app.waitFor('INFO last');
		expect(screen).toContain('clear \\x1b[2J title \\x1b]0;owned\\x07 bidi \\u202eevil');
		expect(app.lastFrame()).not.toContain('\u001b[2J');
		expect(app.lastFrame()).not.toContain('\u001b]0;owned');
		expect(app.lastFrame()).not.toContain('\u202e');
		expect(screen).toMatch(/DEBUG payload=x+… \[cut: 70,039 bytes\]/);
		await app.press('W');
		const wrapped = await app.waitFor('· wrap');
		expect(wrapped).toMatch(/^x+$/m);
		expect(wrapped).toContain(' [cut: 70,039 bytes]');
		expect(wrapped).toContain('INFO last');
	});

	it('S is refused in read-only mode (audited); with the word it restarts the process and says the new pid', async () => {
		const env = {LOG_FILES: supervised.log, APP_SERVICE: `pidfile:${supervised.pidFile}`, APP_RESTART_TIMEOUT: '20'};
		const before = supervised.appPid();
		const ro = await start(env, {readOnly: true});
		await ro.waitFor(`UP pid ${before} · up`);
		await ro.press('S');
		await ro.waitFor('read-only mode: app-restart refused');
		expect(supervised.appPid()).toBe(before);
		expect(readAudit({auditLog: auditLog()}, 1)[0]).toMatchObject({action: 'app-restart', result: 'refused'});
		ro.unmount();

		const app = await start(env);
		await app.waitFor(`UP pid ${before} · up`);
		await app.press('S');
		await app.waitFor('Type restart and press Enter');
		expect(app.screen()).toContain(`SIGTERM to pid ${before}`);
		await app.type('restart');
		await app.press(keys.enter);
		const done = await app.waitFor(/restarted pidfile:.*pid \d+ → \d+/, 20_000);
		const after = Number(/→ (\d+)/.exec(done)![1]);
		expect(after).not.toBe(before);
		expect(supervised.appPid()).toBe(after);
		await app.waitFor(`UP pid ${after} · up`);
		// the refusal above, then this one (its started line and its result read as one entry)
		expect(readAudit({auditLog: auditLog()}, 2).map(e => [e.action, e.result])).toEqual([['app-restart', 'refused'], ['app-restart', 'ok']]);
		// its log, in the tab: the old process got SIGTERM, the new one listens
		await app.press('r');
		await app.waitFor(`pid ${after} listening`);
	}, 40_000);

	it('S on a process that is not running: the error and the app\'s last log lines, until Esc', async () => {
		const pidFile = path.join(dir, 'dead.pid');
		fs.writeFileSync(pidFile, '999999\n');
		const log = logFile('dead.log', ['2024-05-01T10:00:00Z INFO  listening on 5555', '2024-05-01T10:00:05Z ERROR out of memory \u001b[31mbye']);
		const app = await start({LOG_FILES: log, APP_SERVICE: `pidfile:${pidFile}`});
		await app.waitFor(`DOWN pid 999999 from ${pidFile} is not running`);
		await app.press('S');
		await app.waitFor('Type restart and press Enter');
		await app.type('restart');
		await app.press(keys.enter);
		const failed = await app.waitFor('its last log lines', 10_000);
		expect(failed).toContain(`restart of pidfile:${pidFile} failed: no running process to restart`);
		expect(failed).toContain('  2024-05-01T10:00:05Z ERROR out of memory \\x1b[31mbye');
		expect(readAudit({auditLog: auditLog()}, 1)[0]).toMatchObject({action: 'app-restart', result: 'failed'});
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('its last log lines'));
	});

	it('the Status tab has the app process card: state, pid, uptime, restarts, RSS, CPU, port', async () => {
		const app = await start({APP_SERVICE: `pidfile:${supervised.pidFile}`}, {tab: '', pane: {columns: 100, rows: 40}});
		const screen = await app.waitFor('App process');
		const pid = supervised.appPid();
		expect(screen).toMatch(new RegExp(`App process +up +pid ${pid} +up \\d`));
		// (restarts seen by this process: the S test above restarted it)
		expect(screen).toMatch(/restarts +- \(\d+ since start\)/);
		expect(screen).toMatch(new RegExp(`rss cpu +[\\d.]+ MB +[-\\d.%]+ +port ${supervised.port}`));
	});

	it('says which setting to set when no log source is configured', async () => {
		const app = await start({});
		const screen = await app.waitFor('No log sources');
		expect(screen).toContain('Set LOG_FILES');
		expect(screen).toContain('LOG_UNIT');
		const glob = await start({LOG_FILES: path.join(dir, 'nothing', '*.log')});
		await glob.waitFor('matches no file yet');
	});

	for (const pane of [{columns: 80, rows: 24}, {columns: 40, rows: 10}]) {
		it(`is readable at ${pane.columns}x${pane.rows}: the process, the source, the newest lines, the keys`, async () => {
			const log = logFile(`pane-${pane.columns}.log`, Array.from({length: 100}, (_, i) => `2024-05-01T10:00:00Z INFO line ${i} ${'word '.repeat(i % 7)}`));
			const app = await start({LOG_FILES: log, APP_SERVICE: `pidfile:${supervised.pidFile}`}, {pane});
			const screen = await app.waitFor(s => s.includes('INFO line 99') && /UP pid \d+ · up/.test(s));
			const lines = stripAnsi(app.lastFrame() ?? '').split('\n');
			expect(lines.length).toBeLessThanOrEqual(pane.rows - 1);
			for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(pane.columns);
			expect(screen).toContain(`pane-${pane.columns}.log`);
			expect(screen).toMatch(/f follow/);
			expect(screen).toContain('? help');
		});
	}
});
