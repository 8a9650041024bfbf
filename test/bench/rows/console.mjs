// P5: start to the first full frame (tab bar and bottom bar drawn) vs `node -e ""` in the same pty;
// P5u: the same with the unbundled tsc build; P5b: the console's idle CPU and memory.
import fs from 'node:fs';
import {execFileSync} from 'node:child_process';
import {bundleBin, plainBin} from '../lib/context.mjs';
import {fullFrame, startPty} from '../lib/pty.mjs';
import {alternate, sleep} from '../lib/stats.mjs';

async function firstFrame(ctx, bin) {
	const run = startPty('node', [bin, ...(await ctx.consoleArgs(0))], {cols: 100, rows: 30, env: ctx.env(), cwd: ctx.tmp});
	const at = await run.waitUntil(() => fullFrame(run), 'the first full frame');
	await run.quit();
	return at - run.startedAt;
}

async function bareNode(ctx) {
	const run = startPty('node', ['-e', ''], {cols: 100, rows: 30, env: ctx.env(), cwd: ctx.tmp});
	const exit = await run.exited;
	return exit.at - run.startedAt;
}

const frameNote = 'from spawning `node BIN` in a 100x30 pty until the chunk that completes the tab bar and the key-hint bar has arrived';

export const P5 = {
	id: 'P5',
	work: 'start to first full frame (bundle)',
	opsdeckCommand: `node build/bundle/bin.js: ${frameNote}`,
	baselineCommand: 'node -e "" in the same pty, spawn to exit',
	target: {kind: 'ms', max: 200, ratio: 2.0},
	async run(ctx) {
		await ctx.redis();
		return alternate(ctx.reps, () => firstFrame(ctx, bundleBin), () => bareNode(ctx), {log: ctx.log});
	},
};

export const P5u = {
	id: 'P5u',
	work: 'start to first full frame (unbundled tsc build)',
	opsdeckCommand: `node build/bin.js: ${frameNote}`,
	baselineCommand: 'node -e "" in the same pty, spawn to exit',
	target: {kind: 'info'},
	async run(ctx) {
		await ctx.redis();
		return alternate(ctx.reps, () => firstFrame(ctx, plainBin), () => bareNode(ctx), {log: ctx.log});
	},
};

function cpuTicks(pid) {
	// /proc/PID/stat: the command name may hold spaces; fields after ')' start at field 3
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]); // utime + stime
}

export function rssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
	return kb / 1024;
}

/** The console idling on one view: CPU (utime+stime) over the window, RSS sampled each second. */
async function idle(ctx, {db, openView}) {
	const seconds = ctx.quick ? 15 : 60;
	const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
	const run = startPty('node', [bundleBin, ...(await ctx.consoleArgs(db, ['--interval', '1000']))], {cols: 100, rows: 30, env: ctx.env(), cwd: ctx.tmp});
	await run.waitUntil(() => fullFrame(run), 'the first full frame');
	await run.waitUntil(() => /Redis\s+up/.test(run.screen()), 'Redis up on the Status tab');
	const warmStart = {ticks: cpuTicks(run.pid), at: performance.now()};
	await openView(run);
	const before = cpuTicks(run.pid);
	// the warm-up on its own (V8 still compiling the hot paths on background threads), for the note
	const warmPercent = ((before - warmStart.ticks) / hz / ((performance.now() - warmStart.at) / 1000)) * 100;
	const started = performance.now();
	const rss = [];
	// the window in parts of 10 s: their spread is the row's min–max
	const windows = [];
	let mark = {ticks: before, at: started};
	for (let s = 1; s <= seconds; s++) {
		await sleep(1000);
		rss.push(rssMb(run.pid));
		if (s % 10 === 0) {
			const t = {ticks: cpuTicks(run.pid), at: performance.now()};
			windows.push(((t.ticks - mark.ticks) / hz / ((t.at - mark.at) / 1000)) * 100);
			mark = t;
		}
	}
	const after = cpuTicks(run.pid);
	const elapsed = (performance.now() - started) / 1000;
	const percent = ((after - before) / hz / elapsed) * 100;
	const endRss = rss.at(-1);
	const bytes = run.bytes();
	await run.quit();
	ctx.log(`  ${seconds} s: CPU ${percent.toFixed(2)}% of a core, RSS ${endRss.toFixed(1)} MB (max ${Math.max(...rss).toFixed(1)} MB)`);
	return {cpuPercent: percent, cpuWindows: windows, rssMb: endRss, rssMaxMb: Math.max(...rss), seconds, note: `${seconds} s window, ${(after - before)} ticks at ${hz} Hz; ${(bytes / 1024).toFixed(0)} KB drawn in all; RSS max ${Math.max(...rss).toFixed(1)} MB; during the warm-up before the window ${warmPercent.toFixed(2)}% CPU`};
}

export const P5b = {
	id: 'P5b',
	work: 'idle console at 1 s polling: CPU and RSS',
	opsdeckCommand: 'console on the Status tab (polls PostgreSQL, Redis with 1M keys, SQLite every 1 s, and redraws each time), 30 s warm-up as for P5c (the first half-minute is V8 compiling the hot paths on background threads; its CPU is in the note), then utime+stime from /proc/PID/stat over the window; RSS (VmRSS) at the end',
	target: {kind: 'cpu', maxPercent: 0.5, maxRssMb: 80},
	run: ctx => idle(ctx, {db: 0, openView: () => sleep(30_000)}),
};

// The Monitor tab left open in a pane: the use the idle figure is about. 30 s warm-up so the
// totals sparkline has filled (until then it grows every tick, as it should).
export const P5c = {
	id: 'P5c',
	work: 'idle console at 1 s polling, Monitor tab (1,000 watched keys)',
	opsdeckCommand: 'console on the Monitor tab watching chat:*:messages (1,000 sorted sets, nothing writing; no health poll while the Status tab is hidden, no webhook set), 30 s warm-up, then utime+stime from /proc/PID/stat over the window; RSS (VmRSS) at the end',
	target: {kind: 'cpu', maxPercent: 0.5, maxRssMb: 80},
	run: ctx => idle(ctx, {
		db: 2,
		async openView(run) {
			await sleep(300);
			run.press('3');
			await run.waitUntil(() => /1000 keys/.test(run.screen()), 'the Monitor tab with its 1,000 keys');
			await sleep(30_000);
		},
	}),
};
