// test/bench/RESULTS.md and the README's Performance table, written from test/bench/latest.json
// (the newest figure of every row): by every run, and alone by `node test/bench/run.mjs --report`.
import fs from 'node:fs';
import path from 'node:path';
import {verdict} from './summary.mjs';

const cell = r => [r.id, r.work, r.opsdeck, r.baseline ?? '-', r.ratio === null || r.ratio === undefined ? '-' : `${r.ratio}x`, r.target.replaceAll('<=', '≤'), r.error ? 'error' : verdict(r.pass)];

export function resultsTable(rows) {
	return [
		'| # | work | opsdeck: median (min–max) | anchor, same run: median (min–max) | ratio | target | result |',
		'|---|---|---|---|---|---|---|',
		...rows.map(r => `| ${cell(r).join(' | ')} |`),
	].join('\n');
}

function machineLine(latest) {
	const m = latest.machine;
	const load = m.loadavg ? `load average at the start ${m.loadavg.join(' / ')}` : 'load average not recorded';
	return `Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memGb} GB RAM, ${m.os}; Node ${m.node}; ${m.redis}; sqlite3 ${m.sqlite3}; ${load}. Latest run ${latest.updatedAt.slice(0, 16).replace('T', ' ')} UTC at commit ${m.commit ?? '?'}.`;
}

/** the rows of latest.json in the order of `ids` (rows no longer defined dropped) */
export function orderedRows(latest, ids) {
	return ids.map(id => latest.rows[id]).filter(Boolean);
}

export function markdown(latest, ids, benchDir) {
	const rows = orderedRows(latest, ids);
	const when = r => (r.measuredAt ? ` Measured ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC${r.reps ? `, ${r.reps} rounds` : ''}${r.loadavg ? `, load ${r.loadavg.join(' / ')}` : ''}.` : '');
	const lines = [
		'# opsdeck benchmark results',
		'',
		'Written by `npm run bench` (test/bench/run.mjs) from test/bench/latest.json; `node test/bench/run.mjs --report`',
		'writes it (and the README table) again without measuring. Every row is measured with its anchor in the same',
		'run, the sides alternating round by round (the order rotating); figures are medians with the min–max over',
		'the rounds. Rerun one row with `npm run bench -- P4` (several: `npm run bench -- P1 P3`; `BENCH_REPS=9` for',
		'more rounds); its figure replaces the row\'s in latest.json, the others stay as they were.',
		'',
		resultsTable(rows),
		'',
		machineLine(latest),
		'',
		'What each row measures:',
		'',
		...rows.map(r => `- **${r.id}** ${r.opsdeckCommand}${r.baselineCommand ? `; anchor: ${r.baselineCommand}` : ''}.${r.note ? ` ${r.note}.` : ''}${when(r)}`),
		'',
	];
	// what the profiles showed, written by hand (test/bench/FINDINGS.md), follows the figures
	try {
		lines.push(fs.readFileSync(path.join(benchDir, 'FINDINGS.md'), 'utf8').trim(), '');
	} catch {
		// none yet
	}
	return lines.join('\n');
}

const start = '<!-- bench:start (written by test/bench/run.mjs from test/bench/latest.json) -->';
const startPattern = /<!-- bench:start[^>]*-->/;
const end = '<!-- bench:end -->';

/** README.md with the table between its bench markers replaced; unchanged when the markers are missing */
export function readmeWithTable(readme, latest, ids) {
	const from = readme.search(startPattern);
	const to = readme.indexOf(end);
	if (from === -1 || to === -1 || to < from) return readme;
	const block = [start, resultsTable(orderedRows(latest, ids)), '', machineLine(latest), end].join('\n');
	return readme.slice(0, from) + block + readme.slice(to + end.length);
}

export function writeReports(root, latest, ids) {
	const benchDir = path.join(root, 'test/bench');
	fs.writeFileSync(path.join(benchDir, 'RESULTS.md'), markdown(latest, ids, benchDir));
	const readmeFile = path.join(root, 'README.md');
	const readme = fs.readFileSync(readmeFile, 'utf8');
	const next = readmeWithTable(readme, latest, ids);
	if (next !== readme) fs.writeFileSync(readmeFile, next);
	return next !== readme || readme.search(startPattern) !== -1;
}
