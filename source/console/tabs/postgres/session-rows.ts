// The Postgres tab's pieces that only draw: the sessions' columns (on a narrow pane the client goes
// first, then the application, user, database, wait, transaction time; the query text takes the rest), the blocking tree as rows, the header lines.
import type {Thresholds} from '../../../config/config.js';
import type {BlockingNode} from '../../../postgres/blocking.js';
import type {Overview} from '../../../postgres/overview.js';
import {sessionDuration, type Session} from '../../../postgres/sessions.js';
import {selectSessions, type SortKey, type View} from '../../../postgres/views.js';
import {formatDuration} from '../../../text/format.js';
import {overviewParts, queryText, stateText, waitText} from '../../../text/pg-text.js';
import {joinSafe, sanitize, sanitizeExact, type Safe} from '../../../text/sanitize.js';
import type {Column} from '../../components/table.js';

/** A row of the list: a session, or in the blocking view a node of the tree at its depth. */
export type Row = {
	readonly pid: number;
	/** undefined: a prepared transaction (pid 0) or a session gone between the reads */
	readonly session: Session | undefined;
	readonly depth: number;
};

const stateColor = (s: Session | undefined) => {
	if (!s || s.hidden) return undefined;
	if (s.state === 'active') return 'green';
	if (s.state === 'idle in transaction (aborted)') return 'red';
	if (s.state === 'idle in transaction') return 'yellow';
	return undefined;
};

const dash = '-' as Safe;
const of = (row: Row, pick: (s: Session) => Safe): Safe => (row.session ? pick(row.session) : dash);

function pidCell(row: Row): Safe {
	const prefix = row.depth === 0 ? '' : `${'   '.repeat(row.depth - 1)}└─ `;
	return sanitize(`${prefix}${row.pid}`);
}

/**
 * The columns; `treeDepth` is the deepest level of the blocking tree (its PID column widens). From
 * 80 columns the query keeps at least 30 of them; a narrow pane keeps the state and the time beside it.
 */
export function sessionColumns(width: number, treeDepth = 0): Column<Row>[] {
	return [
		{key: 'pid', title: 'PID', value: pidCell, width: 7 + 3 * Math.min(treeDepth, 5), align: treeDepth > 0 ? 'left' : 'right'},
		{key: 'db', title: 'DATABASE', value: r => of(r, s => sanitizeExact(s.database ?? '-')), width: 12, priority: 5},
		{key: 'user', title: 'USER', value: r => of(r, s => sanitizeExact(s.user ?? '-')), width: 10, priority: 6},
		{key: 'app', title: 'APP', value: r => of(r, s => sanitizeExact(s.application || '-')), width: 12, priority: 7},
		{key: 'client', title: 'CLIENT', value: r => of(r, s => sanitizeExact(s.client ?? '-')), width: 15, priority: 8},
		{key: 'state', title: 'STATE', value: r => (r.pid === 0 ? ('prepared' as Safe) : r.session ? stateText(r.session) : ('gone' as Safe)), width: 10, priority: 2, color: r => stateColor(r.session)},
		{key: 'wait', title: 'WAIT', value: r => of(r, waitText), width: 16, priority: 4},
		{key: 'time', title: 'TIME', value: r => of(r, s => formatDuration(sessionDuration(s))), width: 6, align: 'right', priority: 1},
		{key: 'xact', title: 'XACT', value: r => of(r, s => formatDuration(s.xactMs)), width: 6, align: 'right', priority: 3},
		{key: 'query', title: 'QUERY', value: r => (r.pid === 0 ? ('a prepared transaction (pg_prepared_xacts)' as Safe) : of(r, s => queryText(s, 400))), minWidth: width >= 80 ? 30 : 10},
	];
}

/** The sessions as rows, one depth. */
export function listRows(sessions: readonly Session[]): Row[] {
	return sessions.map(session => ({pid: session.pid, session, depth: 0}));
}

/**
 * The blocking tree as rows, each blocked session under its blocker. With a filter, a whole tree
 * stays when any session in it matches (a tree cut in the middle would say the wrong thing).
 */
export function treeRows(tree: readonly BlockingNode[], filter: {readonly text: string; readonly minDurationMs: number}): Row[] {
	const rows: Row[] = [];
	for (const root of tree) {
		const group: Row[] = [];
		const walk = (node: BlockingNode, depth: number) => {
			group.push({pid: node.pid, session: node.session, depth});
			for (const child of node.blocks) walk(child, depth + 1);
		};
		walk(root, 0);
		const filtered = filter.text !== '' || filter.minDurationMs > 0;
		const members = group.flatMap(r => (r.session ? [r.session] : []));
		if (!filtered || selectSessions(members, {view: 'all', ...filter}).length > 0) rows.push(...group);
	}
	return rows;
}

const viewWords: Record<View, string> = {running: 'running', waiting: 'waiting on a lock', blocking: 'who blocks whom', all: 'all sessions'};
const sortWords: Record<SortKey, string> = {duration: 'longest first', pid: 'by pid', state: 'by state'};

/** "running · 3 of 57 sessions · longest first · min 5s · filter "shop"". */
export function viewLine(o: {readonly view: View; readonly shown: number; readonly total: number; readonly sort: SortKey; readonly minDurationMs: number; readonly text: string}): Safe {
	const parts = [
		o.view === 'blocking' ? `${viewWords.blocking} · ${o.shown} in the tree` : `${viewWords[o.view]} · ${o.shown} of ${o.total} sessions`,
		...(o.view === 'blocking' ? [] : [sortWords[o.sort]]),
		...(o.view === 'running' ? ['idle hidden (A: all)'] : []),
		...(o.minDurationMs > 0 ? [`min ${formatDuration(o.minDurationMs)}`] : []),
		...(o.text ? [`filter "${o.text}"`] : []),
	];
	return sanitize(parts.join(' · '));
}

export type HeaderLine = {readonly text: Safe; readonly warn: boolean};

/**
 * The header in `count` lines (1 to 3): connections (per state); the longest and the idle
 * transactions; replication (on the second line when there are two). Yellow past the thresholds.
 */
export function headerLines(o: Overview, thresholds: Thresholds, count: number): HeaderLine[] {
	const [connections, longest, idle, replication] = overviewParts(o);
	const crowded = o.maxConnections > 0 && o.connections / o.maxConnections > thresholds.pgConnectionsRatio;
	const idleTooLong = (o.oldestIdleInTransaction?.ms ?? 0) > thresholds.pgIdleInTransactionMs;
	const first = {text: connections, warn: crowded};
	if (count <= 1) return [first];
	const transactions = {text: joinSafe([longest, idle], ' · '), warn: idleTooLong};
	if (count === 2) return [first, {...transactions, text: joinSafe([transactions.text, replication], ' · ')}];
	return [first, transactions, {text: replication, warn: false}];
}
