// P1 (list all of 1M keys), P1b (first page of keys on screen), P6 (keypress to frame, 100k rows).
import {bundleBin, sizes} from '../lib/context.mjs';
import {cpuSeconds, timedRun} from '../lib/proc.mjs';
import {fullFrame, startPty} from '../lib/pty.mjs';
import {alternate, median, sleep} from '../lib/stats.mjs';

export const P1 = {
	id: 'P1',
	work: 'list all of 1M keys',
	opsdeckCommand: 'opsdeck keys --json (stdout drained by the bench)',
	baselineCommand: 'redis-cli --scan (stdout drained by the bench)',
	target: {kind: 'ratio', max: 0.6},
	async run(ctx) {
		const redis = await ctx.redis();
		const url = redis.url(0);
		let checked = false;
		// CPU seconds of the client and of redis-server per run: the machine's load moves wall time a lot
		const cpu = {opsdeck: [], opsdeckServer: [], baseline: [], baselineServer: []};
		const samples = await alternate(ctx.reps, async () => {
			const server = cpuSeconds(redis.pid);
			const r = await timedRun('node', [bundleBin, 'keys', '--json', '--redis-url', url], {keep: !checked, env: ctx.env(), cwd: ctx.tmp, cpu: true});
			cpu.opsdeckServer.push(cpuSeconds(redis.pid) - server);
			cpu.opsdeck.push(r.cpuS);
			if (r.code !== 0) throw new Error(`opsdeck keys exited ${r.code}: ${r.stderr}`);
			if (!checked) {
				const out = JSON.parse(r.stdout);
				if (out.count < sizes.keys || new Set(out.keys).size !== sizes.keys) throw new Error(`opsdeck keys listed ${out.count} keys, expected ${sizes.keys}`);
				checked = true;
			}
			return r.ms;
		}, async () => {
			const server = cpuSeconds(redis.pid);
			const r = await timedRun('redis-cli', ['-p', String(redis.port), '--scan'], {cpu: true});
			cpu.baselineServer.push(cpuSeconds(redis.pid) - server);
			cpu.baseline.push(r.cpuS);
			if (r.code !== 0 || r.stdoutLines < sizes.keys) throw new Error(`redis-cli --scan: exit ${r.code}, ${r.stdoutLines} lines`);
			return r.ms;
		}, {log: ctx.log});
		const m = key => median(cpu[key]).toFixed(2);
		return {...samples, cpu, note: `process start to exit; opsdeck's output checked once (1,000,000 distinct keys). CPU (median user+sys): opsdeck ${m('opsdeck')} s + redis-server ${m('opsdeckServer')} s; redis-cli ${m('baseline')} s + redis-server ${m('baselineServer')} s`};
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
