// The sessions of pg_stat_activity, as the Postgres tab and `opsdeck pg activity` show them: client
// backends (and autovacuum workers, which hold locks too) other than opsdeck's own connections
// (application_name 'opsdeck', set by backends/postgres.ts). Durations are measured by the server
// (now() of one short transaction), so a skewed local clock does not stretch them.
// A role without pg_read_all_stats sees other roles' sessions with their query as
// "<insufficient privilege>" and most columns empty: those are marked hidden, never shown blank.
import type {PostgresBackend} from '../backends/postgres.js';
import {maskQuery} from './query-text.js';

export type SessionState = 'active' | 'idle' | 'idle in transaction' | 'idle in transaction (aborted)' | 'fastpath function call' | 'disabled';

export type Session = {
	readonly pid: number;
	readonly database: string | null;
	readonly user: string | null;
	readonly application: string | null;
	/** client address, 'local' for a Unix socket, null for a background worker or a hidden row */
	readonly client: string | null;
	readonly backendType: string | null;
	/** null when hidden */
	readonly state: SessionState | null;
	readonly waitEventType: string | null;
	readonly waitEvent: string | null;
	/** since the current (or last) query started */
	readonly queryMs: number | null;
	/** since its transaction started; null outside a transaction */
	readonly xactMs: number | null;
	/** since the state last changed (how long it has been idle in transaction, say) */
	readonly stateMs: number | null;
	/** the server's text of backend_start: with the pid, the identity of the session (a pid is reused) */
	readonly backendStart: string | null;
	/** the server's text of query_start: which query of the session (cancel acts on that one only) */
	readonly queryStart: string | null;
	/** the query, passwords masked; null when hidden */
	readonly query: string | null;
	/** the role lacks pg_read_all_stats (or membership) to see this session */
	readonly hidden: boolean;
};

/** What Postgres shows in place of another role's query to a role without pg_read_all_stats. */
export const hiddenQuery = '<insufficient privilege>';

/** The hint shown instead of blank rows when sessions are hidden. */
export const hiddenNote = 'queries of other users are hidden: grant pg_read_all_stats';

/** The columns every session query selects (from pg_stat_activity as a). */
export const sessionColumns = `
a.pid, a.datname, a.usename, a.application_name, a.backend_type,
coalesce(host(a.client_addr), case when a.client_port = -1 then 'local' end) as client,
a.state, a.wait_event_type, a.wait_event,
extract(epoch from now() - a.query_start)::float8 * 1000 as query_ms,
extract(epoch from now() - a.xact_start)::float8 * 1000 as xact_ms,
extract(epoch from now() - a.state_change)::float8 * 1000 as state_ms,
a.backend_start::text as backend_start, a.query_start::text as query_start, a.query`;

/**
 * Which rows are sessions to show: not this query's own backend, not opsdeck's, client backends and
 * autovacuum workers — and every hidden row connected to a database (a hidden row's backend_type
 * is empty too; the server's own processes, hidden as well, have no database), so the hint has a count.
 */
export const sessionFilter = `
a.pid <> pg_backend_pid()
and a.application_name is distinct from 'opsdeck'
and (a.backend_type in ('client backend', 'autovacuum worker') or (a.query = '${hiddenQuery}' and a.datname is not null))`;

export type SessionRow = {
	pid: number;
	datname: string | null;
	usename: string | null;
	application_name: string | null;
	backend_type: string | null;
	client: string | null;
	state: string | null;
	wait_event_type: string | null;
	wait_event: string | null;
	query_ms: number | null;
	xact_ms: number | null;
	state_ms: number | null;
	backend_start: string | null;
	query_start: string | null;
	query: string | null;
};

const ms = (value: number | null) => (value === null ? null : Math.max(0, Math.round(value)));

export function toSession(row: SessionRow): Session {
	const hidden = row.query === hiddenQuery;
	return {
		pid: row.pid,
		database: row.datname,
		user: row.usename,
		application: row.application_name,
		client: row.client,
		backendType: row.backend_type,
		state: hidden ? null : (row.state as SessionState | null),
		waitEventType: row.wait_event_type,
		waitEvent: row.wait_event,
		queryMs: ms(row.query_ms),
		xactMs: ms(row.xact_ms),
		stateMs: ms(row.state_ms),
		backendStart: row.backend_start,
		queryStart: row.query_start,
		query: hidden || row.query === null ? null : maskQuery(row.query),
		hidden,
	};
}

export type SessionsResult = {
	readonly sessions: readonly Session[];
	/** how many of them are hidden from this role */
	readonly hidden: number;
};

/** Every session but opsdeck's own (idle ones included: the views choose). One short query. */
export async function readSessions(postgres: PostgresBackend): Promise<SessionsResult> {
	const rows = await postgres.query<SessionRow>(`select ${sessionColumns} from pg_stat_activity a where ${sessionFilter} order by a.pid`);
	const sessions = rows.map(toSession);
	return {sessions, hidden: sessions.filter(s => s.hidden).length};
}

/** One session by pid (opsdeck's own included: it may be another console's), or undefined. */
export async function findSession(postgres: PostgresBackend, pid: number): Promise<Session | undefined> {
	const rows = await postgres.query<SessionRow>(`select ${sessionColumns} from pg_stat_activity a where a.pid = $1 and a.pid <> pg_backend_pid()`, [pid]);
	return rows[0] ? toSession(rows[0]) : undefined;
}

/**
 * How long a session has been in its current state, the figure the views sort and filter by:
 * an active query's run time, an open transaction's age, an idle session's idle time.
 */
export function sessionDuration(session: Session): number | null {
	if (session.state === 'active' || session.state === 'fastpath function call') return session.queryMs;
	if (session.state === 'idle in transaction' || session.state === 'idle in transaction (aborted)') return session.xactMs ?? session.stateMs;
	return session.stateMs;
}
