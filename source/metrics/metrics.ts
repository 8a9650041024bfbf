// /metrics for `opsdeck serve`: opsdeck's own prom-client Registry (never the global default, so
// nothing another library registers leaks in), filled on scrape by the collectors of collectors.ts.
// A scrape within cacheMs of the last one gets the same text; scrapes that arrive while one is
// being collected share it. Each collector has timeoutMs: one whose store stalls is marked failed
// (opsdeck_scrape_collector_success 0), its series are left out, and the scrape answers anyway. The health endpoints never
// wait for any of this.
import {Gauge, Registry, type Metric} from 'prom-client';
import {withTimeout} from '../backends/status.js';
import type {Collector, MetricsSource, Refresh} from './collector.js';
import {collectors as defaultCollectors} from './collectors.js';

export type MetricsOptions = {
	/** how long one scrape's text is served again (default 2000 ms) */
	readonly cacheMs?: number;
	/** how long a collector may take (default 2000 ms) */
	readonly timeoutMs?: number;
	readonly collectors?: readonly Collector[];
};

export type Metrics = {
	readonly contentType: string;
	readonly registry: Registry;
	/** the Prometheus text, at most cacheMs old */
	scrape(): Promise<string>;
};

export function createMetrics(source: MetricsSource, options: MetricsOptions = {}): Metrics {
	const cacheMs = options.cacheMs ?? 2000;
	const timeoutMs = options.timeoutMs ?? 2000;
	const registry = new Registry();
	const success = new Gauge({name: 'opsdeck_scrape_collector_success', help: 'Whether a collector read its values on the last scrape (1) or failed or timed out (0)', labelNames: ['collector'], registers: [registry]});
	const duration = new Gauge({name: 'opsdeck_scrape_collector_duration_seconds', help: 'How long each collector took on the last scrape', labelNames: ['collector'], registers: [registry]});
	const refreshes: Array<{name: string; refresh: Refresh; owned: readonly Metric[]; running?: Promise<void>}> = (options.collectors ?? defaultCollectors).map(c => {
		const before = new Set(registry.getMetricsAsArray().map(m => m.name));
		const refresh = c.create(registry, source);
		const owned = registry.getMetricsAsArray().map(m => m.name).filter(name => !before.has(name)).map(name => registry.getSingleMetric(name)!);
		return {name: c.name, refresh, owned};
	});
	/** A failed or late collector's series go: a value from before its store stalled is not one to graph. */
	const clear = (owned: readonly Metric[]) => {
		for (const metric of owned) {
			metric.reset();
			// a metric without labels resets to 0, which is a value: none is what is known
			if ((metric as unknown as {labelNames: string[]}).labelNames.length === 0) (metric as Gauge).remove();
		}
	};

	const collect = async () => {
		await Promise.all(refreshes.map(async entry => {
			const started = performance.now();
			const abort = new AbortController();
			try {
				// a refresh still stuck from an earlier scrape is not started again beside itself
				entry.running ??= entry.refresh(abort.signal).finally(() => {
					entry.running = undefined;
				});
				await withTimeout(entry.running, timeoutMs, `${entry.name}: no answer within ${timeoutMs} ms`);
				success.set({collector: entry.name}, 1);
			} catch {
				success.set({collector: entry.name}, 0);
				abort.abort();
				clear(entry.owned);
			}
			duration.set({collector: entry.name}, (performance.now() - started) / 1000);
		}));
		return registry.metrics();
	};

	let last: {at: number; text: string} | undefined;
	let pending: Promise<string> | undefined;
	return {
		contentType: registry.contentType,
		registry,
		scrape() {
			if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last.text);
			pending ??= collect().then(text => {
				last = {at: Date.now(), text};
				return text;
			}).finally(() => {
				pending = undefined;
			});
			return pending;
		},
	};
}
