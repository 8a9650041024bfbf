// The bench harness without measuring anything: rows are found in test/bench/rows/*.mjs (a row file
// needs no registration), an unknown row is refused with the list, and the README table is the one
// written from latest.json between its markers, each row with its anchor, median and min–max.
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
// @ts-expect-error: a plain .mjs module of the bench, no types
import {readmeWithTable, resultsTable} from '../bench/lib/report.mjs';

const root = path.join(import.meta.dirname, '..', '..');

const row = (id: string, more: Record<string, unknown> = {}) => ({id, work: `work ${id}`, opsdeck: '1.00 s (0.90 s–1.20 s)', baseline: '2.00 s (1.80 s–2.10 s)', ratio: 0.5, target: '<= 1x', pass: true, ...more});

describe('npm run bench', () => {
	it('finds every row of test/bench/rows/*.mjs and refuses an unknown one, listing them', () => {
		const run = spawnSync(process.execPath, ['test/bench/run.mjs', 'P99z'], {cwd: root, encoding: 'utf8'});
		expect(run.status).toBe(2);
		const listed = /rows: (.*)/.exec(run.stderr)?.[1]?.split(' ') ?? [];
		for (const id of ['P1', 'P1b', 'P3', 'P4', 'P5', 'P5b', 'P5c', 'P6']) expect(listed).toContain(id);
		// by number, then letter: P1 P1b … P5 P5b … P6 (P10 would come after P9)
		expect(listed.indexOf('P1')).toBeLessThan(listed.indexOf('P1b'));
		expect(listed.indexOf('P5c')).toBeLessThan(listed.indexOf('P6'));
	});

	it('writes the README table between its markers from latest.json, rows in the order given, with their anchors', () => {
		const readme = ['# x', '', '<!-- bench:start (old) -->', '| old | table |', '<!-- bench:end -->', '', 'after'].join('\n');
		const latest = {updatedAt: '2026-11-30T12:00:00.000Z', machine: {nproc: 2, cpu: 'CPU', memGb: 8, os: 'Linux', node: 'v20', redis: 'Redis 7', sqlite3: '3.40', loadavg: [0.1, 0.2, 0.3], commit: 'abc1234'}, rows: {P4b: row('P4b', {ratio: 2.5, target: '<= 2x', pass: false}), P4: row('P4'), P1: row('P1')}};
		const out: string = readmeWithTable(readme, latest, ['P1', 'P4', 'P4b', 'P9']);
		expect(out).not.toContain('| old | table |');
		expect(out.startsWith('# x\n\n<!-- bench:start')).toBe(true);
		expect(out.endsWith('<!-- bench:end -->\n\nafter')).toBe(true);
		const lines = out.split('\n').filter(line => line.startsWith('| P'));
		expect(lines.map(line => line.split(' | ')[0])).toEqual(['| P1', '| P4', '| P4b']);
		expect(lines[2]).toContain('| 1.00 s (0.90 s–1.20 s) | 2.00 s (1.80 s–2.10 s) | 2.5x | ≤ 2x | FAIL |');
		expect(out).toContain('at commit abc1234');
		// without the markers the README is left as it is
		expect(readmeWithTable('# no table', latest, ['P1'])).toBe('# no table');
		expect(resultsTable([])).toContain('anchor, same run');
	});
});
