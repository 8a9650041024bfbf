// `logs --grep RE --count` counts exactly the lines the listing (`logs --grep RE`) prints, CRLF
// files included: a line is its text without the CR of its CRLF (lines.ts), while a JavaScript
// multiline scan takes a CR for a line end too. Small blocks so block starts fall between a CR and its
// LF (one thread: the TypeScript sources; two threads: the built CLI below).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {countLines} from '../../source/logs/count.js';
import {compileFilter} from '../../source/logs/filter.js';
import {grepFile} from '../../source/logs/grep.js';
import {openLog, type LogFile} from '../../source/logs/tail.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-crlf-'));
const open: LogFile[] = [];
afterAll(async () => {
	for (const file of open) await file.handle.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

/** what a user reads: the lines split at LF, each without one CR before its LF, that the regex finds */
function expected(content: string, grep: string): number {
	const lines = content.split('\n');
	if (lines.at(-1) === '') lines.pop();
	return lines.filter(line => new RegExp(grep).test(line.replace(/\r$/, ''))).length;
}

const files: Record<string, string> = {
	crlf: 'a\r\n\r\nb\r\n',
	'one line': 'a\r\n',
	'lone CR': 'a\rb\n\r\nx\ry\r\n\r',
	mixed: 'a\n\r\nb\r\n\nc\rd\r\n' + 'ERROR x\r\n'.repeat(50) + 'tail\r',
};
const greps = ['^$', '\\r', 'a$', '^b', 'b$', '.$', '^.$', 'x.y', '^y', 'ERROR x$', 'd$', '\r', 'a\r'];

describe('--count is the listing\'s number of lines', () => {
	for (const [name, content] of Object.entries(files)) {
		it(name, async () => {
			const file = path.join(dir, `${name.replaceAll(' ', '-')}.log`);
			fs.writeFileSync(file, content);
			const log = await openLog(file);
			open.push(log);
			for (const grep of greps) {
				const filter = compileFilter({grep});
				const listed: string[] = [];
				await grepFile(log, {filter, onLines: lines => void listed.push(...lines.map(line => line.text))});
				const want = expected(content, grep);
				expect(listed.length, `listing ${JSON.stringify(grep)}`).toBe(want);
				for (const blockBytes of [1, 2, 3, 7, 1 << 20]) {
					expect(await countLines(log, {filter, blockBytes, threads: 1}), `count ${JSON.stringify(grep)} in blocks of ${blockBytes}`).toBe(want);
				}
			}
		});
	}
});
