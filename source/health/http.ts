// The two bodies `opsdeck serve` answers: GET /health in the health+json draft format
// (status pass/warn/fail, checks with observedValue/observedUnit/time) for external monitors, and
// GET /api/health in the app's own {success, data} shape. Both come from one HealthReport.
import type {HealthReport, Verdict} from './health.js';

type CheckStatus = 'pass' | 'warn' | 'fail';

export type HealthCheck = {
	readonly componentId: string;
	readonly componentType: 'datastore' | 'component' | 'system';
	readonly status: CheckStatus;
	readonly observedValue: number | string | null;
	readonly observedUnit: string;
	readonly time: string;
	readonly output?: string;
};

export const verdictStatus: Record<Verdict, CheckStatus> = {healthy: 'pass', degraded: 'warn', unhealthy: 'fail'};

/** 200 while healthy or degraded, 503 while unhealthy */
export function httpStatusFor(verdict: Verdict): number {
	return verdict === 'unhealthy' ? 503 : 200;
}

/** The paths `serve` answers, and the methods it answers them on. */
export const healthPaths: readonly string[] = ['/health', '/api/health', '/livez', '/readyz', '/metrics'];
const allowed = ['GET', 'HEAD'];

export type RequestProblem = {readonly status: 404 | 405; readonly headers: Readonly<Record<string, string>>; readonly body: {success: false; error: string}};

/**
 * Why a request gets no health, before any is read: 404 for a path `serve` does not have, 405 with
 * `Allow: GET, HEAD` for another method on one it has (RFC 9110; a POST said 404, issue 16).
 */
export function requestProblem(method: string | undefined, path: string): RequestProblem | undefined {
	if (!healthPaths.includes(path)) return {status: 404, headers: {}, body: {success: false, error: 'not found'}};
	if (method === undefined || !allowed.includes(method)) return {status: 405, headers: {allow: allowed.join(', ')}, body: {success: false, error: `method not allowed: ${path} answers ${allowed.join(' and ')}`}};
	return undefined;
}

/**
 * /livez: the process answers (always 200: a restart would not fix a database). /readyz: the last
 * verdict is not unhealthy (200, else 503), for a readiness probe. Neither waits for a probe.
 */
export function livez(uptimeSeconds: number) {
	return {status: 'ok', uptime: Math.round(uptimeSeconds)};
}

export function readyz(report: HealthReport | undefined): {status: number; body: {ready: boolean; verdict: Verdict | 'unknown'; reasons: string[]}} {
	// before the first check has answered: not ready yet (Kubernetes retries)
	if (!report) return {status: 503, body: {ready: false, verdict: 'unknown', reasons: ['no health check has finished yet']}};
	const ready = report.verdict !== 'unhealthy';
	return {status: ready ? 200 : 503, body: {ready, verdict: report.verdict, reasons: report.reasons.map(r => r.message)}};
}

export function healthJson(report: HealthReport) {
	const time = report.checkedAt;
	const problem = (component: string) => report.reasons.find(r => r.component === component);
	const status = (component: string, down: boolean, downStatus: CheckStatus = 'fail'): {status: CheckStatus; output?: string} => {
		const reason = problem(component);
		if (down) return {status: downStatus, output: reason?.message};
		if (reason) return {status: 'warn', output: reason.message};
		return {status: 'pass'};
	};
	const {postgres, redis, sqlite, backups, app} = report;
	const checks: Record<string, HealthCheck[]> = {
		'postgres:responseTime': [{componentId: 'postgres', componentType: 'datastore', observedValue: postgres.latencyMs, observedUnit: 'ms', time, ...status('postgres', postgres.state !== 'up')}],
		'postgres:connections': [{componentId: 'postgres', componentType: 'datastore', observedValue: postgres.connections, observedUnit: 'connections', time, ...status('postgres', postgres.state !== 'up')}],
		'redis:responseTime': [{componentId: 'redis', componentType: 'datastore', observedValue: redis.latencyMs, observedUnit: 'ms', time, ...status('redis', redis.state !== 'up', 'warn')}],
		'redis:memoryUtilization': [{componentId: 'redis', componentType: 'datastore', observedValue: redis.memoryRatio === null ? null : Math.round(redis.memoryRatio * 1000) / 10, observedUnit: 'percent', time, ...status('redis', redis.state !== 'up', 'warn')}],
		'sqlite:size': [{componentId: 'sqlite', componentType: 'datastore', observedValue: sqlite.sizeBytes, observedUnit: 'bytes', time, ...status('sqlite', sqlite.state !== 'up')}],
		'backups:diskFree': [{componentId: 'backups', componentType: 'system', observedValue: backups.diskFreeRatio === null ? null : Math.round(backups.diskFreeRatio * 1000) / 10, observedUnit: 'percent', time, ...status('backups', false)}],
		'uptime': [{componentId: 'opsdeck', componentType: 'system', observedValue: Math.round(report.process.uptimeSeconds), observedUnit: 's', time, status: 'pass'}],
	};
	if (app) checks['app:responseTime'] = [{componentId: 'app', componentType: 'component', observedValue: app.latencyMs, observedUnit: 'ms', time, ...status('app', app.state !== 'up')}];
	const proc = report.appProcess;
	if (proc) checks['app:process'] = [{componentId: 'app-process', componentType: 'system', observedValue: proc.uptimeSeconds === null ? null : Math.round(proc.uptimeSeconds), observedUnit: 's', time, ...status('appProcess', proc.state === 'down')}];
	return {
		status: verdictStatus[report.verdict],
		serviceId: 'opsdeck',
		description: `opsdeck: ${report.verdict}`,
		notes: report.reasons.map(r => r.message),
		checks,
	};
}

export function apiHealth(report: HealthReport) {
	const {postgres, redis, sqlite, backups} = report;
	return {
		success: report.verdict !== 'unhealthy',
		data: {
			status: report.verdict,
			timestamp: report.checkedAt,
			uptime: Math.round(report.process.uptimeSeconds),
			memory: {rss: report.process.rssBytes, heapUsed: report.process.heapUsedBytes},
			database: {status: postgres.state, latencyMs: postgres.latencyMs, version: postgres.version, connections: postgres.connections, maxConnections: postgres.maxConnections, error: postgres.state === 'up' ? null : postgres.lastError},
			redis: {status: redis.state, latencyMs: redis.latencyMs, version: redis.version, usedMemory: redis.usedMemoryBytes, maxMemory: redis.maxMemoryBytes, keys: redis.keys, error: redis.state === 'up' ? null : redis.lastError},
			sqlite: {status: sqlite.state, path: sqlite.path, size: sqlite.sizeBytes, walSize: sqlite.walBytes, newestBackupAgeMs: backups.newestAgeMs, diskFreeRatio: backups.diskFreeRatio, error: sqlite.error},
			...(report.app ? {app: {status: report.app.state, httpStatus: report.app.httpStatus, latencyMs: report.app.latencyMs, error: report.app.error}} : {}),
			...(report.appProcess ? {appProcess: {status: report.appProcess.state, pid: report.appProcess.pid, uptime: report.appProcess.uptimeSeconds, restarts: report.appProcess.restarts, restartsSinceStart: report.appProcess.restartsSeen, error: report.appProcess.state === 'up' ? null : (report.appProcess.error ?? report.appProcess.detail)}} : {}),
			errors: report.reasons.map(r => r.message),
		},
	};
}
