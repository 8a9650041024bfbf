// Side by side start-up of two builds (FINDINGS "P9, P5, P1 start-up"): the console's first full
// frame in a 100x30 pty (P5's measure), and `logs FILE -n 50` spawn to exit (P9's), the builds
// alternating, with `node -e ""` between them; medians and minimums.
//   node test/bench/ab-start.mjs /tmp/base-startup/build/bundle/bin.js [N]
// (the other build: this worktree's build/bundle/bin.js; Redis and PostgreSQL on their default ports)
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {bundleBin} from './lib/context.mjs';
import {consoleEnv, fullFrame, startPty} from './lib/pty.mjs';

const [baseBin, count = '9'] = process.argv.slice(2);
if (!baseBin || !fs.existsSync(baseBin)) throw new Error('usage: node test/bench/ab-start.mjs BASE_BIN [N]');
const bins = {base: baseBin, this: bundleBin};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ab-start-'));
const args = ['--redis-url', 'redis://127.0.0.1:6379/0', '--database-url', 'postgres://postgres@127.0.0.1:5432/postgres', '--sqlite', path.join(tmp, 'app.db'), '--backup-dir', path.join(tmp, 'backups')];
const env = consoleEnv({XDG_STATE_HOME: path.join(tmp, 'state'), OPSDECK_AUDIT_LOG: path.join(tmp, 'audit.log'), NODE_ENV: 'production'});
const log = path.join(tmp, 'app.log');
fs.writeFileSync(log, Array.from({length: 200_000}, (_, i) => `2026-11-30T10:00:${String(i % 60).padStart(2, '0')}Z INFO http GET /api/x status=200 ms=${i % 97} seq=${i}\n`).join(''));

async function frame(bin) {
	const run = startPty('node', [bin, ...args], {cols: 100, rows: 30, env, cwd: tmp});
	const at = await run.waitUntil(() => fullFrame(run), 'the first full frame');
	await run.quit();
	return at - run.startedAt;
}
async function bare() {
	const run = startPty('node', ['-e', ''], {cols: 100, rows: 30, env, cwd: tmp});
	const exit = await run.exited;
	return exit.at - run.startedAt;
}
function timed(command, commandArgs) {
	const started = performance.now();
	const r = spawnSync(command, commandArgs, {cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe']});
	if (r.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')}: exit ${r.status}: ${r.stderr}`);
	return performance.now() - started;
}

const n = Number(count);
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const report = (title, samples) => {
	console.log(title);
	for (const [name, values] of Object.entries(samples)) console.log(`  ${name.padEnd(8)} median ${median(values).toFixed(1)} ms, min ${Math.min(...values).toFixed(1)} ms`);
};
// one start each first: each build's code caches written
for (const bin of Object.values(bins)) {
	await frame(bin);
	timed('node', [bin, 'logs', log, '-n', '50']);
}
const frames = {base: [], this: [], 'node -e': []};
for (let i = 0; i < n; i++) {
	for (const [name, bin] of Object.entries(bins)) frames[name].push(await frame(bin));
	frames['node -e'].push(await bare());
}
report(`P5, the console's first full frame (pty), ${n} alternating`, frames);
const logs = {base: [], this: [], 'node -e': []};
for (let i = 0; i < n; i++) {
	for (const [name, bin] of Object.entries(bins)) logs[name].push(timed('node', [bin, 'logs', log, '-n', '50']));
	logs['node -e'].push(timed('node', ['-e', '']));
}
report(`P9, logs FILE -n 50 spawn to exit, ${n} alternating`, logs);
console.log(`load average ${os.loadavg().map(v => v.toFixed(1)).join(' ')}`);
fs.rmSync(tmp, {recursive: true, force: true});
process.exit(0);
