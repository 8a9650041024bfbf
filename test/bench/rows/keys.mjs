// P1 (list all of 1M keys, with P1i beside redis-cli), P1b (first page of keys on screen), P6 (keypress to frame, 100k rows).
import {bundleBin, sizes} from '../lib/context.mjs';
import {cpuSeconds, timedRun} from '../lib/proc.mjs';
import {fullFrame, startPty} from '../lib/pty.mjs';
import {alternateSides, median, sleep} from '../lib/stats.mjs';

// The anchor is what Redis itself spends on the same SCANs: redis-server's utime+stime (from /proc, the
// private server the bench started, nothing else talks to it) over opsdeck's run. opsdeck cannot list
// the keys in less wall time than the server takes to produce them; 1.25x leaves the client a quarter.
export const P1 = {
	id: 'P1',
	work: 'list all of 1M keys',
	opsdeckCommand: 'opsdeck keys --json, process start to exit (stdout drained by the bench)',
	baselineCommand: "redis-server's own CPU time (utime+stime from /proc/PID/stat) over the same run: the SCANs opsdeck sends",
	target: {kind: 'ratio', max: 1.25},
	async run(ctx) {
		const redis = await ctx.redis();
		const url = redis.url(0);
		let checked = false;
		// CPU seconds of each client and of redis-server per run: the machine's load moves wall time a lot
		const cpu = {opsdeck: [], cli: [], cliServer: []};
		const serverMs = [];
		const sides = await alternateSides(ctx.reps, {
			async opsdeck() {
				const server = cpuSeconds(redis.pid);
				const r = await timedRun('node', [bundleBin, 'keys', '--json', '--redis-url', url], {keep: !checked, env: ctx.env(), cwd: ctx.tmp, cpu: true});
				serverMs.push((cpuSeconds(redis.pid) - server) * 1000);
				cpu.opsdeck.push(r.cpuS);
				if (r.code !== 0) throw new Error(`opsdeck keys exited ${r.code}: ${r.stderr}`);
				if (!checked) {
					const out = JSON.parse(r.stdout);
					if (out.count < sizes.keys || new Set(out.keys).size !== sizes.keys) throw new Error(`opsdeck keys listed ${out.count} keys, expected ${sizes.keys}`);
					checked = true;
				}
				return r.ms;
			},
			async cli() {
				const server = cpuSeconds(redis.pid);
				const r = await timedRun('redis-cli', ['-p', String(redis.port), '--scan'], {cpu: true});
				cpu.cliServer.push(cpuSeconds(redis.pid) - server);
				cpu.cli.push(r.cpuS);
				if (r.code !== 0 || r.stdoutLines < sizes.keys) throw new Error(`redis-cli --scan: exit ${r.code}, ${r.stdoutLines} lines`);
				return r.ms;
			},
		}, {log: ctx.log});
		const m = key => median(cpu[key]).toFixed(2);
		return {
			opsdeck: sides.opsdeck,
			baseline: serverMs,
			cpu,
			note: `opsdeck's output checked once (1,000,000 distinct keys). CPU (median user+sys): opsdeck ${m('opsdeck')} s; redis-cli ${m('cli')} s + redis-server ${m('cliServer')} s during its run; /proc ticks are 10 ms`,
			extra: [{
				id: 'P1i',
				work: 'list all of 1M keys, beside redis-cli --scan',
				opsdeckCommand: 'the same opsdeck runs as P1',
				baselineCommand: 'redis-cli --scan (COUNT 10: 100,000 round trips), stdout drained by the bench, alternating with opsdeck',
				target: {kind: 'info'},
				result: {opsdeck: sides.opsdeck, baseline: sides.cli, note: 'information only: redis-cli asks for 10 keys a round trip, opsdeck for 1,000'},
			}],
		};
	},
};

async function startConsole(ctx, db) {
	const run = startPty('node', [bundleBin, ...(await ctx.consoleArgs(db))], {cols: 100, rows: 30, env: ctx.env(), cwd: ctx.tmp});
	await run.waitUntil(() => fullFrame(run), 'the first full frame');
	// connected, as an operator who looks at the Status tab first would be
	await run.waitUntil(() => /Redis\s+up/.test(run.screen()), 'Redis up on the Status tab');
	return run;
}

const keyRow = /^(chat|session):\d+/;

export const P1b = {
	id: 'P1b',
	work: 'first page of keys on screen, 1M-key server',
	opsdeckCommand: 'console in a 100x30 pty: from pressing 2 (Keys tab, the scan starts when the tab is first shown) until the chunk that draws the first key rows has arrived',
	target: {kind: 'ms', max: 150},
	async run(ctx) {
		const samples = [];
		for (let i = 0; i < ctx.reps; i++) {
			const run = await startConsole(ctx, 0);
			await sleep(300);
			const pressed = run.press('2');
			const drawn = await run.waitUntil(() => run.lines().some(line => keyRow.test(line)), 'key rows on the Keys tab');
			samples.push(drawn - pressed);
			ctx.log(`  round ${i + 1}/${ctx.reps}: ${(drawn - pressed).toFixed(0)} ms`);
			await run.quit();
		}
		return {opsdeck: samples, note: 'the rows come from the first SCAN batch (COUNT = scanCount, 1000); key details (type/TTL/size) follow'};
	},
};

export const P6 = {
	id: 'P6',
	work: 'keypress to frame in a 100k-row list',
	opsdeckCommand: 'console in a 100x30 pty, Keys tab with 100,000 keys scanned and sorted: press j, until the chunk that moves the highlighted row has arrived (10 presses per console)',
	target: {kind: 'ms', max: 50},
	async run(ctx) {
		const samples = [];
		const consoles = Math.max(1, Math.ceil(ctx.reps / 2));
		for (let c = 0; c < consoles; c++) {
			const run = await startConsole(ctx, 1);
			run.press('2');
			await run.waitUntil(() => /100,000 keys/.test(run.screen()) && /\bdone\b/.test(run.screen()) && run.selectedRow() !== undefined, '100,000 keys scanned', 60_000);
			await sleep(500);
			const round = [];
			for (let i = 0; i < 10; i++) {
				const before = run.selectedRow();
				const pressed = run.press('j');
				const drawn = await run.waitUntil(() => run.selectedRow() !== before, 'the highlight to move');
				round.push(drawn - pressed);
				// let the details of the new window arrive before the next press
				await sleep(150);
			}
			samples.push(...round);
			ctx.log(`  console ${c + 1}/${consoles}: median ${median(round).toFixed(1)} ms, max ${Math.max(...round).toFixed(1)} ms`);
			await run.quit();
		}
		return {opsdeck: samples, note: `${samples.length} presses; max ${Math.max(...samples).toFixed(1)} ms`};
	},
};
