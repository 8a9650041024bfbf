// Each watched key's count (the Monitor's watch list: config file watches, or every chat's messages
// key), as opsdeck_watch_count{key}. Cardinality is bounded: at most METRICS_WATCH_CAP series (200
// by default); the keys left out are counted in opsdeck_watch_series_dropped, so reaching the cap
// shows on a graph instead of passing silently. The label is keyText(key): distinct keys, distinct labels.
import {Gauge} from 'prom-client';
import {keyText} from '../backends/redis/key-bytes.js';
import {CounterMonitor, defaultWatches} from '../monitor/counters.js';
import type {Collector} from './collector.js';

export const watchesCollector: Collector = {
	name: 'watches',
	create(registry, {backends}) {
		const {config} = backends;
		const cap = config.metricsWatchCap;
		const registers = [registry];
		const count = new Gauge({name: 'opsdeck_watch_count', help: 'Members or length of each watched Redis key (the Monitor\'s count)', labelNames: ['key'], registers});
		const keys = new Gauge({name: 'opsdeck_watch_keys', help: 'Watched Redis keys found (patterns resolved with SCAN)', registers});
		const dropped = new Gauge({name: 'opsdeck_watch_series_dropped', help: 'Watched keys left out of opsdeck_watch_count because METRICS_WATCH_CAP was reached (a lower bound when opsdeck_watch_keys_truncated is 1)', registers});
		const capGauge = new Gauge({name: 'opsdeck_watch_series_cap', help: 'METRICS_WATCH_CAP: the most opsdeck_watch_count series exported', registers});
		const truncated = new Gauge({name: 'opsdeck_watch_keys_truncated', help: '1 when the watch patterns matched more keys than opsdeck follows (twice the cap, at least 1000)', registers});
		const watches = defaultWatches(config);
		let monitor: CounterMonitor | undefined;
		return async signal => {
			capGauge.set(cap);
			monitor ??= new CounterMonitor({watches, scanCount: config.scanCount, maxKeys: Math.max(1000, cap * 2), historyLength: 1});
			try {
				const tick = await monitor.tick(backends.redis, signal);
				const present = tick.keys.filter(k => !k.gone && k.count !== undefined);
				// the same keys from one scrape to the next: sorted by name, the first `cap` of them
				present.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
				count.reset();
				// the key as `opsdeck keys` shows it (keyText): a byte that is not UTF-8 as \xHH, a backslash
				// doubled, controls escaped. Raw, `a\xff` and `a\xfe` both became `a\uFFFD` (one series, dropped
				// by Prometheus) and ESC/BEL/CR reached whoever curled /metrics
				for (const k of present.slice(0, cap)) count.set({key: keyText(k.key)}, k.count!);
				keys.set(present.length);
				dropped.set(Math.max(0, present.length - cap));
				truncated.set(tick.truncated ? 1 : 0);
			} catch (error) {
				// counts from before Redis went away are not current: no series rather than stale ones
				count.reset();
				keys.reset();
				dropped.reset();
				truncated.reset();
				// a tick cut short may leave the monitor half way: the next scrape starts afresh
				monitor = undefined;
				throw error;
			}
		};
	},
};
