// The whole-file search behind `logs --grep` (issue 18): over the big log, the number of lines it
// finds is exactly `grep -c`'s, for a plain word, a regex, an alternation, a word only at the end of
// lines over 64 KB, non-ASCII text and a `.` next to it (the UTF-8 path). The suite's log is 64 MB
// (OPSDECK_BIG_LOG_MB=1024 runs it on 1 GB; the bench's P9b does).
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {compileFilter} from '../../source/logs/filter.js';
import {requiredLiterals} from '../../source/logs/literals.js';
import {grepFile} from '../../source/logs/grep.js';
import type {LogLine} from '../../source/logs/lines.js';
import {openLog, type LogFile} from '../../source/logs/tail.js';
import {bigLog, suiteBigLogMb} from '../helpers/big-log.js';

const open: LogFile[] = [];
const dirs: string[] = [];
afterAll(async () => {
	for (const file of open) await file.handle.close();
	for (const dir of dirs) fs.rmSync(dir, {recursive: true, force: true});
});

function grepCount(args: readonly string[], file: string): number {
	try {
		return Number(execFileSync('grep', ['-c', ...args, file], {encoding: 'utf8', env: {...process.env, LC_ALL: 'C.UTF-8'}}).trim());
	} catch (error) {
		// grep exits 1 when nothing matched
		if ((error as {status?: number}).status === 1) return 0;
		throw error;
	}
}

async function count(file: string, grep: string, level?: 'error' | 'warn'): Promise<{matched: number; lines: LogLine[]}> {
	const log = await openLog(file);
	open.push(log);
	const lines: LogLine[] = [];
	const result = await grepFile(log, {filter: compileFilter({grep, level}), onLines: batch => void lines.push(...batch.slice(0, 100 - lines.length))});
	return {matched: result.matched, lines};
}

describe(`grep over the ${suiteBigLogMb} MB log matches grep -c`, () => {
	const file = bigLog(suiteBigLogMb);
	it.each([
		['a plain word', 'ERROR', ['ERROR']],
		['a regex', 'status=5[0-9][0-9]', ['status=5[0-9][0-9]']],
		['an alternation', 'timeout|refused', ['-E', 'timeout|refused']],
		['an anchored JSON level', '^\\{"level":50', ['^{"level":50']],
		['a word only at the end of lines over 64 KB', 'needle-at-the-end', ['needle-at-the-end']],
		['non-ASCII text', 'Zoë', ['Zoë']],
		['dots over non-ASCII characters (one a character, as grep in UTF-8)', 'Zo.. said', ['Zo.. said']],
		['an optional part and a class (the regex runs on lines holding "rror")', 'E?rror:(root)?:[a-z]+', ['-E', 'E?rror:(root)?:[a-z]+']],
		['nothing', 'no such text anywhere', ['no such text anywhere']],
	])('%s', async (_name, pattern, grepArgs) => {
		const ours = await count(file, pattern);
		expect(ours.matched).toBe(grepCount(grepArgs, file));
		const check = new RegExp(pattern);
		for (const line of ours.lines) if (!line.cut) expect(line.text).toMatch(check);
	}, 120_000);
});

describe('the text a regex\'s every match holds (looked for in the bytes first)', () => {
	it.each([
		['status=5[0-9][0-9] ms=8', ['status=5']],
		['timeout|refused', ['timeout', 'refused']],
		['job \\d+ failed', [' failed']],
		['colou?r=red', ['r=red']],
		['(ab)+cde\\.log', ['cde.log']],
		['a\\u0041bcd', ['bcd']],
		['x+yz{2}abc', ['abc']],
	])('%s', (source, expected) => {
		expect(requiredLiterals(new RegExp(source))?.map(b => b.toString())).toEqual(expected);
	});

	it.each(['a|bc', '(timeout|refused) x', 'ab', '[a-z]+', 'x|', 'abc'.replace('abc', 'ab?c')])('none for %s', source => {
		expect(requiredLiterals(new RegExp(source))).toBeUndefined();
	});

	it('none with the i flag', () => {
		expect(requiredLiterals(/timeout/i)).toBeUndefined();
	});
});

describe('grep on small files', () => {
	const write = (content: string) => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-grep-'));
		dirs.push(dir);
		const file = path.join(dir, 'app.txt');
		fs.writeFileSync(file, content);
		return file;
	};

	it('byte offsets of the lines found, after UTF-8 text, point at them', async () => {
		const content = 'héllo wörld\nplain\n日本語 error here\nlast error';
		const file = write(content);
		const found = await count(file, 'err.r');
		expect(found.lines.map(l => l.text)).toEqual(['日本語 error here', 'last error']);
		const buf = Buffer.from(content);
		for (const line of found.lines) expect(buf.toString('utf8', line.offset, line.offset + Buffer.byteLength(line.text))).toBe(line.text);
	});

	it('a match may not run across lines: \\s+ between two lines is no match', async () => {
		const file = write('ends with foo\nbar starts\nfoo bar\n');
		expect((await count(file, 'foo\\s+bar')).lines.map(l => l.text)).toEqual(['foo bar']);
	});

	it('a level and a regex together', async () => {
		const file = write(['INFO db timeout', 'ERROR db timeout', '{"level":"error","msg":"db timeout"}', 'ERROR cache miss', 'level=warn msg="db timeout"'].join('\n') + '\n');
		const found = await count(file, 'timeout', 'error');
		expect(found.lines.map(l => l.text)).toEqual(['ERROR db timeout', '{"level":"error","msg":"db timeout"}']);
		const warn = await count(file, 'timeout', 'warn');
		expect(warn.matched).toBe(3);
	});

	it('a line longer than the read buffer is found whole, cut for showing', async () => {
		const file = write(`a\n${'x'.repeat(300_000)} tail-word\nb\n`);
		const log = await openLog(file);
		open.push(log);
		const lines: LogLine[] = [];
		const result = await grepFile(log, {filter: compileFilter({grep: 'tail-word'}), chunkBytes: 64 * 1024, onLines: batch => void lines.push(...batch)});
		expect(result.matched).toBe(1);
		expect(lines[0]).toMatchObject({offset: 2, bytes: 300_010, cut: true});
	});
});
