// The Postgres tab's header (and `pg activity`'s footer): connections used of max_connections and
// per state, the longest open transaction, the oldest idle-in-transaction session, and replication
// — on a primary each pg_stat_replication standby with its lag in bytes and time, on a standby its
// own replay lag. One short query; opsdeck's own connections count as used (they are) but are never
// the longest transaction.
import type {PostgresBackend} from '../backends/postgres.js';
import {hiddenQuery} from './sessions.js';

export type Standby = {
	readonly name: string | null;
	readonly client: string | null;
	readonly state: string | null;
	readonly syncState: string | null;
	/** WAL the standby has not replayed yet */
	readonly lagBytes: number | null;
	readonly replayLagMs: number | null;
};

export type OldestSession = {readonly pid: number; readonly ms: number};

export type Overview = {
	/** client backends, opsdeck's own included */
	readonly connections: number;
	readonly maxConnections: number;
	readonly reservedConnections: number;
	/** client backends per state; 'hidden' for sessions this role may not see */
	readonly byState: Readonly<Record<string, number>>;
	readonly longestTransaction: OldestSession | null;
	/** measured from when it went idle (the clock idle_in_transaction_session_timeout uses) */
	readonly oldestIdleInTransaction: OldestSession | null;
	readonly isStandby: boolean;
	/** on a primary: its standbys (empty: none) */
	readonly standbys: readonly Standby[];
	/** on a standby: WAL received and not replayed yet, and how old the last replayed transaction is */
	readonly replay: {readonly lagBytes: number | null; readonly lagMs: number | null} | null;
	/** sessions whose details this role may not see */
	readonly hiddenSessions: number;
};

// pg_stat_activity is read once (each read of it builds a row for every backend slot, 600 of them
// on a server with max_connections 600, which cost ~5 ms of the server's CPU for the four reads this
// took before), and pg_stat_replication, another such read, only when a WAL sender runs.
// pg_current_wal_lsn() fails on a standby: each side of the case only runs where it can.
const overviewSql = `
with a as materialized (
	select pid, datname, state, query, backend_type, application_name, xact_start, state_change from pg_stat_activity
), clients as (select * from a where backend_type = 'client backend' or (query = '${hiddenQuery}' and datname is not null)),
others as (select * from a where pid <> pg_backend_pid() and application_name is distinct from 'opsdeck' and backend_type = 'client backend')
select (select count(*)::int from clients) as connections,
	current_setting('max_connections')::int as max_connections,
	current_setting('superuser_reserved_connections')::int as reserved,
	(select coalesce(json_object_agg(state, n), '{}') from (
		select case when query = '${hiddenQuery}' then 'hidden' else coalesce(state, 'unknown') end as state, count(*)::int as n from clients group by 1) s) as by_state,
	(select count(*)::int from clients where query = '${hiddenQuery}') as hidden,
	(select json_build_object('pid', pid, 'ms', extract(epoch from now() - xact_start)::float8 * 1000) from others
		where xact_start is not null order by xact_start limit 1) as longest_xact,
	(select json_build_object('pid', pid, 'ms', extract(epoch from now() - state_change)::float8 * 1000) from others
		where state in ('idle in transaction', 'idle in transaction (aborted)') order by state_change limit 1) as oldest_idle_xact,
	pg_is_in_recovery() as standby,
	case when pg_is_in_recovery() then null when not exists (select 1 from pg_stat_get_wal_senders()) then '[]'::json
		else (select coalesce(json_agg(json_build_object(
			'name', application_name, 'client', host(client_addr), 'state', state, 'syncState', sync_state,
			'lagBytes', pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8,
			'replayLagMs', extract(epoch from replay_lag)::float8 * 1000) order by application_name), '[]') from pg_stat_replication) end as standbys,
	case when pg_is_in_recovery() then json_build_object(
		'lagBytes', pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8,
		'lagMs', extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 * 1000) end as replay`;

type Row = {
	connections: number;
	max_connections: number;
	reserved: number;
	by_state: Record<string, number>;
	hidden: number;
	longest_xact: OldestSession | null;
	oldest_idle_xact: OldestSession | null;
	standby: boolean;
	standbys: Standby[] | null;
	replay: {lagBytes: number | null; lagMs: number | null} | null;
};

const whole = (value: number | null) => (value === null ? null : Math.max(0, Math.round(value)));
const oldest = (value: OldestSession | null) => (value ? {pid: value.pid, ms: whole(value.ms) ?? 0} : null);

export async function readOverview(postgres: PostgresBackend): Promise<Overview> {
	const row = (await postgres.query<Row>(overviewSql))[0]!;
	return {
		connections: row.connections,
		maxConnections: row.max_connections,
		reservedConnections: row.reserved,
		byState: row.by_state,
		longestTransaction: oldest(row.longest_xact),
		oldestIdleInTransaction: oldest(row.oldest_idle_xact),
		isStandby: row.standby,
		standbys: (row.standbys ?? []).map(s => ({...s, lagBytes: whole(s.lagBytes), replayLagMs: whole(s.replayLagMs)})),
		replay: row.replay ? {lagBytes: whole(row.replay.lagBytes), lagMs: whole(row.replay.lagMs)} : null,
		hiddenSessions: row.hidden,
	};
}
