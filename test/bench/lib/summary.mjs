// A row's samples turned into what the table, latest.json and RESULTS.md show: medians, min–max over
// the rounds, the ratio to the anchor measured in the same run, and the verdict against the target.
import {fmtMs, fmtSamples, median, round} from './stats.mjs';

export function targetText(t) {
	if (t.kind === 'ratio') return `<= ${t.max}x`;
	if (t.kind === 'ms') return typeof t.ratio === 'number' ? `<= ${t.max} ms and <= ${t.ratio}x` : `<= ${t.max} ms`;
	if (t.kind === 'cpu') return `<= ${t.maxPercent}% CPU, <= ${t.maxRssMb} MB`;
	if (t.kind === 'rss') return `<= ${t.maxRssMb} MB`;
	if (t.kind === 'cpu-ratio') return `<= ${t.max}x CPU, poll <= ${t.maxRoundTripMs} ms`;
	return 'info';
}

const spread = values => (values.length > 1 ? ` (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})` : '');

/** One row's figures; `extra` rows a row measured beside itself (P1's redis-cli, P4's second anchor) follow it. */
export function summarize(row, result, ms) {
	const base = {id: row.id, work: row.work, opsdeckCommand: row.opsdeckCommand, baselineCommand: row.baselineCommand ?? null, target: targetText(row.target), note: result.note ?? null, seconds: round(ms / 1000, 1)};
	const extra = (result.extra ?? []).map(more => summarize(more, more.result, 0)).flat();
	return [summarizeOne(row, result, base), ...extra];
}

function summarizeOne(row, result, base) {
	if (row.target.kind === 'cpu') {
		// per-window figures (the idle window cut in parts) give the spread; the whole window the median
		const windows = result.cpuWindows ?? [];
		return {...base, opsdeck: `${result.cpuPercent.toFixed(2)}%${spread(windows)} CPU, RSS ${result.rssMb.toFixed(0)} MB (max ${result.rssMaxMb.toFixed(0)})`, baseline: null, ratio: null,
			cpuPercent: round(result.cpuPercent, 3), cpuWindows: windows.map(v => round(v, 3)), rssMb: round(result.rssMb, 1), rssMaxMb: round(result.rssMaxMb, 1),
			pass: result.cpuPercent <= row.target.maxPercent && result.rssMaxMb <= row.target.maxRssMb};
	}
	if (row.target.kind === 'rss') {
		// the highest sample counts: memory that comes and goes still has to fit
		return {...base, opsdeck: `RSS ${result.rssMb.toFixed(0)} MB (max ${result.rssMaxMb.toFixed(0)} MB)`, baseline: null, ratio: null,
			rssMb: round(result.rssMb, 1), rssMaxMb: round(result.rssMaxMb, 1), pass: result.rssMaxMb <= row.target.maxRssMb};
	}
	if (row.target.kind === 'cpu-ratio') {
		// CPU (% of a core) side by side, and a round trip (ms) with its own limit
		const [a, b, trip] = [median(result.opsdeck), median(result.baseline), median(result.roundTripMs)];
		return {...base, opsdeck: `${a.toFixed(2)}%${spread(result.opsdeck)} CPU, poll ${fmtMs(trip)}`, baseline: `${b.toFixed(2)}%${spread(result.baseline)} CPU`, ratio: round(a / b, 2),
			opsdeckCpuPercent: round(a, 3), baselineCpuPercent: round(b, 3), roundTripMedianMs: round(trip, 2), roundTripSamplesMs: result.roundTripMs.map(v => round(v, 2)),
			pass: a / b <= row.target.max && trip <= row.target.maxRoundTripMs};
	}
	const a = median(result.opsdeck);
	const b = result.baseline ? median(result.baseline) : undefined;
	const ratio = b === undefined ? undefined : a / b;
	const t = row.target;
	let pass = null;
	if (t.kind === 'ratio') pass = ratio <= t.max;
	// (an older row's `ratio: true` only asked for the ratio to be shown)
	else if (t.kind === 'ms') pass = a <= t.max && (typeof t.ratio !== 'number' || ratio <= t.ratio);
	return {...base, opsdeck: fmtSamples(result.opsdeck), baseline: b === undefined ? null : fmtSamples(result.baseline), ratio: ratio === undefined ? null : round(ratio, 2),
		opsdeckMedianMs: round(a, 2), baselineMedianMs: b === undefined ? null : round(b, 2),
		opsdeckSamplesMs: result.opsdeck.map(v => round(v, 2)), baselineSamplesMs: result.baseline?.map(v => round(v, 2)) ?? null, pass};
}

export function verdict(pass) {
	return pass === true ? 'pass' : pass === false ? 'FAIL' : 'info';
}

export function table(results) {
	const head = ['#', 'work', 'opsdeck: median (min–max)', 'anchor: median (min–max)', 'ratio', 'target', 'result'];
	const body = results.map(r => [r.id, r.work, r.opsdeck, r.baseline ?? '-', r.ratio === null || r.ratio === undefined ? '-' : `${r.ratio}x`, r.target, r.error ? 'ERROR' : verdict(r.pass)]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map(row => String(row[i]).length)));
	const line = row => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
	return [line(head), widths.map(w => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
