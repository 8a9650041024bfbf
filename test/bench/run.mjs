// npm run bench [-- P1 P3 ...]: opsdeck side by side with its anchor (the physical limit or the tool
// an operator would use instead), measured in the same run. The sides run alternately (BENCH_REPS
// rounds, default 5), medians and min–max are compared, a table is printed and written as JSON to
// test/bench/results/ (git-ignored); the rows measured are merged into test/bench/latest.json, from
// which test/bench/RESULTS.md and the README's Performance table are written.
// Rows: every `export const P… = {` in test/bench/rows/*.mjs (found by reading the files, loaded only
// when selected: a row is added by adding a file or an export there, nothing to register here).
// BENCH_QUICK=1 shortens the idle-CPU window to 15 s and P5d's traffic to 2 minutes;
// `node test/bench/run.mjs --report` only rewrites RESULTS.md and the README table (after editing
// FINDINGS.md).
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
import {writeReports} from './lib/report.mjs';
import {round} from './lib/stats.mjs';
import {summarize, table, targetText} from './lib/summary.mjs';

const benchDir = path.join(root, 'test/bench');
const rowsDir = path.join(benchDir, 'rows');

/** P1 < P1b < P2 < … < P9 < P10: by number, then the letter */
const byId = (a, b) => {
	const [, na, xa] = /^P(\d+)(.*)$/.exec(a);
	const [, nb, xb] = /^P(\d+)(.*)$/.exec(b);
	return Number(na) - Number(nb) || xa.localeCompare(xb);
};

/** row id → its module, read from the files (not imported: a row's imports of build/ may be broken mid-edit) */
function rowModules() {
	const found = {};
	for (const file of fs.readdirSync(rowsDir).filter(name => name.endsWith('.mjs')).sort()) {
		for (const [, id] of fs.readFileSync(path.join(rowsDir, file), 'utf8').matchAll(/^export const (P\d+[a-z]?) = \{/gm)) found[id] = file;
	}
	return Object.fromEntries(Object.keys(found).sort(byId).map(id => [id, found[id]]));
}

const modules = rowModules();
const allIds = Object.keys(modules);
const loadRow = async id => (await import(`./rows/${modules[id]}`))[id];

// the rows to report: every row defined, and the extra rows (P1i, P4b) a row measured beside itself;
// a row whose export is gone drops out
const reportIds = latest => [...new Set([...allIds, ...Object.keys(latest.rows).filter(id => allIds.some(own => id.startsWith(own)))])].sort(byId);

function machine() {
	const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
	let commit;
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, stdio: ['ignore', 'pipe', 'ignore']}).toString().trim();
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

async function main() {
	if (process.argv.includes('--report')) {
		// RESULTS.md again from latest.json and FINDINGS.md, nothing measured
		const latest = JSON.parse(fs.readFileSync(path.join(benchDir, 'latest.json'), 'utf8'));
		const readme = writeReports(root, latest, reportIds(latest));
		console.error(`written: test/bench/RESULTS.md${readme ? ', README.md (Performance table)' : ''}`);
		return 0;
	}
	const wanted = process.argv.slice(2).map(s => s.toUpperCase().replace(/^P(\d+)([A-Z]?)$/, (_, n, x) => `P${n}${x.toLowerCase()}`));
	const unknown = wanted.filter(id => !allIds.includes(id));
	if (unknown.length > 0) {
		console.error(`unknown row(s) ${unknown.join(', ')}; rows: ${allIds.join(' ')}`);
		return 2;
	}
	const rows = (wanted.length > 0 ? allIds.filter(id => wanted.includes(id)) : allIds).map(id => ({id}));
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
				results.push(...summarize(row, result, Date.now() - t));
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
	for (const r of results) if (!r.error) latest.rows[r.id] = {...r, reps: ctx.reps, quick, measuredAt: at, loadavg: info.loadavg};
	latest = {updatedAt: at, reps: ctx.reps, machine: info, rows: latest.rows};
	fs.writeFileSync(latestFile, `${JSON.stringify(latest, null, '\t')}\n`);
	writeReports(root, latest, reportIds(latest));
	log(`written: ${path.relative(root, file)}, test/bench/latest.json, test/bench/RESULTS.md, README.md (${report.durationS} s)`);
	return results.some(r => r.error) ? 1 : 0;
}

process.exitCode = await main();
// a pty or socket left half-closed must not keep the bench waiting
setTimeout(() => process.exit(), 1000).unref();
