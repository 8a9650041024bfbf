// Reading a log backwards from its end (issue 18): the first screen of a big log without reading
// the file (bytes read counted), paging up line-exact to the first line, the edge cases of a last
// line without its newline, empty lines, CRLF, a line over 64 KB cut with its byte count, filters.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {compileFilter} from '../../source/logs/filter.js';
import {maxLineBytes} from '../../source/logs/lines.js';
import {openLog, readLastLines, type LogFile} from '../../source/logs/tail.js';
import {bigLog, suiteBigLogMb, tailLines} from '../helpers/big-log.js';

let dir: string;
const open: LogFile[] = [];

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-tail-'));
});

afterAll(async () => {
	for (const file of open) await file.handle.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

async function logOf(content: string | Buffer, name = `f${open.length}.txt`): Promise<LogFile> {
	const file = path.join(dir, name);
	fs.writeFileSync(file, content);
	const log = await openLog(file);
	open.push(log);
	return log;
}

const texts = (lines: Array<{text: string}>) => lines.map(l => l.text);

describe('the first screen of a big log', () => {
	it(`${suiteBigLogMb} MB: the last 50 lines from one or two blocks read at the end (bytes read counted)`, async () => {
		const file = await openLog(bigLog(suiteBigLogMb));
		open.push(file);
		expect(file.size).toBeGreaterThan(suiteBigLogMb * 1024 * 1024);
		const page = await readLastLines(file, {count: 50});
		expect(texts(page.lines)).toEqual(tailLines);
		expect(page.bytesRead).toBeLessThanOrEqual(256 * 1024);
		expect(page.end).toBe(file.size);
		// a screenful further up continues exactly where the first one began
		const up = await readLastLines(file, {count: 100, before: page.start});
		const buf = Buffer.alloc(page.start - up.start);
		await file.handle.read(buf, 0, buf.length, up.start);
		expect(texts(up.lines)).toEqual(buf.toString('utf8').split('\n').slice(0, -1));
		expect(up.bytesRead).toBeLessThanOrEqual(512 * 1024);
	});

	it('the last 20 error lines, reading back only as far as it takes', async () => {
		const file = await openLog(bigLog(suiteBigLogMb));
		open.push(file);
		const page = await readLastLines(file, {count: 20, filter: compileFilter({level: 'error'})});
		expect(page.lines).toHaveLength(20);
		expect(page.bytesRead).toBeLessThan(2 * 1024 * 1024);
		for (const line of page.lines) expect(line.text).toMatch(/ERROR|"level":[56]\d|level=error/);
	});
});

describe('line by line, to the first line', () => {
	it.each([
		['ends with a newline', 'a\nbb\n\nccc\n', ['a', 'bb', '', 'ccc']],
		['a last line without its newline', 'a\nbb\nccc', ['a', 'bb', 'ccc']],
		['starts with an empty line', '\nx\n', ['', 'x']],
		['only a newline', '\n', ['']],
		['empty', '', []],
		['CRLF', 'one\r\ntwo\r\n', ['one', 'two']],
		['UTF-8', 'Zoë ✓\n日本語\n', ['Zoë ✓', '日本語']],
	])('%s', async (_name, content, expected) => {
		const file = await logOf(content);
		// one line a page, block size 2: every boundary case of the backwards reader
		const seen: string[] = [];
		let page = await readLastLines(file, {count: 1, blockSize: 2});
		seen.unshift(...texts(page.lines));
		while (!page.atStart) {
			page = await readLastLines(file, {count: 1, before: page.start, blockSize: 2});
			seen.unshift(...texts(page.lines));
		}
		expect(seen).toEqual(expected);
		expect(texts((await readLastLines(file, {count: 100})).lines)).toEqual(expected);
	});

	it('partial: false leaves out a last line still being written, and `end` is where it begins', async () => {
		const file = await logOf('done 1\ndone 2\nhalf a li');
		const page = await readLastLines(file, {count: 10, partial: false});
		expect(texts(page.lines)).toEqual(['done 1', 'done 2']);
		expect(page.end).toBe('done 1\ndone 2\n'.length);
		const all = await readLastLines(file, {count: 10});
		expect(texts(all.lines).at(-1)).toBe('half a li');
	});

	it('`from` is a floor (where --since begins)', async () => {
		const file = await logOf('old 1\nold 2\nnew 1\nnew 2\n');
		const page = await readLastLines(file, {count: 10, from: 12});
		expect(texts(page.lines)).toEqual(['new 1', 'new 2']);
		expect(page.atStart).toBe(true);
	});
});

describe('a line over 64 KB', () => {
	it('is cut at 64 KB with its byte count, and its start is what is shown (read backwards)', async () => {
		const long = `start-${'é'.repeat(100_000)}-end`;
		const file = await logOf(`before\n${long}\nafter\n`);
		const page = await readLastLines(file, {count: 3, blockSize: 4096});
		expect(texts(page.lines)[0]).toBe('before');
		const cut = page.lines[1]!;
		expect(cut.cut).toBe(true);
		expect(cut.bytes).toBe(Buffer.byteLength(long));
		expect(cut.text.startsWith('start-éé')).toBe(true);
		// cut at a character boundary, never half a 'é'
		expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(maxLineBytes);
		expect(cut.text).not.toContain('\uFFFD');
		expect(page.lines[2]).toMatchObject({text: 'after', cut: false, bytes: 5});
	});
});
