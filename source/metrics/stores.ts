// The stores as serve's last health check saw them: up or not, latency, the verdict, Redis memory
// and counters, SQLite sizes, backups. Read from the report (never a new probe): a stalled store
// costs a scrape nothing.
import {Counter, Gauge, type Registry} from 'prom-client';
import type {HealthReport} from '../health/health.js';
import {seconds, type Collector} from './collector.js';

const verdictValue = {healthy: 0, degraded: 1, unhealthy: 2} as const;

export const storesCollector: Collector = {
	name: 'stores',
	create(registry: Registry, source) {
		const registers = [registry];
		const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Gauge<L>({name, help, labelNames, registers});
		const up = gauge('opsdeck_up', 'Whether the store answered the last health check (1 up, 0 down)', ['store']);
		const latency = gauge('opsdeck_latency_seconds', 'How long the store took to answer the last health check', ['store']);
		const verdict = gauge('opsdeck_verdict', 'The overall verdict: 0 healthy, 1 degraded, 2 unhealthy (as the exit code of opsdeck status)');
		const checked = gauge('opsdeck_health_check_timestamp_seconds', 'When the health check these values come from started (Unix time)');
		const pgMax = gauge('opsdeck_postgres_max_connections', 'PostgreSQL max_connections');
		const redisUsed = gauge('opsdeck_redis_memory_used_bytes', 'Redis used_memory (every master of a cluster)');
		const redisMax = gauge('opsdeck_redis_memory_max_bytes', 'Redis maxmemory (absent when there is no limit)');
		const redisHit = gauge('opsdeck_redis_hit_ratio', 'Redis keyspace_hits / (hits + misses) since the server started');
		const redisOps = gauge('opsdeck_redis_ops_per_second', 'Redis instantaneous_ops_per_sec');
		const redisKeys = gauge('opsdeck_redis_keys', 'Keys in the configured Redis db');
		const evicted = new Counter({name: 'opsdeck_redis_evicted_keys_total', help: 'Keys Redis evicted since the server started (INFO evicted_keys)', registers});
		const sqliteSize = gauge('opsdeck_sqlite_size_bytes', 'Size of the SQLite data file');
		const walSize = gauge('opsdeck_sqlite_wal_size_bytes', 'Size of the SQLite write-ahead log (0 when there is none)');
		const backupAge = gauge('opsdeck_backup_age_seconds', 'Age of the newest backup of the SQLite file');
		const backupLast = gauge('opsdeck_backup_last_success_timestamp_seconds', 'When the newest backup of the SQLite file was made (Unix time)');
		const backupCount = gauge('opsdeck_backups', 'Backups in the backup folder');
		const diskFree = gauge('opsdeck_backup_disk_free_ratio', 'Share of the backup folder\'s disk that is free');

		const set = (g: Gauge, value: number | null | undefined, labels?: Record<string, string>) => {
			if (value == null || !Number.isFinite(value)) return;
			if (labels) g.set(labels, value);
			else g.set(value);
		};
		return async () => {
			const report: HealthReport | undefined = source.health();
			// no sample rather than a 0 for what is not known now (a gauge without labels resets to 0)
			up.reset();
			latency.reset();
			for (const metric of [verdict, checked, pgMax, redisUsed, redisMax, redisHit, redisOps, redisKeys, sqliteSize, walSize, backupAge, backupLast, backupCount, diskFree]) {
				metric.reset();
				metric.remove();
			}
			if (!report) throw new Error('no health check yet');
			const {postgres, redis, sqlite, backups, app} = report;
			const stores: Array<[string, boolean, number | null]> = [
				['postgres', postgres.state === 'up', postgres.latencyMs],
				['redis', redis.state === 'up', redis.latencyMs],
				['sqlite', sqlite.state === 'up', null],
				...(app ? [['app', app.state === 'up', app.latencyMs] as [string, boolean, number | null]] : []),
			];
			for (const [store, isUp, ms] of stores) {
				up.set({store}, isUp ? 1 : 0);
				if (isUp) set(latency, seconds(ms), {store});
			}
			verdict.set(verdictValue[report.verdict]);
			checked.set(Date.parse(report.checkedAt) / 1000);
			set(pgMax, postgres.maxConnections);
			if (redis.state === 'up') {
				set(redisUsed, redis.usedMemoryBytes);
				set(redisMax, redis.maxMemoryBytes);
				set(redisHit, redis.hitRate);
				set(redisOps, redis.opsPerSec);
				set(redisKeys, redis.keys);
				// a counter that follows Redis's own total (it starts again when Redis restarts: rate() knows)
				if (redis.evictedKeys !== null) {
					evicted.reset();
					evicted.inc(redis.evictedKeys);
				}
			}
			set(sqliteSize, sqlite.sizeBytes);
			set(walSize, sqlite.walBytes ?? (sqlite.state === 'up' ? 0 : null));
			set(backupAge, seconds(backups.newestAgeMs));
			// 0 (1970) when there is no backup at all: `time() - …` alerts at once, as for a stale one
			if (backups.newestAgeMs !== null) backupLast.set((Date.parse(report.checkedAt) - backups.newestAgeMs) / 1000);
			else if (!backups.error && backups.count === 0) backupLast.set(0);
			if (!backups.error) backupCount.set(backups.count);
			set(diskFree, backups.diskFreeRatio);
		};
	},
};
