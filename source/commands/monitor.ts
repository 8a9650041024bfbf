// `opsdeck monitor [PATTERN...] [--interval MS] [--plain | --json]`: the Monitor tab as a stream of
// lines for a pipe, a log file or a tmux pane. --plain (also the default) prints one line per key
// that changed in a tick and a line when a key appears or goes; --json prints one JSON object per
// tick (NDJSON). Runs until SIGINT / SIGTERM, then exits 0. No terminal needed.
import {CounterMonitor, defaultWatches, isNewKey, newKeyMark, type CounterTick, type KeyCounter} from '../monitor/counters.js';
import {formatClock, formatCount, formatDelta, formatTtl} from '../text/format.js';
import {errorMessage} from '../text/mask.js';
import {sanitize} from '../text/sanitize.js';
import {isBinaryKey, keyHex, keyText} from '../backends/redis/key-bytes.js';
import {type CommandContext, print, printJson, UsageError, warn} from './shared.js';

function countText(k: KeyCounter): string {
	return k.count === undefined ? '-' : formatCount(k.count);
}

/** The --plain lines of one tick (first tick: every key once, the baseline). */
export function plainLines(tick: CounterTick): string[] {
	const clock = formatClock(new Date(tick.at));
	const lines: string[] = [];
	for (const k of tick.keys) {
		// as `opsdeck keys` shows it: a byte that is not UTF-8 as \xHH, a backslash doubled
		const key = keyText(k.key);
		if (tick.first) {
			lines.push(k.gone ? `${clock}  ${key}  absent` : `${clock}  ${key}  ${countText(k)}  TTL ${formatTtl(k.ttlMs)}`);
		} else if (k.wentAway) {
			lines.push(`${clock}  ${key}  gone  (${formatDelta(k.delta)})`);
		} else if (isNewKey(k, tick.at)) {
			lines.push(`${clock}  ${key}  ${countText(k)}  (${formatDelta(k.delta)})  ${newKeyMark}  TTL ${formatTtl(k.ttlMs)}`);
		} else if (k.delta !== 0) {
			lines.push(`${clock}  ${key}  ${countText(k)}  (${formatDelta(k.delta)})  TTL ${formatTtl(k.ttlMs)}`);
		}
	}
	return lines;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The --json object of one tick. */
export function tickJson(tick: CounterTick) {
	return {
		time: new Date(tick.at).toISOString(),
		elapsedMs: tick.elapsedMs ?? null,
		watches: tick.watches,
		keys: tick.keys.map(k => ({
			// like keys --json: a key that is not UTF-8 as keyText shows it, and its bytes in hex
			...(isBinaryKey(k.key) ? {key: keyText(k.key), keyHex: keyHex(k.key)} : {key: k.key}),
			type: k.type ?? null,
			count: k.count ?? null,
			delta: k.delta,
			rate: round(k.rate),
			ttlMs: k.gone ? null : (k.ttlMs ?? null),
			gone: k.gone,
			appeared: k.appeared,
			wentAway: k.wentAway,
		})),
		totals: {keys: tick.totals.keys, count: tick.totals.count, delta: tick.totals.delta, rate: round(tick.totals.rate)},
		truncated: tick.truncated,
	};
}

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.flags.plain && ctx.flags.json) throw new UsageError('--plain and --json cannot be used together');
	if (ctx.args.some(arg => arg === '')) throw new UsageError('a pattern cannot be empty');
	const watches = ctx.args.length > 0 ? [...ctx.args] : defaultWatches(ctx.config);
	const intervalMs = ctx.config.pollIntervalMs;
	const json = ctx.flags.json === true;

	const stop = new AbortController();
	const onSignal = () => stop.abort();
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		const {redis} = ctx.backends;
		await redis.ready();
		const monitor = new CounterMonitor({watches, scanCount: ctx.config.scanCount});
		if (!json) warn(ctx, `watching ${watches.map(w => sanitize(w)).join(', ')} on ${redis.maskedUrl} every ${intervalMs} ms; Ctrl-C stops`);
		let lastError: string | undefined;
		while (!stop.signal.aborted) {
			try {
				const tick = await monitor.tick(redis, stop.signal);
				if (lastError !== undefined) warn(ctx, 'redis is back');
				lastError = undefined;
				if (json) printJson(ctx, tickJson(tick), false);
				else {
					const lines = plainLines(tick);
					if (lines.length > 0) print(ctx, lines.join('\n'));
				}
			} catch (error) {
				if (stop.signal.aborted) break;
				// the redis backend reconnects by itself: say so once, keep ticking
				const message = errorMessage(error);
				if (message !== lastError) warn(ctx, `redis: ${message}`);
				lastError = message;
			}
			await sleep(intervalMs, stop.signal);
		}
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	return 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal.aborted) return resolve();
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done);
	});
}
