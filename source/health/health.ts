// Health of every backend, probed in parallel (each with a timeout), and one verdict with its
// reasons. The rules (PRODUCT.md): PostgreSQL down, SQLite unreadable or the app's health URL
// failing → unhealthy; Redis down → degraded (the app runs without its cache); a latency over
// thresholds.latencyMs, Redis memory over thresholds.redisMemoryRatio of maxmemory, Redis evicting
// more than thresholds.redisEvictionsPerSec keys a second since the previous check, less than
// thresholds.minFreeDiskRatio free disk for backups, PostgreSQL connections over
// thresholds.pgConnectionsRatio of max_connections, or a session idle in transaction for longer
// than thresholds.pgIdleInTransactionMs → degraded. The console, `status` and `serve`
// all call checkHealth().
import type {Backends} from '../backends/index.js';
import {withTimeout} from '../backends/status.js';
import type {Thresholds} from '../config/config.js';
import {formatDuration, formatPercent} from '../text/format.js';

/** 0.4 → "0.4", 1234.5 → "1235": a rate as a person reads it */
const formatRate = (perSec: number) => (perSec < 10 ? perSec.toFixed(1).replace(/\.0$/, '') : String(Math.round(perSec)));
import {probePostgres, type PostgresHealth} from './postgres.js';
import {probeRedis, type RedisHealth} from './redis.js';
import {withOffsite} from '../backups/remote/offsite.js';
import {backupsFailed, probeApp, probeBackups, probeProcess, probeSqlite, type AppHealth, type BackupsHealth, type ProcessHealth, type SqliteHealth} from './local.js';
import {appStatus, appUnknown, type AppProcessStatus} from '../app-process/status.js';
import {drillProblems, probeDrill, type DrillHealth} from './drill.js';

export type {PostgresHealth} from './postgres.js';
export type {RedisHealth} from './redis.js';
export type {AppHealth, BackupsHealth, ProcessHealth, SqliteHealth} from './local.js';
export type {DrillHealth} from './drill.js';

export type Verdict = 'healthy' | 'degraded' | 'unhealthy';
export type Component = 'postgres' | 'redis' | 'sqlite' | 'backups' | 'app' | 'appProcess';

export type Reason = {
	readonly component: Component;
	readonly level: Exclude<Verdict, 'healthy'>;
	/** one line, masked, e.g. "redis down: connect ECONNREFUSED 127.0.0.1:6379" */
	readonly message: string;
};

export type HealthReport = {
	readonly verdict: Verdict;
	readonly reasons: readonly Reason[];
	/** ISO time the probes started */
	readonly checkedAt: string;
	/** how long the whole check took */
	readonly durationMs: number;
	readonly postgres: PostgresHealth;
	readonly redis: RedisHealth;
	readonly sqlite: SqliteHealth;
	readonly backups: BackupsHealth;
	/** null when no app health URL is configured */
	readonly app: AppHealth | null;
	/** the app's process (APP_SERVICE); null when it is not set. restartsSeen: since opsdeck started */
	readonly appProcess: AppProcessStatus | null;
	/** the last restore drill (issue 19) */
	readonly drill: DrillHealth;
	readonly process: ProcessHealth;
};

export type HealthOptions = {
	/** per probe (default 3000 ms) */
	readonly timeoutMs?: number;
};

export const defaultProbeTimeoutMs = 3000;

const worse = (a: Verdict, b: Verdict): Verdict => {
	const rank = {healthy: 0, degraded: 1, unhealthy: 2} as const;
	return rank[b] > rank[a] ? b : a;
};

