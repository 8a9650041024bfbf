// The Status tab's cards from one HealthReport: the values, formatted, coloured by threshold.
import type {Thresholds} from '../../../config/config.js';
import {drillInUse, type DrillHealth} from '../../../health/drill.js';
import type {HealthReport} from '../../../health/health.js';
import {formatBytes, formatCount, formatDuration, formatPercent} from '../../../text/format.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import type {CardRow} from './status-card.js';

export type Card = {
	readonly id: 'postgres' | 'redis' | 'sqlite' | 'drill' | 'app' | 'appProcess' | 'process';
	readonly title: string;
	readonly state: 'up' | 'down' | 'connecting' | 'off' | 'unknown';
	/** the word for the state when it is not the state's own (the drill's `passed`, `FAILED`, `overdue`) */
	readonly stateLabel?: string;
	readonly note?: Safe | undefined;
	readonly noteColor?: string;
	readonly rows: readonly CardRow[];
};

type RawCard = Omit<Card, 'note' | 'rows'> & {readonly note?: string | undefined; readonly rows: readonly {readonly label: string; readonly value: string; readonly color?: string | undefined; readonly middle?: boolean}[]};

/** urls, versions, paths and error texts come from servers and files: sanitized here, once per card */
function card(raw: RawCard): Card {
	return {...raw, note: raw.note === undefined ? undefined : sanitize(raw.note), rows: raw.rows.map(row => ({...row, value: sanitize(row.value)}))};
}

const ms = (value: number | null) => (value === null ? '-' : value < 10 ? `${value.toFixed(1)}ms` : formatDuration(value));
const secs = (value: number | null) => (value === null ? '-' : formatDuration(value * 1000));
const warnIf = (bad: boolean) => (bad ? 'yellow' : undefined);
/** "1,204 (12/s)": since the start, and per second since the previous check when there was one */
const evictions = (total: number | null, perSec: number | null) => (total === null ? '-' : `${formatCount(total)}${perSec === null ? '' : ` (${perSec < 10 ? perSec.toFixed(1).replace(/\.0$/, '') : formatCount(Math.round(perSec))}/s)`}`);

