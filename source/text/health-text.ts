// One line per component, shared by `opsdeck status` and the console's narrow layout. Server text
// (errors, versions) is sanitized here: it comes from outside.
import {formatBytes, formatCount, formatDuration, formatPercent} from './format.js';
import {sanitize} from './sanitize.js';
import {appProcessLine} from './app-text.js';
import type {HealthReport} from '../health/health.js';
import {drillInUse, drillProblems, drillText} from '../health/drill.js';

export type ComponentLine = {
	readonly name: string;
	readonly state: 'up' | 'down' | 'connecting';
	/** the word shown for the state when it is not up/down (a drill is passed, FAILED or overdue) */
	readonly label?: string;
	readonly text: string;
};

/** A drill's own state word, as its card says it: FAILED, overdue, passed (unknown: its log unreadable). */
function drillWord(drill: NonNullable<HealthReport['drill']>): string {
	if (drill.error) return 'unknown';
	if (drill.last && !drill.last.ok) return 'FAILED';
	if (drill.overdue || !drill.last) return 'overdue';
	return 'passed';
}

const ms = (value: number | null) => (value === null ? '-' : value < 10 ? `${value.toFixed(1)}ms` : formatDuration(value));
const secs = (value: number | null) => (value === null ? '-' : formatDuration(value * 1000));
const err = (value: string | null) => sanitize(value ?? 'no answer');

export function componentLines(report: HealthReport): ComponentLine[] {
	const {postgres: pg, redis, sqlite, backups, app} = report;
	const lines: ComponentLine[] = [];
	lines.push({
		name: 'postgres',
		state: pg.state,
		text: pg.state === 'up'
			? `${ms(pg.latencyMs)}  v${sanitize(pg.version ?? '-')}  up ${secs(pg.uptimeSeconds)}  conns ${formatCount(pg.connections)}/${formatCount(pg.maxConnections)}  size ${formatBytes(pg.databaseSizeBytes)}  cache hit ${formatPercent(pg.cacheHitRatio)}`
			: err(pg.lastError),
	});
	const memory = redis.maxMemoryBytes ? `${formatBytes(redis.usedMemoryBytes)}/${formatBytes(redis.maxMemoryBytes)}` : formatBytes(redis.usedMemoryBytes);
	lines.push({
		name: 'redis',
		state: redis.state,
		text: redis.state === 'up'
			? `${ms(redis.latencyMs)}  v${sanitize(redis.version ?? '-')}  up ${secs(redis.uptimeSeconds)}  mem ${memory}  clients ${formatCount(redis.clients)}  keys(db${redis.db}) ${formatCount(redis.keys)}  ops/s ${formatCount(redis.opsPerSec)}  hit ${formatPercent(redis.hitRate)}`
			: err(redis.lastError),
	});
	lines.push({
		name: 'sqlite',
		state: sqlite.state,
		text: sqlite.state === 'up'
			? `${formatBytes(sqlite.sizeBytes)}  wal ${formatBytes(sqlite.walBytes ?? 0)}  ${sanitize(sqlite.journalMode ?? '-')}  newest backup ${backups.newestAgeMs === null ? 'none' : `${formatDuration(backups.newestAgeMs)} ago`}  disk ${formatPercent(backups.diskFreeRatio, 0)} free`
			: err(sqlite.error),
	});
	if (app) {
		lines.push({
			name: 'app',
			state: app.state,
			text: app.state === 'up' ? `HTTP ${app.httpStatus}  ${ms(app.latencyMs)}` : err(app.error),
		});
	}
	// the last restore drill, once drills are in use (issue 19)
	const drill = report.drill;
	if (drillInUse(drill)) {
		const label = drillWord(drill);
		// the text goes on after the word the state column says ("passed 2h ago (…)": "2h ago (…)")
		const text = drillText(drill).replace(/^(?:passed|FAILED) ?/, '');
		lines.push({name: 'drill', state: drillProblems(drill).length > 0 ? 'down' : 'up', label, text: sanitize(text)});
	}
	if (report.appProcess) lines.push({name: 'app process', state: report.appProcess.state === 'up' ? 'up' : 'down', text: appProcessLine(report.appProcess)});
	return lines;
}
