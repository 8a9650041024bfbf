// LOG_FILES globs and LOG_UNIT as sources (names, a glob matching nothing, a file that appears),
// and the journal read through `journalctl -o json`: systemd does not run here, so the entries are
// a fixture in the format of systemd 252's output (fixtures/journal-chat.jsonl: systemd's own
// messages about the unit, an app's stdout, a PRIORITY 3 line, a MESSAGE with escape bytes that
// journalctl gives as an array of numbers, one it left out as null) replayed by a stand-in
// journalctl (helpers/stub-tools.ts) that records the arguments it got.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {compileFilter} from '../../source/logs/filter.js';
import {journalArgs, journalLine} from '../../source/logs/journal.js';
import {readJournalTail} from '../../source/logs/journal-read.js';
import {findSource, logSources} from '../../source/logs/sources.js';
import {stubTools, type StubTools} from '../helpers/stub-tools.js';

const fixture = path.join(import.meta.dirname, 'fixtures', 'journal-chat.jsonl');
let dir: string;
let stubs: StubTools;
const savedPath = process.env.PATH;

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-sources-'));
	stubs = stubTools({journal: fixture});
	process.env.PATH = stubs.path;
});

afterAll(() => {
	process.env.PATH = savedPath;
	stubs.cleanup();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('sources', () => {
	it('a source per file a glob matches (sorted), named by base name or, when two share one, by path; the journal last', async () => {
		for (const file of ['logs/app.log', 'logs/worker.log', 'logs/.hidden.log', 'old/app.log', 'logs/sub/deep.log']) {
			fs.mkdirSync(path.dirname(path.join(dir, file)), {recursive: true});
			fs.writeFileSync(path.join(dir, file), 'x\n');
		}
		const list = await logSources({logFiles: [path.join(dir, 'logs/*.log'), path.join(dir, 'old/app.log'), path.join(dir, 'nothing/*.log')], logUnit: 'chat.service'}, dir);
		expect(list.sources.map(s => s.name)).toEqual([path.join('logs', 'app.log'), 'worker.log', path.join('old', 'app.log'), 'journal:chat.service']);
		expect(list.unmatched).toEqual([path.join(dir, 'nothing/*.log')]);
		const deep = await logSources({logFiles: [path.join(dir, '**/*.log')], logUnit: undefined}, dir);
		expect(deep.sources.map(s => s.kind === 'file' && path.relative(dir, s.path))).toEqual(['logs/app.log', 'logs/sub/deep.log', 'logs/worker.log', 'old/app.log']);
		expect(findSource(list.sources, 'worker.log', dir)?.name).toBe('worker.log');
		expect(findSource(list.sources, 'old/app.log', dir)?.name).toBe(path.join('old', 'app.log'));
		expect(findSource(list.sources, 'chat.service', dir)?.name).toBe('journal:chat.service');
		expect(findSource(list.sources, 'chat', dir)?.name).toBe('journal:chat.service');
		expect(findSource(list.sources, 'nope.log', dir)).toBeUndefined();
	});

	it('a plain path that does not exist yet is still a source (it appears later)', async () => {
		const list = await logSources({logFiles: [path.join(dir, 'later.log')], logUnit: undefined}, dir);
		expect(list.sources).toEqual([{kind: 'file', name: 'later.log', path: path.join(dir, 'later.log')}]);
	});
});

describe('the journal', () => {
	const entries = fs.readFileSync(fixture, 'utf8').split('\n').filter(Boolean).map((json, i) => journalLine(json, i)!);

	it('each entry as a line: time, identifier[pid], message; the level from PRIORITY or the text, whichever is worse', () => {
		expect(entries.map(e => e.text.slice(25))).toEqual([
			'systemd[1]: Started chat.service - Chat backend.',
			'node[812]: Server listening on :5555',
			'node[812]: 2024-05-01T10:00:02.623Z WARN slow query 1520ms (pool=main)',
			'node[812]: \x1b[31mERROR\x1b[0m redis connect ECONNREFUSED 127.0.0.1:6379 \x1b]0;pwned\x07',
			'node[812]: Error: connect ECONNREFUSED 127.0.0.1:5432',
			'systemd[1]: chat.service: Main process exited, code=exited, status=1/FAILURE',
			"systemd[1]: chat.service: Failed with result 'exit-code'.",
			'systemd[1]: chat.service: Scheduled restart job, restart counter is at 3.',
			'node[9131]: {"level":50,"time":1714557610123,"pid":9131,"msg":"unhandled rejection"}',
			'node[9131]: [message not shown: journalctl left it out]',
			'node[9131]: Server listening on :5555',
		]);
		expect(entries[0]!.text.slice(0, 24)).toBe('2024-05-01T10:00:00.123Z');
		expect(entries.map(e => e.level)).toEqual(['info', 'info', 'warn', 'error', 'error', 'info', 'warn', 'info', 'error', 'info', 'info']);
		expect(entries[1]).toMatchObject({time: 1_714_557_601_373, cursor: expect.stringMatching(/^s=739ad4.*;i=4ece1;/)});
	});

	it('journalctl arguments: every value in --name=value form', () => {
		expect(journalArgs({unit: 'chat.service', reverse: true, lines: 50, since: 1_714_557_600_999})).toEqual(['--unit=chat.service', '--output=json', '--all', '--no-pager', '--quiet', '--reverse', '--lines=50', '--since=@1714557600']);
		expect(journalArgs({unit: 'chat.service', follow: true, afterCursor: 's=1;i=2'})).toEqual(['--unit=chat.service', '--output=json', '--all', '--no-pager', '--quiet', '--after-cursor=s=1;i=2', '--follow']);
	});

	it('the last N entries, newest read first and stopped there; the errors among them; the page above by cursor', async () => {
		const last = await readJournalTail({unit: 'chat.service', count: 3});
		expect(last.lines.map(l => l.text.slice(25))).toEqual(entries.slice(8).map(e => e.text.slice(25)));
		const errors = await readJournalTail({unit: 'chat.service', count: 10, filter: compileFilter({level: 'error'})});
		expect(errors.lines.map(l => l.text.slice(25, 60))).toEqual([3, 4, 8].map(i => entries[i]!.text.slice(25, 60)));
		expect(errors.atStart).toBe(true);
		const above = await readJournalTail({unit: 'chat.service', count: 2, before: entries[8]!.cursor});
		expect(above.lines.map(l => l.cursor)).toEqual([entries[6]!.cursor, entries[7]!.cursor]);
		expect(stubs.calls()).toEqual([
			'journalctl --unit=chat.service --output=json --all --no-pager --quiet --reverse --lines=3',
			'journalctl --unit=chat.service --output=json --all --no-pager --quiet --reverse',
			`journalctl --unit=chat.service --output=json --all --no-pager --quiet --reverse --cursor=${entries[8]!.cursor}`,
		]);
	});
});
