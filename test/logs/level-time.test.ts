// Levels and timestamps from the formats apps write (issue 18: `ERROR`, `level=error`, JSON
// "level":"error", Python logging), --since durations and times, and --since's bisection over a
// file (the lines of the last 10 minutes, reading a few windows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {compileFilter, FilterError, grepRegex} from '../../source/logs/filter.js';
import {levelPasses, lineLevel} from '../../source/logs/level.js';
import {NoTimestampsError, sinceOffset} from '../../source/logs/since.js';
import {openLog, type LogFile} from '../../source/logs/tail.js';
import {lineTime, parseSince, SinceError} from '../../source/logs/timestamps.js';

const open: LogFile[] = [];
const dirs: string[] = [];
afterAll(async () => {
	for (const file of open) await file.handle.close();
	for (const dir of dirs) fs.rmSync(dir, {recursive: true, force: true});
});

describe('lineLevel', () => {
	it.each([
		['2024-05-01T10:00:00Z ERROR db query failed', 'error'],
		['2024-05-01T10:00:00Z [WARN] slow', 'warn'],
		['<FATAL> out of memory', 'fatal'],
		['{"level":"error","msg":"x"}', 'error'],
		['{"level": "WARNING", "msg": "x"}', 'warn'],
		['{"level":50,"time":1,"msg":"pino error"}', 'error'],
		['{"level":40,"msg":"pino warn"}', 'warn'],
		['{"level":30,"msg":"the word ERROR in an info message"}', 'info'],
		['{"severity":"CRITICAL"}', 'fatal'],
		['time=2024-05-01T10:00:00Z level=error msg="redis refused"', 'error'],
		['ts=1 lvl=warn msg=x', 'warn'],
		['level="warning" msg=x', 'warn'],
		['ERROR:root:worker exited', 'error'],
		['WARNING:app.jobs:retrying', 'warn'],
		['2024-05-01 10:00:00,123 - worker - ERROR - job failed', 'error'],
		['2024-05-01 10:00:00,123 - worker - INFO - 0 errors so far', 'info'],
		['    at Object.<anonymous> (/srv/app.js:10:5)', undefined],
		['0 errors, error rate 0%', undefined],
		['ERROR_QUEUE drained', undefined],
	])('%s → %s', (text, level) => {
		expect(lineLevel(text)).toBe(level);
	});

	it('--level warn keeps warnings and worse; --level error keeps errors and fatal', () => {
		expect(levelPasses('warn', 'warn')).toBe(true);
		expect(levelPasses('fatal', 'error')).toBe(true);
		expect(levelPasses('warn', 'error')).toBe(false);
		expect(levelPasses(undefined, 'warn')).toBe(false);
	});
});

