// PostgreSQL sessions, the blocking tree, tables and top queries as lines of text, for `opsdeck pg`
// (the tab draws its own rows from the same data and these words). Every value from the server is
// sanitized here (a query can hold any byte), and passwords were masked when it was read. Server
// text goes through sanitizeExact: a real backslash shown as \\, so an application_name or query
// holding the text `\x1b` does not look like a real ESC shown escaped.
import type {BlockingNode} from '../postgres/blocking.js';
import type {Overview} from '../postgres/overview.js';
import type {TopQueries} from '../postgres/queries.js';
import {sessionDuration, type Session} from '../postgres/sessions.js';
import type {TablesResult} from '../postgres/tables.js';
import {oneLine} from '../postgres/query-text.js';
import {fit, formatBytes, formatCount, formatDateTime, formatDuration, formatPercent} from './format.js';
import {sanitize, sanitizeExact, type Safe} from './sanitize.js';

const stateWords: Record<string, string> = {
	active: 'active',
	idle: 'idle',
	'idle in transaction': 'idle in tx',
	'idle in transaction (aborted)': 'idle in tx (aborted)',
	'fastpath function call': 'fastpath',
	disabled: 'disabled',
};

/** The state in a few letters: "idle in tx" for "idle in transaction"; "hidden" when the role may not see it. */
export function stateText(session: Session): Safe {
	if (session.hidden) return 'hidden' as Safe;
	return sanitizeExact(session.state === null ? '-' : (stateWords[session.state] ?? session.state));
}

export function waitText(session: Session): Safe {
	if (!session.waitEventType) return '' as Safe;
	return sanitizeExact(`${session.waitEventType}:${session.waitEvent ?? '?'}`);
}

/** The query on one line (at most max characters), "(hidden)" when the role may not see it. */
export function queryText(session: Pick<Session, 'hidden' | 'query'>, max = 200): Safe {
	if (session.hidden) return '(hidden)' as Safe;
	return sanitizeExact(oneLine(session.query ?? '', max));
}

const cell = (value: string | null, width: number) => fit(sanitizeExact(value ?? '-'), width);

/** Columns padded to their widest cell; `right` lists the columns aligned right (numbers). */
function table(rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string[] {
	const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => Array.from(r[i]!).length)));
	const last = widths.length - 1;
	return rows.map(r => r.map((c, i) => (i === last ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function sessionTable(sessions: readonly Session[]): string[] {
	const header = ['PID', 'DATABASE', 'USER', 'APP', 'CLIENT', 'STATE', 'WAIT', 'QUERY', 'XACT', 'QUERY TEXT'];
	const rows = sessions.map(s => [
		String(s.pid), cell(s.database, 32), cell(s.user, 24), cell(s.application, 24), cell(s.client, 39),
		stateText(s), waitText(s), s.state === 'active' ? formatDuration(s.queryMs) : '', formatDuration(s.xactMs), queryText(s),
	]);
	return table([header, ...rows], new Set([0, 7, 8]));
}

/** "connections 15/100 (active 3, idle 9) · longest transaction 12s (pid 4242) · ...". */
export function overviewLine(o: Overview): Safe {
	return overviewParts(o).join(' · ') as Safe;
}

/** The parts of overviewLine: connections, longest transaction, oldest idle in transaction, replication (the tab draws them on two lines). */
export function overviewParts(o: Overview): [connections: Safe, longest: Safe, idle: Safe, replication: Safe] {
	const states = Object.entries(o.byState).sort(([, a], [, b]) => b - a).map(([state, n]) => `${stateWords[state] ?? state} ${n}`).join(', ');
	const oldest = (label: string, v: Overview['longestTransaction']) => (v ? `${label} ${formatDuration(v.ms)} (pid ${v.pid})` : `${label} none`);
	const replication = o.isStandby
		? `standby: replay lag ${formatDuration(o.replay?.lagMs)}, ${formatBytes(o.replay?.lagBytes)} not replayed`
		: o.standbys.length === 0
			? 'no standbys'
			: o.standbys.map(s => `standby ${s.name || s.client || '?'} ${s.state ?? '?'} lag ${formatBytes(s.lagBytes)} ${formatDuration(s.replayLagMs)}`).join(', ');
	return [
		sanitize(`connections ${o.connections}/${o.maxConnections}${states ? ` (${states})` : ''}`),
		sanitize(oldest('longest transaction', o.longestTransaction)),
		sanitize(oldest('oldest idle in transaction', o.oldestIdleInTransaction)),
		sanitizeExact(replication),
	];
}

/** The blocking tree, one session a line, each blocked session under its blocker. */
export function blockingLines(tree: readonly BlockingNode[]): string[] {
	const lines: string[] = [];
	const walk = (node: BlockingNode, depth: number) => {
		const s = node.session;
		const prefix = depth === 0 ? '' : `${'   '.repeat(depth - 1)}└─ `;
		const what = node.pid === 0
			? 'a prepared transaction (pg_prepared_xacts)'
			: s
				? `${stateText(s)}  ${formatDuration(sessionDuration(s))}  ${sanitizeExact(`${s.user ?? '?'}@${s.database ?? '?'}`)}${s.waitEventType ? `  waits ${waitText(s)}` : ''}  ${queryText(s, 120)}`
				: 'gone';
		lines.push(`${prefix}${node.pid}  ${what}`);
		for (const child of node.blocks) walk(child, depth + 1);
	};
	for (const root of tree) walk(root, 0);
	return lines;
}

const when = (a: Date | null, b: Date | null): Safe => {
	const newest = [a, b].filter((d): d is Date => d !== null).sort((x, y) => y.getTime() - x.getTime())[0];
	return newest ? formatDateTime(newest) : ('never' as Safe);
};

export function tablesTable(result: TablesResult): string[] {
	const header = ['TABLE', 'SIZE', 'HEAP', 'INDEXES', 'TOAST', 'LIVE', 'DEAD', 'DEAD%', 'SEQ SCANS', 'IDX SCANS', 'LAST VACUUM (UTC)', 'LAST ANALYZE (UTC)'];
	const rows = result.tables.map(t => [
		cell(`${t.schema}.${t.name}`, 40), formatBytes(t.totalBytes), formatBytes(t.heapBytes), formatBytes(t.indexBytes), formatBytes(t.toastBytes),
		formatCount(t.liveTuples), formatCount(t.deadTuples), formatPercent(t.deadRatio), formatCount(t.seqScans), formatCount(t.idxScans),
		when(t.lastVacuum, t.lastAutovacuum), when(t.lastAnalyze, t.lastAutoanalyze),
	]);
	return table([header, ...rows], new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]));
}

export function queriesTable(result: Extract<TopQueries, {available: true}>): string[] {
	const header = ['CALLS', 'TOTAL', 'MEAN', 'ROWS', 'DATABASE', 'USER', 'QUERY'];
	const rows = result.queries.map(q => [
		formatCount(q.calls), formatDuration(q.totalMs), formatDuration(q.meanMs), formatCount(q.rows), cell(q.database, 20), cell(q.user, 16),
		queryText({hidden: q.query === null, query: q.query}),
	]);
	return table([header, ...rows], new Set([0, 1, 2, 3]));
}
