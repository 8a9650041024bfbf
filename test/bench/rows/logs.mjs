// P9 (the first screen of a 1 GB log vs tail -n 50), P9i (the same read in-process, node's start-up
// left out), P9b (logs --grep over 1 GB vs grep -c) and P9c (the Logs tab following 10,000 lines/s:
// its CPU). The 1 GB log is the tests' own (test/helpers/big-log.ts, transpiled here with esbuild),
// generated once into $TMPDIR/opsdeck-test-cache and reused by every later run and by the tests
// run with OPSDECK_BIG_LOG_MB=1024.
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {transform} from 'esbuild';
import {bundleBin, root} from '../lib/context.mjs';
import {startPty} from '../lib/pty.mjs';
import {timedRun} from '../lib/proc.mjs';
import {alternate, median, now, sleep} from '../lib/stats.mjs';
import {rssMb} from './console.mjs';

const megabytes = Number(process.env.BENCH_LOG_MB ?? 1024);

/** The 1 GB log (about a minute the first time, then cached). */
async function bigLogFile(ctx) {
	const source = fs.readFileSync(path.join(root, 'test/helpers/big-log.ts'), 'utf8');
	const {code} = await transform(source, {loader: 'ts', format: 'esm'});
	const module = path.join(ctx.tmp, 'big-log.mjs');
	fs.writeFileSync(module, code);
	const {bigLog, tailLines} = await import(pathToFileURL(module).href);
	const started = now();
	const file = bigLog(megabytes);
	const ms = now() - started;
	if (ms > 1000) ctx.log(`  generated ${file} (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB) in ${(ms / 1000).toFixed(1)} s`);
	return {file, tailLines};
}

export const P9 = {
	id: 'P9',
	work: `first screen of a ${megabytes >= 1024 ? `${megabytes / 1024} GB` : `${megabytes} MB`} log`,
	opsdeckCommand: 'node build/bundle/bin.js logs FILE -n 50 (the last 50 lines read backwards from the end; the Logs tab reads its first screen through the same SourceReader), spawn to exit, node start-up included; output checked once',
	baselineCommand: 'tail -n 50 FILE',
	target: {kind: 'ms', max: 100},
	async run(ctx) {
		const {file, tailLines} = await bigLogFile(ctx);
		let checked = false;
		const samples = await alternate(ctx.reps, async () => {
			const r = await timedRun('node', [bundleBin, 'logs', file, '-n', '50'], {keep: !checked, env: ctx.env(), cwd: ctx.tmp});
			if (r.code !== 0) throw new Error(`opsdeck logs exited ${r.code}: ${r.stderr}`);
			if (!checked) {
				if (r.stdout.trimEnd().split('\n').join('\n') !== tailLines.join('\n')) throw new Error('opsdeck logs -n 50 printed other lines than the last 50');
				checked = true;
			}
			return r.ms;
		}, async () => {
			const r = await timedRun('tail', ['-n', '50', file]);
			if (r.stdoutLines !== 50) throw new Error(`tail printed ${r.stdoutLines} lines`);
			return r.ms;
		}, {log: ctx.log});
		const bare = await alternate(3, async () => (await timedRun('node', ['-e', ''])).ms, async () => 0);
		const ratio = median(samples.opsdeck) / median(samples.baseline);
		return {...samples, note: `the ratio to tail (${ratio.toFixed(1)}x) is node's start-up: \`node -e ""\` alone takes ${median(bare.opsdeck).toFixed(0)} ms here, tail ${median(samples.baseline).toFixed(1)} ms in all; the read itself is P9i`};
	},
};

export const P9i = {
	id: 'P9i',
	work: 'first screen of the log, in-process (no node start-up)',
	opsdeckCommand: 'new SourceReader(file).last(50), the lines sanitized as the tab draws them, then closed: in this process, after one warm-up read (build/logs/reader.js, the tsc build)',
	baselineCommand: null,
	target: {kind: 'info'},
	async run(ctx) {
		const {file} = await bigLogFile(ctx);
		const {SourceReader} = await import(pathToFileURL(path.join(root, 'build/logs/reader.js')).href);
		const {logLineText} = await import(pathToFileURL(path.join(root, 'build/text/log-text.js')).href);
		const once = async () => {
			const started = now();
			const reader = new SourceReader({kind: 'file', name: 'big', path: file});
			const page = await reader.last(50);
			for (const line of page.lines) logLineText(line);
			await reader.close();
			return {ms: now() - started, bytes: page.bytesRead};
		};
		await once();
		const runs = [];
		for (let i = 0; i < ctx.reps; i++) runs.push(await once());
		return {opsdeck: runs.map(r => r.ms), note: `${(runs[0].bytes / 1024).toFixed(0)} KB of the ${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GB file read`};
	},
};

const grepRe = 'status=5\\d\\d';
const grepBaselineRe = 'status=5[0-9][0-9]';