/** The verdict and its reasons for a set of probe results (pure: tested on its own). */
export function judge(report: Omit<HealthReport, 'verdict' | 'reasons' | 'checkedAt' | 'durationMs' | 'process' | 'drill'> & {readonly drill?: DrillHealth | null}, thresholds: Thresholds): {verdict: Verdict; reasons: Reason[]} {
	const reasons: Reason[] = [];
	const slow = (component: Component, name: string, ms: number | null) => {
		if (ms !== null && ms > thresholds.latencyMs) {
			reasons.push({component, level: 'degraded', message: `${name} slow: ${formatDuration(ms)} (over ${formatDuration(thresholds.latencyMs)})`});
		}
	};
	const {postgres, redis, sqlite, backups, app, appProcess} = report;
	if (postgres.state !== 'up') reasons.push({component: 'postgres', level: 'unhealthy', message: `postgres ${postgres.state}: ${postgres.lastError ?? 'no answer'}`});
	else {
		slow('postgres', 'postgres', postgres.latencyMs);
		reasons.push(...postgresUsage(postgres, thresholds));
	}
	if (sqlite.state !== 'up') reasons.push({component: 'sqlite', level: 'unhealthy', message: `sqlite unreadable: ${sqlite.error ?? 'unknown error'}`});
	if (app) {
		if (app.state !== 'up') reasons.push({component: 'app', level: 'unhealthy', message: `app health URL failing: ${app.error ?? 'no answer'}`});
		else slow('app', 'app', app.latencyMs);
	}
	// like a failing health URL: the app itself is down; not knowing (systemd or PM2 not answering) is degraded
	if (appProcess?.state === 'down') reasons.push({component: 'appProcess', level: 'unhealthy', message: `app process down: ${appProcess.detail}`});
	else if (appProcess?.state === 'unknown') reasons.push({component: 'appProcess', level: 'degraded', message: `app process unknown: ${appProcess.error ?? appProcess.detail}`});
	if (redis.state !== 'up') reasons.push({component: 'redis', level: 'degraded', message: `redis ${redis.state}: ${redis.lastError ?? 'no answer'}`});
	else {
		slow('redis', 'redis', redis.latencyMs);
		if (redis.memoryRatio !== null && redis.memoryRatio > thresholds.redisMemoryRatio) {
			reasons.push({component: 'redis', level: 'degraded', message: `redis memory at ${formatPercent(redis.memoryRatio)} of maxmemory (over ${formatPercent(thresholds.redisMemoryRatio, 0)})`});
		}
		// (undefined in a report made before evictions were counted: no rate)
		const evicting = redis.evictedPerSec ?? null;
		if (evicting !== null && evicting > thresholds.redisEvictionsPerSec) {
			reasons.push({component: 'redis', level: 'degraded', message: `redis evicting keys: ${formatRate(evicting)}/s since the last check (over ${formatRate(thresholds.redisEvictionsPerSec)}/s)`});
		}
	}
	if (backups.diskFreeRatio !== null && backups.diskFreeRatio < thresholds.minFreeDiskRatio) {
		reasons.push({component: 'backups', level: 'degraded', message: `backup disk ${formatPercent(backups.diskFreeRatio)} free (under ${formatPercent(thresholds.minFreeDiskRatio, 0)})`});
	}
	const notOffsite = backups.notOffsite ?? [];
	if (notOffsite.length > 0 && notOffsite.length >= thresholds.notOffsiteBackups) {
		reasons.push({component: 'backups', level: 'degraded', message: `${notOffsite.length === 1 ? '1 backup' : `${notOffsite.length} backups`} not off-site (the upload failed): ${notOffsite.slice(-3).join(', ')}${notOffsite.length > 3 ? ', ...' : ''}`});
	}
	// a failed or overdue restore drill: the backups may not restore (issue 19)
	for (const message of drillProblems(report.drill)) reasons.push({component: 'backups', level: 'degraded', message});
	const verdict = reasons.reduce<Verdict>((v, r) => worse(v, r.level), 'healthy');
	// the worst first: the first reason is the one a one-line summary shows
	reasons.sort((a, b) => (a.level === b.level ? 0 : a.level === 'unhealthy' ? -1 : 1));
	return {verdict, reasons};
}

/** Connections near max_connections, a transaction left idle: the server is up but heading for trouble. */
function postgresUsage(postgres: PostgresHealth, thresholds: Thresholds): Reason[] {
	const reasons: Reason[] = [];
	const {connections, maxConnections, idleInTransaction} = postgres;
	if (connections != null && maxConnections && connections / maxConnections > thresholds.pgConnectionsRatio) {
		reasons.push({component: 'postgres', level: 'degraded', message: `postgres connections at ${formatPercent(connections / maxConnections, 0)} of max_connections (${connections}/${maxConnections}, over ${formatPercent(thresholds.pgConnectionsRatio, 0)})`});
	}
	if (idleInTransaction != null && idleInTransaction.ms > thresholds.pgIdleInTransactionMs) {
		reasons.push({component: 'postgres', level: 'degraded', message: `postgres session pid ${idleInTransaction.pid} idle in transaction for ${formatDuration(idleInTransaction.ms)} (over ${formatDuration(thresholds.pgIdleInTransactionMs)})`});
	}
	return reasons;
}

/** Probes every backend in parallel; never throws (a failing probe is a reason). */
export async function checkHealth(backends: Backends, options: HealthOptions = {}): Promise<HealthReport> {
	const {config} = backends;
	const timeoutMs = options.timeoutMs ?? defaultProbeTimeoutMs;
	const startedAt = Date.now();
	const started = performance.now();
	const [postgres, redis, sqlite, backups, app, appProcess, drill] = await Promise.all([
		probePostgres(backends.postgres, timeoutMs),
		probeRedis(backends.redis, timeoutMs),
		probeSqlite(backends.sqlite, timeoutMs),
		// a hung network file system must not hold the whole report
		withTimeout(probeBackups(config.backupDir).then(b => withOffsite(b, config)), timeoutMs, `no answer from ${config.backupDir} within ${timeoutMs} ms`).catch(error => backupsFailed(config.backupDir, error)),
		config.appUrl ? probeApp(config.appUrl, timeoutMs) : Promise.resolve(null),
		config.appService ? withTimeout(appStatus(config.appService), timeoutMs, `no answer within ${timeoutMs} ms`).catch(error => appUnknown(config.appService!, error)) : Promise.resolve(null),
		withTimeout(probeDrill(config), timeoutMs, `no answer from ${config.backupDir} within ${timeoutMs} ms`).catch((error: unknown) => ({last: null, ageMs: null, intervalHours: config.drillIntervalHours ?? null, overdue: false, error: (error as Error).message})),
	]);
	const parts = {postgres, redis, sqlite, backups, app, appProcess, drill};
	return {
		...judge(parts, config.thresholds),
		checkedAt: new Date(startedAt).toISOString(),
		durationMs: Math.round(performance.now() - started),
		...parts,
		process: probeProcess(config.pollIntervalMs),
	};
}

/** "degraded: redis down: connect ECONNREFUSED …" — the verdict and its first reason. */
export function summary(report: Pick<HealthReport, 'verdict' | 'reasons'>): string {
	if (report.reasons.length === 0) return report.verdict;
	const more = report.reasons.length > 1 ? ` (+${report.reasons.length - 1} more)` : '';
	return `${report.verdict}: ${report.reasons[0]!.message}${more}`;
}

/** status exit codes: 0 healthy, 1 degraded, 2 unhealthy */
export function verdictExitCode(verdict: Verdict): number {
	return verdict === 'healthy' ? 0 : verdict === 'degraded' ? 1 : 2;
}
