// `logs --count` (count.ts): the file cut into blocks at line starts, each counted on its own and
// summed, is exactly grep -c's count — with blocks of a few hundred bytes here, so block boundaries
// fall inside long lines (over 64 KB), between a CR and its LF, inside a UTF-8 character and on an
// invalid byte, before a last line without its newline, and from --since's offset. (These run the
// TypeScript sources: one thread takes every block. The built CLI's two threads are tested in
// test/commands/logs.test.ts.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {countLines} from '../../source/logs/count.js';
import {compileFilter} from '../../source/logs/filter.js';
import {grepFile} from '../../source/logs/grep.js';
import {maxLineBytes} from '../../source/logs/lines.js';
import {openLog, type LogFile} from '../../source/logs/tail.js';
import {grepCount, trickyLog} from '../helpers/tricky-log.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-count-'));
const open: LogFile[] = [];
afterAll(async () => {
	for (const file of open) await file.handle.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('counted in blocks, the count is grep -c\'s', () => {
	const file = path.join(dir, 'tricky.log');
	fs.writeFileSync(file, trickyLog(400));
	let log: LogFile;
	beforeAll(async () => {
		log = await openLog(file);
		open.push(log);
	});

	it.each([
		['a literal part, then the regex', 'status=5\\d\\d', ['-E', 'status=5[0-9][0-9]']],
		['a plain word', 'CRLF', ['CRLF']],
		['a plain word that parts of lines begin', 'ERROR', ['ERROR']],
		['an anchored regex', '^2024-05-01T', ['^2024-05-01T']],
		['non-ASCII text around an invalid byte', 'Zoë 日', ['Zoë 日']],
		['a dot over a character (the UTF-8 path)', 'Zo. 日本', ['Zo. 日本']],
		['the end of lines over 64 KB', 'x status=5', ['x status=5']],
		['no filter: every line, empty ones and the last one included', '', ['']],
	])('%s', async (_name, grep, grepArgs) => {
		const filter = compileFilter({grep});
		const expected = grepCount(grepArgs, file);
		expect(expected).toBeGreaterThan(0);
		// one pass, blocks of every size down to a few hundred bytes, and the CLI's default
		expect((await grepFile(log, {filter})).matched).toBe(expected);
		for (const blockBytes of [1, 300, 4096, 65_536, 70_001, undefined]) {
			expect(await countLines(log, {filter, blockBytes}), `blocks of ${blockBytes}`).toBe(expected);
		}
	});

	it('from --since\'s offset (a line start): the lines from there on', async () => {
		const content = fs.readFileSync(file);
		const from = content.indexOf('\n', content.length >> 1) + 1;
		const rest = path.join(dir, 'rest.log');
		fs.writeFileSync(rest, content.subarray(from));
		const filter = compileFilter({grep: 'status=5\\d\\d'});
		const expected = grepCount(['-E', 'status=5[0-9][0-9]'], rest);
		for (const blockBytes of [300, 70_001]) expect(await countLines(log, {filter, from, blockBytes})).toBe(expected);
	});

	it('an empty file and a file of one line without its newline', async () => {
		for (const [name, content, expected] of [['empty.log', '', 0], ['one.log', 'status=500', 1]] as const) {
			const one = path.join(dir, name);
			fs.writeFileSync(one, content);
			const small = await openLog(one);
			open.push(small);
			expect(await countLines(small, {filter: compileFilter({grep: 'status'}), blockBytes: 1})).toBe(expected);
			expect(await countLines(small, {blockBytes: 1})).toBe(expected);
		}
	});
});

describe('a literal looked for by its part, then checked byte for byte: the line-by-line count', () => {
	const file = path.join(dir, 'parts.log');
	// tricky lines (parts of `status=5` before the whole, CRLF, invalid UTF-8, lines over 64 KB, no
	// last newline) and lines whose literal runs into the end of a read: every read size below
	const content = Buffer.concat([trickyLog(300), Buffer.from('\nstatu\nstatus=5\nstatus=50\nxstatus=501\ntatus=500 status=5'), Buffer.from(' campus=599 end')]);
	fs.writeFileSync(file, content);
	let log: LogFile;
	beforeAll(async () => {
		log = await openLog(file);
		open.push(log);
	});

	/** The slow way: each line (its CR dropped, as a listed line's text; one over 64 KB kept whole) through the filter. */
	const lineByLine = (grep: string) => {
		const filter = compileFilter({grep})!;
		const lines: Buffer[] = [];
		for (let start = 0; start < content.length; ) {
			const nl = content.indexOf(0x0a, start);
			const end = nl === -1 ? content.length : nl;
			lines.push(content.subarray(start, end));
			start = end + 1;
		}
		return lines.filter(line => filter.test((line.length <= maxLineBytes && line.at(-1) === 0x0d ? line.subarray(0, -1) : line).toString('utf8'))).length;
	};

	it.each([
		'status=5\\d\\d', 'status=5\\d', 'tatus=5\\d\\d ', 'us=5x', 'campus=5\\d\\d', 'status=5$', '^status=50',
		'xstatus=50\\d', '(status|campus)=5\\d\\d', 'status=50[03]|status=599', 'ERRO[R ]', 'bad bytes .*Zo', 'Zoë 日本', 'without its newline',
		'ms=\\d+$', 'status=5\\d\\d ms', 'x{3} status=5', 'x status=20\\d',
	])('%s', async grep => {
		const filter = compileFilter({grep});
		const expected = lineByLine(grep);
		expect(expected, 'a pattern no line holds proves nothing').toBeGreaterThan(0);
		for (const chunkBytes of [8, 13, 100, 4096, 65_536, 70_001]) {
			expect((await grepFile(log, {filter, chunkBytes})).matched, `reads of ${chunkBytes}`).toBe(expected);
		}
		for (const blockBytes of [1, 300, 70_001]) expect(await countLines(log, {filter, blockBytes}), `blocks of ${blockBytes}`).toBe(expected);
	});
});
