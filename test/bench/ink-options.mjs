// Ink 6.8's own render options, measured on the real console in tmux at 80x24 (issue 15):
//   node test/bench/ink-options.mjs [check|cpu|all]   (after npm run build; not part of npm run bench)
// Variants of build/bundle (copied to build/ink-variants/, the render() call given other options):
//   check: does incrementalRendering draw what Ink meant? The variant also writes every frame Ink
//          hands to its log (the frame it means to show) to a file; once the screen has been quiet
//          for a moment, tmux's screen is compared with that frame, line by line. Monitor tab with
//          20 watched keys changed every second (rows also added and removed), Keys tab scrolled
//          with key bursts, Status tab. The default renderer is checked the same way as a control.
//   cpu:   the Status tab left idle (30 s warm-up, 60 s window, as P5b): CPU of the console and of
//          the tmux server (the terminal's work), and the bytes written to the terminal.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startRedis} from './lib/proc.mjs';
import {sleep} from './lib/stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = path.join(root, 'build/bundle');
const socket = `opsdeck-ink-options-${process.pid}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-ink-options-'));
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});

/** build/bundle copied with other render options; `dump`: every frame Ink logs goes to $OPSDECK_FRAME_DUMP */
function variant(name, options, dump) {
	const dir = path.join(root, 'build/ink-variants', name);
	fs.rmSync(dir, {recursive: true, force: true});
	fs.cpSync(bundle, dir, {recursive: true});
	const file = path.join(dir, 'opsdeck.script.js');
	if (!fs.readFileSync(file, 'utf8').includes('{ exitOnCtrlC: false, patchConsole: true }')) throw new Error('the render() call was not found in the bundle');
	// a code cache of its own (scripts/code-cache-loader.cjs names it by the build)
	const bin = path.join(dir, 'bin.js');
	fs.writeFileSync(bin, fs.readFileSync(bin, 'utf8').replace(/const buildId = "([0-9a-f]+)"/, `const buildId = "$1-${name}"`));
	let code = fs.readFileSync(file, 'utf8').replace('{ exitOnCtrlC: false, patchConsole: true }', `{ exitOnCtrlC: false, patchConsole: true, ...${JSON.stringify(options)} }`);
	if (dump) {
		if (code.split('      this.log(output);\n').length !== 2) throw new Error('Ink\'s throttled log was not found in the bundle');
		code = code.replace('      this.log(output);\n', '      globalThis.__frameDump?.(output);\n      this.log(output);\n');
		const lines = fs.readFileSync(bin, 'utf8').split('\n');
		// (written beside, then renamed: a reader never sees a half-written frame)
		lines.splice(1, 0, 'if (process.env.OPSDECK_FRAME_DUMP) globalThis.__frameDump = frame => { const fs = require("node:fs"); fs.writeFileSync(process.env.OPSDECK_FRAME_DUMP + ".new", frame); fs.renameSync(process.env.OPSDECK_FRAME_DUMP + ".new", process.env.OPSDECK_FRAME_DUMP); };');
		fs.writeFileSync(bin, lines.join('\n'));
	}
	fs.writeFileSync(file, code);
	return path.join(dir, 'bin.js');
}

let redis;
async function start(bin, {name, db}) {
	const env = {XDG_STATE_HOME: path.join(tmp, 'state'), OPSDECK_AUDIT_LOG: path.join(tmp, 'audit.log'), NODE_ENV: 'production', TERM: 'xterm-256color', OPSDECK_FRAME_DUMP: path.join(tmp, `${name}.frame`)};
	const args = ['--redis-url', redis.url(db), '--database-url', pgUrl, '--sqlite', path.join(tmp, 'app.db'), '--backup-dir', path.join(tmp, 'backups'), '--interval', '1000'];
	tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), '--', process.execPath, bin, ...args);
	const pid = Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
	const bytes = path.join(tmp, `${name}.bytes`);
	tmux('pipe-pane', '-t', name, '-o', `cat >> ${bytes}`);
	const screen = () => tmux('capture-pane', '-p', '-t', name);
	for (let i = 0; i < 200 && !/Redis\s+up/.test(screen()); i++) await sleep(50);
	return {
		pid, screen, frame: env.OPSDECK_FRAME_DUMP, bytes: () => (fs.existsSync(bytes) ? fs.statSync(bytes).size : 0),
		keys: (...keys) => tmux('send-keys', '-t', name, ...keys),
		stop: () => tmux('kill-session', '-t', name),
	};
}

const ticks = pid => {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]);
};
const trimLines = text => text.split('\n').map(line => line.trimEnd());

/** tmux's screen against the last frame Ink logged, once neither has moved for 300 ms; undefined if it never settled */
async function compare(run) {
	for (let attempt = 0; attempt < 20; attempt++) {
		const before = fs.existsSync(run.frame) ? fs.statSync(run.frame).mtimeMs : 0;
		if (Date.now() - before < 300) {
			await sleep(100);
			continue;
		}
		const shown = trimLines(run.screen());
		const meant = trimLines(fs.readFileSync(run.frame, 'utf8').replace(ansi, ''));
		if (fs.statSync(run.frame).mtimeMs !== before) continue;
		const differ = [];
		for (let row = 0; row < 23; row++) if ((shown[row] ?? '') !== (meant[row] ?? '')) differ.push({row, shown: shown[row], meant: meant[row]});
		return differ;
	}
	return undefined;
}

async function check(name, options) {
	const writer = redis.url(1);
	const cli = (...args) => execFileSync('redis-cli', ['-u', writer, ...args]);
	// the same keys for every variant
	cli('flushdb');
	for (let i = 0; i < 20; i++) cli('zadd', `chat:room${i}:messages`, '0', 'first');
	for (let i = 0; i < 100; i++) cli('set', `key:${String(i).padStart(3, '0')}`, 'x'.repeat(i));
	const run = await start(variant(name, options, true), {name, db: 1});
	const results = {compared: 0, garbled: 0, examples: []};
	const record = async label => {
		const differ = await compare(run);
		if (!differ) return;
		results.compared++;
		if (differ.length > 0) {
			results.garbled++;
			if (results.examples.length < 3) results.examples.push({label, rows: differ.slice(0, 4)});
		}
	};
	// Monitor: 20 watched keys, changed every second; from round 10 keys come and go (rows added, removed)
	run.keys('3');
	for (let round = 0; round < 25; round++) {
		for (let i = 0; i < 20; i++) if ((i + round) % 3 === 0) cli('zadd', `chat:room${i}:messages`, String(round), `m${round}-${i}`);
		if (round >= 10) cli(round % 2 ? 'del' : 'zadd', `chat:extra${round % 4}:messages`, ...(round % 2 ? [] : ['1', 'x']));
		await sleep(1000);
		await record(`monitor round ${round}`);
	}
	// Keys: 100 keys, scrolled by bursts of j and k
	run.keys('2');
	await sleep(1500);
	for (let burst = 0; burst < 12; burst++) {
		run.keys(...Array.from({length: 3 + (burst % 5) * 4}, () => (burst % 3 === 2 ? 'k' : 'j')));
		await sleep(600);
		await record(`keys burst ${burst}`);
	}
	// Status: the clock and the latencies every second
	run.keys('1');
	for (let s = 0; s < 10; s++) {
		await sleep(1000);
		await record(`status ${s}`);
	}
	run.stop();
	return results;
}

async function idleCpu(name, options) {
	const run = await start(variant(name, options, false), {name, db: 0});
	const server = Number(tmux('display-message', '-p', '#{pid}').trim());
	await sleep(30_000);
	const before = {node: ticks(run.pid), tmux: ticks(server), bytes: run.bytes(), at: performance.now()};
	await sleep(60_000);
	const seconds = (performance.now() - before.at) / 1000;
	const result = {
		node: ((ticks(run.pid) - before.node) / hz / seconds) * 100,
		tmux: ((ticks(server) - before.tmux) / hz / seconds) * 100,
		bytesPerSecond: (run.bytes() - before.bytes) / seconds,
	};
	run.stop();
	return result;
}

const mode = process.argv[2] ?? 'all';
const checks = {full: {}, incremental: {incrementalRendering: true}};
const cpus = {'full-30fps': {}, 'incremental-30fps': {incrementalRendering: true}, 'full-5fps': {maxFps: 5}, 'full-60fps': {maxFps: 60}};
try {
	redis = await startRedis();
	execFileSync('redis-cli', ['-u', redis.url(0), 'set', 'k', 'v']);
	if (mode === 'check' || mode === 'all') {
		for (const [name, options] of Object.entries(checks)) {
			const r = await check(`check-${name}`, options);
			console.log(`${name}: ${r.garbled} of ${r.compared} settled screens differ from Ink's frame`);
			for (const example of r.examples) console.log(`  ${example.label}: ${JSON.stringify(example.rows)}`);
		}
	}
	if (mode === 'cpu' || mode === 'all') {
		const reps = Number(process.env.BENCH_REPS ?? 2);
		const rows = Object.fromEntries(Object.keys(cpus).map(name => [name, []]));
		// alternated, so the machine's load falls on every variant alike
		for (let rep = 0; rep < reps; rep++) for (const [name, options] of Object.entries(cpus)) rows[name].push(await idleCpu(`cpu-${name}`, options));
		for (const [name, runs] of Object.entries(rows)) {
			const f = (key, digits) => runs.map(r => r[key].toFixed(digits)).join(' / ');
			console.log(`${name}: console CPU ${f('node', 2)} %, tmux server ${f('tmux', 2)} %, ${f('bytesPerSecond', 0)} bytes/s to the terminal`);
		}
	}
} finally {
	try {
		tmux('kill-server');
	} catch {
		// no server left
	}
	await redis?.stop();
	fs.rmSync(tmp, {recursive: true, force: true});
	fs.rmSync(path.join(root, 'build/ink-variants'), {recursive: true, force: true});
}
