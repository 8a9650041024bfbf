// What a /metrics collector is. A collector creates its metrics in opsdeck's own registry once
// (never prom-client's global one) and returns the function a scrape runs to bring them up to
// date. collectors.ts lists them; add yours there (see the README there is: "/metrics").
import type {Registry} from 'prom-client';
import type {Backends} from '../backends/index.js';
import type {HealthReport} from '../health/health.js';

export type MetricsSource = {
	readonly backends: Backends;
	/**
	 * The last health report `serve` polled in the background (every POLL_INTERVAL_MS), undefined
	 * before the first: read, never awaited, so a scrape costs the stores nothing more.
	 */
	readonly health: () => HealthReport | undefined;
};

/** Runs on a scrape (at most once per cache period); a throw or a timeout marks the collector failed. */
export type Refresh = (signal: AbortSignal) => Promise<void>;

export type Collector = {
	/** the `collector` label of opsdeck_scrape_collector_success */
	readonly name: string;
	/** creates the metrics in `registry` (once, when serve starts) and returns the scrape's refresh */
	readonly create: (registry: Registry, source: MetricsSource) => Refresh;
};

/** seconds from milliseconds, or undefined */
export const seconds = (ms: number | null | undefined): number | undefined => (ms == null ? undefined : ms / 1000);
