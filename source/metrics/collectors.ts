// The collectors a /metrics scrape runs, in this order. To add metrics (the off-site upload and
// drill results, say): write a Collector (collector.ts) in this folder that creates its gauges in
// the registry it is given and returns a refresh, and add it to this list. Name metrics
// `opsdeck_<area>_<what>_<unit>`, keep label values bounded (never a key, a path or an error text
// without a cap), and let a refresh throw when it cannot read: its series are then reset and
// opsdeck_scrape_collector_success{collector="<name>"} is 0.
import type {Collector} from './collector.js';
import {drillCollector, uploadsCollector} from './backup-results.js';
import {postgresCollector} from './postgres.js';
import {storesCollector} from './stores.js';
import {watchesCollector} from './watches.js';

export const collectors: Collector[] = [storesCollector, postgresCollector, watchesCollector, uploadsCollector, drillCollector];