export function cardsFor(report: HealthReport, thresholds: Thresholds): Card[] {
	const {postgres: pg, redis, sqlite, backups, app} = report;
	const slow = (v: number | null) => v !== null && v > thresholds.latencyMs;
	const cards: Card[] = [];

	const pgRatio = pg.connections !== null && pg.maxConnections ? pg.connections / pg.maxConnections : null;
	const idle = pg.idleInTransaction;
	cards.push(card({
		id: 'postgres',
		title: 'PostgreSQL',
		state: pg.state,
		note: pg.state === 'up' ? ms(pg.latencyMs) : undefined,
		noteColor: slow(pg.latencyMs) ? 'yellow' : 'green',
		rows: [
			{label: 'url', value: pg.url, middle: true},
			{label: 'version', value: pg.version ?? '-'},
			{label: 'uptime', value: secs(pg.uptimeSeconds)},
			{label: 'conns', value: pg.connections === null ? '-' : `${formatCount(pg.connections)} / ${formatCount(pg.maxConnections)}`, color: warnIf(pgRatio !== null && pgRatio > thresholds.pgConnectionsRatio)},
			// the session of this database idle in transaction the longest (a degraded verdict past the threshold)
			{label: 'idle in tx', value: idle ? `pid ${idle.pid}, ${formatDuration(idle.ms)}` : pg.connections === null ? '-' : 'none', color: warnIf(idle !== null && idle.ms > thresholds.pgIdleInTransactionMs)},
			{label: 'db size', value: formatBytes(pg.databaseSizeBytes)},
			{label: 'cache hit', value: formatPercent(pg.cacheHitRatio), color: warnIf(pg.cacheHitRatio !== null && pg.cacheHitRatio < 0.9)},
			{label: 'reconnects', value: formatCount(pg.reconnects)},
			{label: 'last error', value: pg.lastError ?? '-', color: pg.lastError ? 'red' : undefined},
		],
	}));

	const memory = redis.usedMemoryBytes === null
		? '-'
		: redis.maxMemoryBytes
			? `${formatBytes(redis.usedMemoryBytes)} / ${formatBytes(redis.maxMemoryBytes)} (${formatPercent(redis.memoryRatio, 0)})`
			: `${formatBytes(redis.usedMemoryBytes)} (no maxmemory)`;
	cards.push(card({
		id: 'redis',
		title: 'Redis',
		state: redis.state,
		note: redis.state === 'up' ? `${ms(redis.latencyMs)}${redis.cluster ? `  cluster of ${redis.masters}` : ''}` : undefined,
		noteColor: slow(redis.latencyMs) ? 'yellow' : 'green',
		rows: [
			{label: 'url', value: redis.url, middle: true},
			{label: 'version', value: redis.version ?? '-'},
			{label: 'uptime', value: secs(redis.uptimeSeconds)},
			{label: 'memory', value: memory, color: warnIf(redis.memoryRatio !== null && redis.memoryRatio > thresholds.redisMemoryRatio)},
			// evictions on the clients row: a row more would push a 24-row terminal into the compact layout
			{label: 'clients', value: `${formatCount(redis.clients)}   evicted ${evictions(redis.evictedKeys, redis.evictedPerSec)}`, color: warnIf((redis.evictedPerSec ?? 0) > 0)},
			{label: `keys db${redis.db}`, value: formatCount(redis.keys)},
			{label: 'ops/s', value: redis.opsPerSec === null ? '-' : `${formatCount(redis.opsPerSec)}   hit rate ${formatPercent(redis.hitRate)}`},
			{label: 'reconnects', value: formatCount(redis.reconnects)},
			{label: 'last error', value: redis.lastError ?? '-', color: redis.lastError ? 'red' : undefined},
		],
	}));

	const lowDisk = backups.diskFreeRatio !== null && backups.diskFreeRatio < thresholds.minFreeDiskRatio;
	cards.push(card({
		id: 'sqlite',
		title: 'SQLite',
		state: sqlite.state,
		note: sqlite.state === 'up' ? formatBytes(sqlite.sizeBytes) : undefined,
		rows: [
			{label: 'path', value: sqlite.path, middle: true},
			sqlite.state === 'up'
				? {label: 'wal', value: `${formatBytes(sqlite.walBytes ?? 0)}   journal ${sqlite.journalMode ?? '-'}`}
				: {label: 'error', value: sqlite.error ?? 'unreadable', color: 'red'},
			{label: 'backup', value: backups.newestAgeMs === null ? `none yet (${formatCount(backups.count)})` : `newest ${formatDuration(backups.newestAgeMs)} ago (${formatCount(backups.count)} kept)`},
			{label: 'disk', value: backups.diskFreeRatio === null ? backups.error ?? '-' : `${formatPercent(backups.diskFreeRatio, 0)} free (${formatBytes(backups.diskFreeBytes)})`, color: warnIf(lowDisk)},
		],
	}));

	if (app) {
		cards.push(card({
			id: 'app',
			title: 'App',
			state: app.state,
			note: app.httpStatus === null ? undefined : `HTTP ${app.httpStatus}  ${ms(app.latencyMs)}`,
			noteColor: app.state !== 'up' ? 'red' : slow(app.latencyMs) ? 'yellow' : 'green',
			rows: app.state === 'up' ? [] : [{label: 'error', value: app.error ?? '-', color: 'red'}],
		}));
	}

	// the last restore drill, once drills are in use (recorded, scheduled, or a drill log that cannot
	// be read): one row, so a 24-row terminal keeps the two columns; FAILED red, overdue yellow, as the
	// verdict counts them (health/drill.ts drillProblems)
	const drill = report.drill;
	if (drillInUse(drill)) cards.push(card(drillCard(drill)));

	// APP_SERVICE: the app's process (two rows, so a 24-row terminal keeps the two columns)
	const ap = report.appProcess;
	if (ap) {
		const up = ap.state === 'up';
		cards.push(card({
			id: 'appProcess',
			title: 'App process',
			state: ap.state,
			note: up ? `${ap.pid === null ? 'pid not visible' : `pid ${ap.pid}`}  up ${secs(ap.uptimeSeconds)}` : ap.state === 'unknown' ? (ap.error ?? ap.detail) : ap.detail,
			noteColor: up ? undefined : ap.state === 'down' ? 'red' : 'yellow',
			rows: [
				{label: 'restarts', value: `${ap.restarts === null ? '-' : formatCount(ap.restarts)} (${formatCount(ap.restartsSeen)} since start)`, color: warnIf(ap.restartsSeen > 0)},
				{label: 'rss cpu', value: `${formatBytes(ap.rssBytes)}  ${ap.cpuPercent === null ? '-' : `${ap.cpuPercent.toFixed(1)}%`}  port ${ap.ports.length === 0 ? '-' : ap.ports.join(',')}`},
			],
		}));
	}

	const proc = report.process;
	cards.push(card({
		id: 'process',
		title: 'Console',
		state: 'up',
		note: `pid ${proc.pid}`,
		rows: [
			{label: 'uptime', value: secs(proc.uptimeSeconds)},
			{label: 'rss', value: formatBytes(proc.rssBytes)},
			{label: 'poll', value: `every ${formatDuration(proc.pollIntervalMs)}`},
		],
	}));
	return cards;
}

/** `Drill  passed  2h10m ago, every 24 h` over the backup drilled; FAILED over its first finding; overdue per DRILL_INTERVAL_HOURS. */
function drillCard(drill: DrillHealth): RawCard {
	const {last} = drill;
	const every = drill.intervalHours === null ? '' : `every ${drill.intervalHours} h`;
	// ("Drill": the title, state and note fit a card 39 cells wide, `drill` as in `opsdeck status`)
	const base = {id: 'drill', title: 'Drill'} as const;
	// (a drill log that cannot be read: the verdict counts it when drills are scheduled)
	if (drill.error) return {...base, state: 'unknown', note: every || undefined, noteColor: 'yellow', rows: [{label: 'error', value: `cannot read the drill log: ${drill.error}`, color: 'red'}]};
	// (scheduled, none yet: overdue, as the verdict says)
	if (!last) return {...base, state: 'unknown', stateLabel: 'overdue', note: `none recorded yet, ${every}`, noteColor: 'yellow', rows: [{label: 'backup', value: 'none drilled yet'}]};
	const age = drill.ageMs === null ? '-' : `${formatDuration(drill.ageMs)} ago`;
	const findings = last.findings.length > 1 ? ` (+${last.findings.length - 1} more)` : '';
	const where = last.remote ? ` (remote ${last.remote})` : '';
	return {
		...base,
		state: last.ok ? (drill.overdue ? 'unknown' : 'up') : 'down',
		stateLabel: last.ok ? (drill.overdue ? 'overdue' : 'passed') : 'FAILED',
		note: [age, drill.overdue && !last.ok ? 'overdue' : '', every].filter(Boolean).join(', '),
		noteColor: drill.overdue ? 'yellow' : undefined,
		rows: last.ok
			? [{label: 'backup', value: `${last.backup}${where}`, middle: true}]
			: [{label: 'finding', value: `${last.findings[0] ?? 'no finding recorded'}${findings}`, color: 'red'}],
	};
}
