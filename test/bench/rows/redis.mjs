// P8 (memory by prefix over 1M keys vs redis-cli --memkeys) and P8b (the biggest keys over 1M keys
// vs redis-cli --bigkeys), on the private server's db0 (1,000,000 keys, context.mjs). Both sides
// make the server run SCAN and, per key, MEMORY USAGE (P8) or TYPE and a count (P8b): that work is
// the server's own and neither client can skip it, so the row reports redis-server's CPU per run
// (/proc/PID/stat) beside the wall times — the floor no client gets under.
import {bundleBin, sizes} from '../lib/context.mjs';
import {cpuSeconds, timedRun} from '../lib/proc.mjs';
import {alternate, median} from '../lib/stats.mjs';

/** The pair, alternated, with the CPU of both clients and of redis-server per run. */
async function pair(ctx, opsdeckArgs, check, baselineArgs, baselineCheck) {
	const redis = await ctx.redis();
	const cpu = {opsdeck: [], opsdeckServer: [], baseline: [], baselineServer: []};
	let checked = false;
	const samples = await alternate(ctx.reps, async () => {
		const server = cpuSeconds(redis.pid);
		const r = await timedRun('node', [bundleBin, ...opsdeckArgs, '--redis-url', redis.url(0)], {keep: !checked, env: ctx.env(), cwd: ctx.tmp, cpu: true});
		cpu.opsdeckServer.push(cpuSeconds(redis.pid) - server);
		cpu.opsdeck.push(r.cpuS);
		if (r.code !== 0) throw new Error(`opsdeck ${opsdeckArgs.join(' ')} exited ${r.code}: ${r.stderr}`);
		if (!checked) {
			check(JSON.parse(r.stdout));
			checked = true;
		}
		return r.ms;
	}, async () => {
		const server = cpuSeconds(redis.pid);
		const r = await timedRun('redis-cli', ['-p', String(redis.port), '-n', '0', ...baselineArgs], {keep: true, cpu: true});
		cpu.baselineServer.push(cpuSeconds(redis.pid) - server);
		cpu.baseline.push(r.cpuS);
		if (r.code !== 0) throw new Error(`redis-cli ${baselineArgs.join(' ')}: exit ${r.code}: ${r.stderr}`);
		baselineCheck(r.stdout);
		return r.ms;
	}, {log: ctx.log});
	const m = key => median(cpu[key]).toFixed(2);
	const floor = Math.min(median(cpu.opsdeckServer), median(cpu.baselineServer));
	const floorRatio = median(samples.baseline) > 0 ? (floor * 1000) / median(samples.baseline) : 0;
	const note = `process start to exit; output checked once. CPU (median user+sys): opsdeck ${m('opsdeck')} s + redis-server ${m('opsdeckServer')} s; ` +
		`redis-cli ${m('baseline')} s + redis-server ${m('baselineServer')} s. The server's own work alone is ${floorRatio.toFixed(2)}x redis-cli's wall time: the goal is below that floor`;
	return {...samples, cpu, note};
}

const scanned = text => Number(/Sampled (\d+) keys/.exec(text)?.[1] ?? Number.NaN);

export const P8 = {
	id: 'P8',
	work: 'memory by prefix over 1M keys',
	opsdeckCommand: 'opsdeck redis memory --json (the prefix tree, the biggest keys by memory and by elements)',
	baselineCommand: 'redis-cli --memkeys (the biggest key of each type by memory, no prefixes)',
	target: {kind: 'ratio', max: 0.25},
	run: ctx => pair(ctx, ['redis', 'memory', '--json'], out => {
		if (out.keys !== sizes.keys || !out.complete) throw new Error(`opsdeck redis memory measured ${out.keys} keys (complete ${out.complete}), expected ${sizes.keys}`);
		if (out.tree.children[0]?.prefix !== 'chat:') throw new Error(`opsdeck redis memory: the first prefix is ${out.tree.children[0]?.prefix}, expected chat:`);
	}, ['--memkeys'], text => {
		if (scanned(text) < sizes.keys) throw new Error(`redis-cli --memkeys sampled ${scanned(text)} keys`);
	}),
};

export const P8b = {
	id: 'P8b',
	work: 'the biggest keys over 1M keys',
	opsdeckCommand: 'opsdeck redis bigkeys --json --top 10 (TYPE and a count per key, as redis-cli --bigkeys)',
	baselineCommand: 'redis-cli --bigkeys (TYPE and a count per key, no MEMORY USAGE)',
	target: {kind: 'ratio', max: 0.25},
	run: ctx => pair(ctx, ['redis', 'bigkeys', '--json', '--top', '10'], out => {
		if (out.keys !== sizes.keys || !out.complete || out.types[0]?.type !== 'string') throw new Error(`opsdeck redis bigkeys: ${out.keys} keys, complete ${out.complete}, types ${JSON.stringify(out.types)}`);
	}, ['--bigkeys'], text => {
		if (scanned(text) < sizes.keys) throw new Error(`redis-cli --bigkeys sampled ${scanned(text)} keys`);
	}),
};
