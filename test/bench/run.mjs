// npm run bench [-- P1 P3 ...]: opsdeck side by side with the tools an operator would use instead.
// Each pair runs alternately (BENCH_REPS, default 5), medians are compared, a table is printed and
// written as JSON to test/bench/results/ (git-ignored); the rows measured are merged into
// test/bench/latest.json, from which test/bench/RESULTS.md (cited by the README) is written.
// BENCH_QUICK=1 shortens the idle-CPU window to 15 s and P5d's traffic to 2 minutes; BENCH_REPS
// sets the rounds (default 5); `node test/bench/run.mjs --report` only rewrites RESULTS.md (after
// editing FINDINGS.md).
// Needs `npm run build` first (the npm script does it), redis-server, redis-cli and sqlite3 on the
// PATH, and the local PostgreSQL for the console's Status card (BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres; only read: P5d creates a database of its own there
// for the demo and drops it). Redis data goes to a private
// redis-server on a free port, files to a temp dir; the 500 MB SQLite file is cached in
// $TMPDIR/opsdeck-bench-cache (BENCH_SQLITE_MB to change its size). P7 also needs the PostgreSQL server
// binaries (initdb, pg_ctl: it starts a private cluster with max_connections 600) and pg_activity.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {createContext, root} from './lib/context.mjs';
import {fmtMs, median, round} from './lib/stats.mjs';

// row id → the module that defines it; loaded only when selected (a row's imports of build/ may be
// broken while someone is mid-edit, and must not stop the other rows)
const rowModules = {P1: 'keys', P1b: 'keys', P2: 'monitor', P3: 'sqlite', P4: 'sqlite', P5: 'console', P5u: 'console', P5b: 'console', P5c: 'console', P5d: 'traffic', P6: 'keys', P7: 'postgres', P8: 'redis', P8b: 'redis', P10: 'remote', P9: 'logs', P9i: 'logs', P9b: 'logs', P9c: 'logs', P10b: 'drill'};
const allRows = Object.keys(rowModules).map(id => ({id}));
const loadRow = async id => (await import(`./rows/${rowModules[id]}.mjs`))[id];
const benchDir = path.join(root, 'test/bench');

function machine() {
	const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
	let commit;
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root}).toString().trim();
	} catch {
		commit = undefined;
	}
	const version = cmd => {
		try {
			return execFileSync(cmd[0], cmd.slice(1)).toString().trim().split('\n')[0];
		} catch {
			return undefined;
		}
	};
	return {
		nproc: os.availableParallelism(),
		cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model,
		memGb: round(os.totalmem() / 2 ** 30, 1),
		node: process.version,
		os: `${os.type()} ${os.release()}`,
		redis: version(['redis-server', '--version'])?.replace(/^Redis server v=(\S+).*/, 'Redis $1'),
		sqlite3: version(['sqlite3', '--version'])?.split(' ')[0],
		loadavg: os.loadavg().map(v => round(v, 2)),
		commit,
	};
}

function targetText(t) {
	if (t.kind === 'ratio') return `<= ${t.max}x`;
	if (t.kind === 'ms') return `<= ${t.max} ms`;
	if (t.kind === 'cpu') return `<= ${t.maxPercent}% CPU, <= ${t.maxRssMb} MB`;
	if (t.kind === 'rss') return `<= ${t.maxRssMb} MB`;
	if (t.kind === 'cpu-ratio') return `<= ${t.max}x CPU, poll <= ${t.maxRoundTripMs} ms`;
	return 'info';
}

