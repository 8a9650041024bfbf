// Top queries by total execution time, from pg_stat_statements when the extension is installed in
// the connected database (its view lives in the extension's schema); otherwise, or when the library
// is not loaded, one line saying how to enable it. The statistics cover the whole server, every
// database; a role without pg_read_all_stats sees other roles' query text as hidden.
import type {PostgresBackend} from '../backends/postgres.js';
import {maskQuery} from './query-text.js';
import {hiddenQuery} from './sessions.js';

export type TopQuery = {
	readonly queryId: string | null;
	readonly database: string | null;
	readonly user: string | null;
	readonly calls: number;
	readonly totalMs: number;
	readonly meanMs: number;
	readonly rows: number;
	/** normalized text ($1 for constants), passwords masked; null when hidden from this role */
	readonly query: string | null;
};

export type TopQueries =
	| {readonly available: true; readonly queries: readonly TopQuery[]; readonly hidden: number}
	| {readonly available: false; readonly reason: 'not installed' | 'not loaded'; readonly hint: string};

type Row = {
	queryid: string | null;
	datname: string | null;
	usename: string | null;
	calls: number;
	total_ms: number;
	mean_ms: number;
	rows: number;
	query: string | null;
};

const preloadHint = "add pg_stat_statements to shared_preload_libraries in postgresql.conf and restart PostgreSQL";

/** The limit most statements by total execution time, or why there are none to read. */
export async function readTopQueries(postgres: PostgresBackend, options: {readonly limit?: number} = {}): Promise<TopQueries> {
	const [ext] = await postgres.query<{version: string; schema: string; database: string; preload: string | null}>(`
		select e.extversion as version, n.nspname as schema, current_database() as database,
			(select setting from pg_settings where name = 'shared_preload_libraries') as preload
		from (select 1) one left join pg_extension e on e.extname = 'pg_stat_statements' left join pg_namespace n on n.oid = e.extnamespace`);
	const preloaded = /(^|[\s,])"?pg_stat_statements"?($|[\s,])/.test(ext?.preload ?? '');
	if (!ext?.version) {
		const steps = preloaded ? '' : `${preloadHint}, then `;
		return {available: false, reason: 'not installed', hint: `pg_stat_statements is not installed in ${ext?.database ?? 'this database'}: ${steps}run CREATE EXTENSION pg_stat_statements`};
	}
	// 1.8 (PostgreSQL 13) renamed total_time and mean_time to *_exec_time
	const [major, minor] = ext.version.split('.').map(Number);
	const exec = major! > 1 || (major === 1 && minor! >= 8) ? '_exec_time' : '_time';
	try {
		const rows = await postgres.query<Row>(`
			select s.queryid::text as queryid, d.datname, r.rolname as usename, s.calls::float8 as calls,
				s.total${exec}::float8 as total_ms, s.mean${exec}::float8 as mean_ms, s.rows::float8 as rows, s.query
			from "${ext.schema.replaceAll('"', '""')}".pg_stat_statements s
			left join pg_database d on d.oid = s.dbid left join pg_roles r on r.oid = s.userid
			order by s.total${exec} desc limit $1`, [options.limit ?? 20]);
		const queries = rows.map(row => ({
			queryId: row.queryid,
			database: row.datname,
			user: row.usename,
			calls: row.calls,
			totalMs: row.total_ms,
			meanMs: row.mean_ms,
			rows: row.rows,
			query: row.query === null || row.query === hiddenQuery ? null : maskQuery(row.query),
		}));
		return {available: true, queries, hidden: queries.filter(q => q.query === null).length};
	} catch (error) {
		// 55000: "pg_stat_statements must be loaded via shared_preload_libraries"
		if ((error as {code?: string}).code !== '55000') throw error;
		return {available: false, reason: 'not loaded', hint: `pg_stat_statements is installed but not loaded: ${preloadHint}`};
	}
}
