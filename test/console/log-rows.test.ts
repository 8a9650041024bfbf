// The Logs tab's rows (issue 18): matches marked on the sanitized text, a line cut at the width
// with …, wrapped onto rows, and a line over 64 KB ending with its byte count in view either way.
import {describe, expect, it} from 'vitest';
import {compileFilter} from '../../source/logs/filter.js';
import type {LogLine} from '../../source/logs/lines.js';
import {lineRows, lineSegments, viewRows} from '../../source/console/tabs/logs/log-rows.js';
import {searchSpec} from '../../source/console/tabs/logs/logs-tab.js';

const line = (text: string, extra: Partial<LogLine> = {}): LogLine => ({offset: 0, text, bytes: Buffer.byteLength(text), cut: false, ...extra});
const joined = (rows: ReturnType<typeof lineRows>) => rows.map(row => row.map(s => s.text).join(''));

describe('Logs tab rows', () => {
	it('marks every match of the text, in any case, on the sanitized text', () => {
		const filter = compileFilter(searchSpec('timeout'))!;
		const segments = lineSegments(line('a Timeout \u001b[2J then timeout'), text => filter.ranges(text), 1000);
		expect(segments).toEqual([
			{text: 'a '},
			{text: 'Timeout', mark: true},
			{text: ' \\x1b[2J then '},
			{text: 'timeout', mark: true},
		]);
	});

	it('/regex/flags is a regular expression, anything else plain text', () => {
		expect(searchSpec('/time(out)?/i')).toEqual({grep: '/time(out)?/i'});
		expect(searchSpec('a.b')).toEqual({text: 'a.b'});
		const regex = compileFilter(searchSpec('/st[a-z]+=5\\d\\d/'))!;
		expect(lineSegments(line('GET / status=503 ms=2'), text => regex.ranges(text), 1000).filter(s => s.mark)).toEqual([{text: 'status=503', mark: true}]);
	});

	it('cuts a long line at the width with …, or wraps it', () => {
		const text = 'word '.repeat(10).trim();
		expect(joined(lineRows(line(text), undefined, 12, false, 5))).toEqual(['word word w…']);
		expect(joined(lineRows(line(text), undefined, 12, true, 10))).toEqual(['word word wo', 'rd word word', ' word word w', 'ord word wor', 'd']);
		// an escape is never split between two rows
		expect(joined(lineRows(line('abcdefghij\u001bk'), undefined, 12, true, 5))).toEqual(['abcdefghij', '\\x1bk']);
	});

	it('a line over 64 KB keeps its byte count in view, cut or wrapped', () => {
		const long = line('x'.repeat(65_536), {bytes: 1_048_576, cut: true});
		expect(joined(lineRows(long, undefined, 40, false, 5))).toEqual([`${'x'.repeat(16)}… [cut: 1,048,576 bytes]`]);
		const wrapped = joined(lineRows(long, undefined, 40, true, 5));
		expect(wrapped).toHaveLength(5);
		expect(wrapped.at(-1)).toBe(' [cut: 1,048,576 bytes]');
	});

	it('the screen ends with the bottom line and fills upwards', () => {
		const lines = Array.from({length: 10}, (_, i) => line(`line ${i} ERROR`));
		const {rows, first} = viewRows({lines, bottom: 7, width: 20, height: 3, wrap: false});
		expect(first).toBe(5);
		expect(rows.map(r => r.segments.map(s => s.text).join(''))).toEqual(['line 5 ERROR', 'line 6 ERROR', 'line 7 ERROR']);
		expect(rows[0]!.level).toBe('error');
	});
});