export const P9b = {
	id: 'P9b',
	work: 'logs --grep --count over the 1 GB log',
	opsdeckCommand: `node build/bundle/bin.js logs FILE --grep '${grepRe}' --count (grep -c's work: count, write a number), spawn to exit; its count checked against grep -c's`,
	baselineCommand: `grep -c -E '${grepBaselineRe}' FILE (counts only, writes nothing)`,
	target: {kind: 'ratio', max: 1.5},
	async run(ctx) {
		const {file} = await bigLogFile(ctx);
		let count;
		let matched;
		const cpu = {opsdeck: [], baseline: []};
		const samples = await alternate(ctx.reps, async () => {
			const r = await timedRun('node', [bundleBin, 'logs', file, '--grep', grepRe, '--count'], {keep: true, env: ctx.env(), cwd: ctx.tmp, cpu: true});
			if (r.code !== 0) throw new Error(`opsdeck logs --grep --count exited ${r.code}: ${r.stderr}`);
			matched = Number(r.stdout.trim());
			cpu.opsdeck.push(r.cpuS);
			return r.ms;
		}, async () => {
			const r = await timedRun('grep', ['-c', '-E', grepBaselineRe, file], {keep: true, cpu: true});
			count = Number(r.stdout.trim());
			cpu.baseline.push(r.cpuS);
			return r.ms;
		}, {log: ctx.log});
		if (matched !== count) throw new Error(`opsdeck logs --grep printed ${matched} lines, grep -c counted ${count}`);
		const c = key => (cpu[key].every(v => v !== undefined) ? `${median(cpu[key]).toFixed(2)} s` : '?');
		return {...samples, note: `${count.toLocaleString('en-US')} matching lines counted on both sides; CPU (user+sys, median) opsdeck ${c('opsdeck')}, grep -c ${c('baseline')}`};
	},
};

/** A writer appending `rate` numbered lines a second to `log` until killed. */
function startWriter(ctx, log, rate) {
	const script = `const fs=require('node:fs');const fd=fs.openSync(process.argv[2],'a');let n=0;const t0=Date.now();
const filler=' INFO  http GET /api/chats/ABC123/messages status=200 ms=12 user=u4821';
setInterval(()=>{const due=Math.floor((Date.now()-t0)*${rate}/1000);let s='';for(;n<due;n++)s+='seq='+n+' '+new Date().toISOString()+filler+'\\n';if(s)fs.writeSync(fd,s);},10);`;
	const file = path.join(ctx.tmp, 'writer.cjs');
	fs.writeFileSync(file, script);
	const child = spawn(process.execPath, [file, log], {stdio: 'ignore'});
	const exited = new Promise(resolve => child.once('exit', resolve));
	return {stop: async () => {
		child.kill('SIGKILL');
		await exited;
	}};
}

export const P9c = {
	id: 'P9c',
	work: 'the Logs tab following 10,000 lines/s: CPU',
	opsdeckCommand: 'console in a 100x30 pty on the Logs tab, f pressed, a writer appending 10,000 lines/s (90 bytes each) to the log; utime+stime of the console from /proc/PID/stat over the window after a 10 s warm-up; RSS sampled each second',
	target: {kind: 'cpu', maxPercent: 15, maxRssMb: 200},
	async run(ctx) {
		const seconds = ctx.quick ? 10 : 30;
		const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
		const log = path.join(ctx.tmp, 'follow.log');
		fs.writeFileSync(log, 'seq=-1 start\n');
		const run = startPty('node', [bundleBin, ...(await ctx.consoleArgs(0))], {cols: 100, rows: 30, env: {...ctx.env(), LOG_FILES: log}, cwd: ctx.tmp});
		await run.waitUntil(() => /1 Status/.test(run.screen()), 'the first frame');
		run.press('7');
		await run.waitUntil(() => /follow\.log/.test(run.screen()), 'the Logs tab');
		run.press('f');
		await run.waitUntil(() => /following/.test(run.screen()), 'following');
		const writer = startWriter(ctx, log, 10_000);
		await sleep(10_000);
		const ticks = () => {
			const stat = fs.readFileSync(`/proc/${run.pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return Number(fields[11]) + Number(fields[12]);
		};
		const before = ticks();
		const started = performance.now();
		const rss = [];
		for (let s = 0; s < seconds; s++) {
			await sleep(1000);
			rss.push(rssMb(run.pid));
		}
		const percent = ((ticks() - before) / hz / ((performance.now() - started) / 1000)) * 100;
		const shown = /following ([\d,]+) lines\/s/.exec(run.screen())?.[1];
		await run.quit();
		await writer.stop();
		ctx.log(`  ${seconds} s: CPU ${percent.toFixed(1)}% of a core, the tab said ${shown} lines/s, RSS max ${Math.max(...rss).toFixed(0)} MB`);
		return {cpuPercent: percent, rssMb: rss.at(-1), rssMaxMb: Math.max(...rss), note: `${seconds} s window after 10 s of warm-up; the tab's header said ${shown ?? '?'} lines/s at the end`};
	},
};