function summarize(row, result, ms) {
	const base = {id: row.id, work: row.work, opsdeckCommand: row.opsdeckCommand, baselineCommand: row.baselineCommand ?? null, target: targetText(row.target), note: result.note ?? null, seconds: round(ms / 1000, 1)};
	if (row.target.kind === 'cpu') {
		return {...base, opsdeck: `${result.cpuPercent.toFixed(2)}% CPU, RSS ${result.rssMb.toFixed(0)} MB`, baseline: null, ratio: null,
			cpuPercent: round(result.cpuPercent, 3), rssMb: round(result.rssMb, 1), rssMaxMb: round(result.rssMaxMb, 1),
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
		return {...base, opsdeck: `${a.toFixed(2)}% CPU, poll ${fmtMs(trip)}`, baseline: `${b.toFixed(2)}% CPU`, ratio: round(a / b, 2),
			opsdeckCpuPercent: round(a, 3), baselineCpuPercent: round(b, 3), roundTripMedianMs: round(trip, 2), roundTripSamplesMs: result.roundTripMs.map(v => round(v, 2)),
			pass: a / b <= row.target.max && trip <= row.target.maxRoundTripMs};
	}
	const a = median(result.opsdeck);
	const b = result.baseline ? median(result.baseline) : undefined;
	const ratio = b === undefined ? undefined : a / b;
	const pass = row.target.kind === 'ratio' ? ratio <= row.target.max : row.target.kind === 'ms' ? a <= row.target.max : null;
	return {...base, opsdeck: fmtMs(a), baseline: b === undefined ? null : fmtMs(b), ratio: ratio === undefined ? null : round(ratio, 2),
		opsdeckMedianMs: round(a, 2), baselineMedianMs: b === undefined ? null : round(b, 2),
		opsdeckSamplesMs: result.opsdeck.map(v => round(v, 2)), baselineSamplesMs: result.baseline?.map(v => round(v, 2)) ?? null, pass};
}

function verdict(pass) {
	return pass === true ? 'pass' : pass === false ? 'FAIL' : 'info';
}

function table(results) {
	const head = ['#', 'work', 'opsdeck (median)', 'baseline (median)', 'ratio', 'target', 'result'];
	const body = results.map(r => [r.id, r.work, r.opsdeck, r.baseline ?? '-', r.ratio === null ? '-' : `${r.ratio}x`, r.target, r.error ? `ERROR` : verdict(r.pass)]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map(row => String(row[i]).length)));
	const line = row => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
	return [line(head), widths.map(w => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function markdown(latest) {
	const m = latest.machine;
	const rows = Object.keys(rowModules).map(id => latest.rows[id]).filter(Boolean);
	const lines = [
		'# opsdeck benchmark results',
		'',
		'Written by `npm run bench` (test/bench/run.mjs) from test/bench/latest.json. Each pair ran alternately',
		'(the order flipping every round), 5 rounds unless BENCH_REPS said otherwise; figures are medians. Baselines',
		'are the tools an operator would use instead.',
		'',
		'| # | work | opsdeck | baseline | ratio | target | result |',
		'|---|---|---|---|---|---|---|',
		...rows.map(r => `| ${r.id} | ${r.work} | ${r.opsdeck} | ${r.baseline ?? '-'} | ${r.ratio === null ? '-' : `${r.ratio}x`} | ${r.target.replaceAll('<=', '≤')} | ${r.error ? 'error' : verdict(r.pass)} |`),
		'',
		`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memGb} GB RAM, ${m.os}; Node ${m.node}; ${m.redis}; sqlite3 ${m.sqlite3};`,
		`load average at the start ${m.loadavg.join(' / ')} (a shared machine: other jobs ran at the same time). Measured ${latest.updatedAt.slice(0, 16).replace('T', ' ')} UTC at commit ${m.commit ?? '?'}.`,
		'',
		'What each row measures:',
		'',
		...rows.map(r => `- **${r.id}** ${r.opsdeckCommand}${r.baselineCommand ? `; baseline: ${r.baselineCommand}` : ''}.${r.note ? ` ${r.note}.` : ''}${r.reps && r.reps !== 5 ? ` (${r.reps} rounds)` : ''}`),
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

async function main() {
	if (process.argv.includes('--report')) {
		// RESULTS.md again from latest.json and FINDINGS.md, nothing measured
		const latest = JSON.parse(fs.readFileSync(path.join(benchDir, 'latest.json'), 'utf8'));
		fs.writeFileSync(path.join(benchDir, 'RESULTS.md'), markdown(latest));
		console.error('written: test/bench/RESULTS.md');
		return 0;
	}
	const wanted = process.argv.slice(2).map(s => s.toUpperCase().replace(/^P(\d+)([A-Z]?)$/, (_, n, x) => `P${n}${x.toLowerCase()}`));
	const unknown = wanted.filter(id => !allRows.some(r => r.id === id));
	if (unknown.length > 0) {
		console.error(`unknown row(s) ${unknown.join(', ')}; rows: ${allRows.map(r => r.id).join(' ')}`);
		return 2;
	}
	const rows = wanted.length > 0 ? allRows.filter(r => wanted.includes(r.id)) : allRows;
	const missing = ['redis-server', 'redis-cli', 'sqlite3'].filter(bin => {
		try {
			execFileSync('sh', ['-c', `command -v ${bin}`], {stdio: 'ignore'});
			return false;
		} catch {
			return true;
		}
	});
	if (missing.length > 0) {
		console.error(`the bench needs ${missing.join(', ')} on the PATH`);
		return 2;
	}
	for (const file of ['build/bundle/bin.js', 'build/bin.js']) {
		if (!fs.existsSync(path.join(root, file))) {
			console.error(`${file} is missing: run \`npm run build\` (npm run bench does)`);
			return 2;
		}
	}
	const quick = process.env.BENCH_QUICK === '1';
	const log = message => console.error(message);
	const info = machine();
	const ctx = createContext({log, quick});
	const started = Date.now();
	log(`opsdeck bench: ${rows.map(r => r.id).join(' ')} (${ctx.reps} rounds${quick ? ', quick' : ''}) on ${info.nproc} x ${info.cpu}, Node ${info.node}, load ${info.loadavg.join(' ')}`);
	const results = [];
	try {
		for (const {id} of rows) {
			const t = Date.now();
			let row = {id, work: '?', target: {kind: 'info'}};
			try {
				row = await loadRow(id);
				log(`${row.id} ${row.work}`);
				const result = await row.run(ctx);
				results.push(summarize(row, result, Date.now() - t));
			} catch (error) {
				log(`  ${id} failed: ${error.stack ?? error}`);
				results.push({id, work: row.work, opsdeck: '-', baseline: null, ratio: null, target: targetText(row.target), pass: false, error: String(error.message ?? error).split('\n')[0]});
			}
		}
	} finally {
		await ctx.close();
	}
	console.log(`\n${table(results)}\n`);

	const at = new Date().toISOString();
	const report = {at, durationS: round((Date.now() - started) / 1000, 1), reps: ctx.reps, quick, machine: info, rows: results};
	fs.mkdirSync(path.join(benchDir, 'results'), {recursive: true});
	const file = path.join(benchDir, 'results', `bench-${at.replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, `${JSON.stringify(report, null, '\t')}\n`);
	// latest.json keeps the newest figure of every row, so `npm run bench -- P3` updates only P3
	const latestFile = path.join(benchDir, 'latest.json');
	let latest = {rows: {}};
	try {
		latest = JSON.parse(fs.readFileSync(latestFile, 'utf8'));
	} catch {
		// first run
	}
	for (const r of results) if (!r.error) latest.rows[r.id] = {...r, reps: ctx.reps, quick, measuredAt: at};
	latest = {updatedAt: at, reps: ctx.reps, machine: info, rows: latest.rows};
	fs.writeFileSync(latestFile, `${JSON.stringify(latest, null, '\t')}\n`);
	fs.writeFileSync(path.join(benchDir, 'RESULTS.md'), markdown(latest));
	log(`written: ${path.relative(root, file)}, test/bench/latest.json, test/bench/RESULTS.md (${report.durationS} s)`);
	return results.some(r => r.error) ? 1 : 0;
}

process.exitCode = await main();
// a pty or socket left half-closed must not keep the bench waiting
setTimeout(() => process.exit(), 1000).unref();