describe('filters', () => {
	it('--grep is a regex, case-sensitive like grep; /re/i gives flags; a bad one is one line', () => {
		expect(compileFilter({grep: 'Err(or)?'})!.test('an Error')).toBe(true);
		expect(compileFilter({grep: 'Err(or)?'})!.test('an error')).toBe(false);
		expect(compileFilter({grep: '/err/i'})!.test('ERR')).toBe(true);
		expect(grepRegex('a/b').source).toBe('a\\/b');
		expect(() => compileFilter({grep: 'a('})).toThrow(FilterError);
		expect(() => compileFilter({grep: 'a('})).toThrow(/^--grep is not a valid regular expression: \/a\(\/: Unterminated group$/);
	});

	it('the tab\'s text filter is plain text in any case; ranges mark what matched', () => {
		const filter = compileFilter({text: 'a.b', grep: 'x+'})!;
		expect(filter.test('A.B xx')).toBe(true);
		expect(filter.test('aXb xx')).toBe(false);
		expect(filter.ranges('xx A.B x')).toEqual([[0, 2], [3, 6], [7, 8]]);
	});
});

describe('lineTime', () => {
	const local = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0) => new Date(y, mo - 1, d, h, mi, s, ms).getTime();
	it.each([
		['2024-05-01T10:00:00.123Z INFO x', Date.UTC(2024, 4, 1, 10, 0, 0, 123)],
		['2024-05-01T12:00:00+02:00 x', Date.UTC(2024, 4, 1, 10, 0, 0)],
		['2024-05-01T12:00:00.5+0200 x', Date.UTC(2024, 4, 1, 10, 0, 0, 500)],
		['2024-05-01 10:00:00,123 - worker - INFO - x', local(2024, 5, 1, 10, 0, 0, 123)],
		['time=2024-05-01T10:00:00Z level=info', Date.UTC(2024, 4, 1, 10, 0, 0)],
		['127.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200', Date.UTC(2024, 4, 1, 10, 0, 0)],
		['{"level":30,"time":1714557600123,"msg":"x"}', 1_714_557_600_123],
		['{"ts":1714557600.5,"msg":"x"}', 1_714_557_600_500],
		['    at stack frame', undefined],
	])('%s', (text, expected) => {
		expect(lineTime(text)).toBe(expected);
	});

	it('syslog: the current year, or the last one for a date ahead', () => {
		const now = new Date(2025, 0, 2, 12).getTime();
		expect(lineTime('May  1 10:00:00 host app[1]: x', now)).toBe(local(2024, 5, 1, 10, 0, 0));
		expect(lineTime('Jan  2 10:00:00 host app[1]: x', now)).toBe(local(2025, 1, 2, 10, 0, 0));
	});
});

describe('parseSince', () => {
	const now = Date.UTC(2024, 4, 1, 12, 0, 0);
	it('durations and times', () => {
		expect(parseSince('10m', now)).toBe(now - 600_000);
		expect(parseSince('1h30m', now)).toBe(now - 5_400_000);
		expect(parseSince('2d', now)).toBe(now - 172_800_000);
		expect(parseSince('2024-05-01T10:00Z', now)).toBe(Date.UTC(2024, 4, 1, 10));
		expect(parseSince('2024-05-01', now)).toBe(new Date(2024, 4, 1).getTime());
	});
	it.each(['10', 'yesterday', '10 minutes', '-5m', '2024-13-01'])('refuses %s', value => {
		expect(() => parseSince(value, now)).toThrow(SinceError);
	});
});

describe('sinceOffset', () => {
	const write = (content: string) => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-since-'));
		dirs.push(dir);
		const file = path.join(dir, 'app.txt');
		fs.writeFileSync(file, content);
		return file;
	};
	const at = async (file: string, since: number) => {
		const log = await openLog(file);
		open.push(log);
		return sinceOffset(log, since);
	};

	it('bisects a 20 MB log to the first line at or after the time, stack traces and all', async () => {
		const start = Date.UTC(2024, 4, 1, 0, 0, 0);
		const lines: string[] = [];
		for (let i = 0; i < 200_000; i++) {
			lines.push(`${new Date(start + i * 1000).toISOString()} INFO request ${i} ${'.'.repeat(60)}`);
			if (i % 1000 === 0) lines.push('    at stack frame without a time', '    at another frame');
		}
		const content = lines.join('\n') + '\n';
		const file = write(content);
		const target = start + 150_000 * 1000 + 500;
		const offset = await at(file, target);
		expect(content.slice(offset, content.indexOf('\n', offset))).toMatch(/ INFO request 150001 /);
		expect(await at(file, start - 1)).toBe(0);
		expect(await at(file, start + 10_000_000 * 1000)).toBe(Buffer.byteLength(content));
	});

	it('a file with no timestamp at its start: one line naming the formats', async () => {
		const file = write('no time here\nnor here\n');
		await expect(at(file, 0)).rejects.toThrow(NoTimestampsError);
		await expect(at(file, 0)).rejects.toThrow(/no timestamp found at the start of .*app\.txt: --since reads ISO 8601/);
	});
});
