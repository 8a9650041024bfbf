// P2: one Monitor tick over 1,000 watched keys (the op the Monitor tab and `opsdeck monitor` poll)
// against a bare ioredis pipeline of the same commands (ZCARD + PTTL per key) on its own connection.
import {Redis} from 'ioredis';
import {loadConfig} from '../../../build/config/config.js';
import {createBackends, startBackends, closeBackends} from '../../../build/backends/index.js';
import {redisTimeouts} from '../../../build/backends/redis/client.js';
import {CounterMonitor} from '../../../build/monitor/counters.js';
import {sizes} from '../lib/context.mjs';
import {median, now} from '../lib/stats.mjs';

const ticksPerSample = 40;

export const P2 = {
	id: 'P2',
	work: 'one monitor tick, 1,000 watched keys',
	opsdeckCommand: `CounterMonitor.tick() with the default watch chat:*:messages (1,000 sorted sets; re-resolved with SCAN every 5th tick as in the console): median of ${ticksPerSample} ticks per round, ticks and pipelines alternating`,
	baselineCommand: `bare ioredis pipeline on its own connection: ZCARD + PTTL for the same 1,000 keys, median of ${ticksPerSample} per round`,
	target: {kind: 'ratio', max: 1.5},
	async run(ctx) {
		const redis = await ctx.redis();
		const config = loadConfig({flags: {redisUrl: redis.url(2)}, env: {}, cwd: ctx.tmp});
		const backends = createBackends(config);
		await startBackends(backends);
		await backends.redis.ready();
		const bare = new Redis(redis.url(2));
		bare.on('error', () => {});
		// the same pipeline on a client configured like opsdeck's (a timeout per command, so a
		// stalled Redis fails the poll): tells the op's own overhead from the client's
		const timed = new Redis(redis.url(2), {commandTimeout: redisTimeouts.commandMs});
		timed.on('error', () => {});
		try {
			const monitor = new CounterMonitor({watches: ['chat:*:messages']});
			const first = await monitor.tick(backends.redis);
			if (first.keys.length !== sizes.watched) throw new Error(`monitor found ${first.keys.length} keys, expected ${sizes.watched}`);
			const keys = first.keys.map(k => k.key);
			const allTicks = [];
			const tick = async () => {
				const t = now();
				const result = await monitor.tick(backends.redis);
				const ms = now() - t;
				if (result.totals.keys !== sizes.watched) throw new Error(`tick saw ${result.totals.keys} keys`);
				allTicks.push(ms);
				return ms;
			};
			const pipeline = async (client = bare) => {
				const t = now();
				const p = client.pipeline();
				for (const key of keys) p.zcard(key).pttl(key);
				const replies = await p.exec();
				const ms = now() - t;
				if (replies.length !== 2 * keys.length) throw new Error('short pipeline');
				return ms;
			};
			// each ~15 ms, so the two alternate tick by tick inside a round (a burst of load hits both)
			const samples = {opsdeck: [], baseline: []};
			const timedSamples = [];
			for (let round = 0; round < ctx.reps; round++) {
				const a = [];
				const b = [];
				const c = [];
				for (let i = 0; i < ticksPerSample; i++) {
					if (i % 2 === 0) {
						a.push(await tick());
						b.push(await pipeline());
						c.push(await pipeline(timed));
					} else {
						c.push(await pipeline(timed));
						b.push(await pipeline());
						a.push(await tick());
					}
				}
				samples.opsdeck.push(median(a));
				samples.baseline.push(median(b));
				timedSamples.push(median(c));
				ctx.log(`  round ${round + 1}/${ctx.reps}: tick ${median(a).toFixed(1)} ms, pipeline ${median(b).toFixed(1)} ms, pipeline with command timeouts ${median(c).toFixed(1)} ms`);
			}
			const mean = allTicks.reduce((a, b) => a + b, 0) / allTicks.length;
			const sameClient = median(samples.opsdeck) / median(timedSamples);
			return {...samples, timedPipelineMs: timedSamples, note: `ticks: mean ${mean.toFixed(2)} ms, max ${Math.max(...allTicks).toFixed(2)} ms (the SCAN ticks); one pipeline per tick. The same pipeline on a client with opsdeck's per-command timeout (${redisTimeouts.commandMs} ms) took ${median(timedSamples).toFixed(1)} ms (tick / that = ${sameClient.toFixed(2)}x)`};
		} finally {
			timed.disconnect();
			bare.disconnect();
			await closeBackends(backends);
		}
	},
};
