// P2: one Monitor tick over 1,000 watched keys (the op the Monitor tab and `opsdeck monitor` poll)
// against a bare ioredis pipeline of the same commands (ZCARD + PTTL per key) on its own connection.
import {Redis} from 'ioredis';
import {loadConfig} from '../../../build/config.js';
import {createBackends, startBackends, closeBackends} from '../../../build/backends/index.js';
import {CounterMonitor} from '../../../build/ops/counters.js';
import {sizes} from '../lib/context.mjs';
import {alternate, median, now} from '../lib/stats.mjs';

const ticksPerSample = 20;

export const P2 = {
	id: 'P2',
	work: 'one monitor tick, 1,000 watched keys',
	opsdeckCommand: `CounterMonitor.tick() with the default watch chat:*:messages (1,000 sorted sets; re-resolved with SCAN every 5th tick as in the console): median of ${ticksPerSample} ticks per sample`,
	baselineCommand: `bare ioredis pipeline: ZCARD + PTTL for the same 1,000 keys, median of ${ticksPerSample} per sample`,
	target: {kind: 'ratio', max: 1.5},
	async run(ctx) {
		const redis = await ctx.redis();
		const config = loadConfig({flags: {redisUrl: redis.url(2)}, env: {}, cwd: ctx.tmp});
		const backends = createBackends(config);
		await startBackends(backends);
		await backends.redis.ready();
		const bare = new Redis(redis.url(2));
		bare.on('error', () => {});
		try {
			const monitor = new CounterMonitor({watches: ['chat:*:messages']});
			const first = await monitor.tick(backends.redis);
			if (first.keys.length !== sizes.watched) throw new Error(`monitor found ${first.keys.length} keys, expected ${sizes.watched}`);
			const keys = first.keys.map(k => k.key);
			const allTicks = [];
			const samples = await alternate(ctx.reps, async () => {
				const times = [];
				for (let i = 0; i < ticksPerSample; i++) {
					const t = now();
					const tick = await monitor.tick(backends.redis);
					times.push(now() - t);
					if (tick.totals.keys !== sizes.watched) throw new Error(`tick saw ${tick.totals.keys} keys`);
				}
				allTicks.push(...times);
				return median(times);
			}, async () => {
				const times = [];
				for (let i = 0; i < ticksPerSample; i++) {
					const t = now();
					const pipeline = bare.pipeline();
					for (const key of keys) pipeline.zcard(key).pttl(key);
					const replies = await pipeline.exec();
					times.push(now() - t);
					if (replies.length !== 2 * keys.length) throw new Error('short pipeline');
				}
				return median(times);
			}, {log: ctx.log});
			const mean = allTicks.reduce((a, b) => a + b, 0) / allTicks.length;
			return {...samples, note: `ticks: mean ${mean.toFixed(2)} ms, max ${Math.max(...allTicks).toFixed(2)} ms (the SCAN ticks); one pipeline per tick`};
		} finally {
			bare.disconnect();
			await closeBackends(backends);
		}
	},
};
