// The tables of the connected database, largest first: size (heap + indexes + toast), live and dead
// tuples and the dead ratio, the last (auto)vacuum and (auto)analyze, sequential against index
// scans. The size functions stat every file of every table: costly on a big database, so the tab
// keeps the result and refreshes it on `r` or every 60 s, not on every poll.
// They also take an ACCESS SHARE lock on each table: behind an ALTER TABLE or VACUUM FULL they
// would wait, and hold up whatever queues behind them. lock_timeout bounds that wait; when it runs
// out, the sizes come from pg_class's page counts (no lock; as of the last vacuum or analyze) and
// the result says it is estimated.
import type {PostgresBackend} from '../backends/postgres.js';

export type TableStats = {
	readonly schema: string;
	readonly name: string;
	/** heap + indexes + toast */
	readonly totalBytes: number;
	readonly heapBytes: number;
	readonly indexBytes: number;
	readonly toastBytes: number;
	readonly liveTuples: number | null;
	readonly deadTuples: number | null;
	/** dead / (live + dead); null when both are 0 or unknown */
	readonly deadRatio: number | null;
	readonly lastVacuum: Date | null;
	readonly lastAutovacuum: Date | null;
	readonly lastAnalyze: Date | null;
	readonly lastAutoanalyze: Date | null;
	readonly seqScans: number | null;
	readonly idxScans: number | null;
};

export type TablesResult = {
	readonly database: string;
	readonly tables: readonly TableStats[];
	/** tables in the database (tables holds the largest `limit` of them) */
	readonly total: number;
	/** sizes from page counts: a table was locked and exact sizes would have waited */
	readonly estimated: boolean;
	readonly readAt: Date;
};

// heap: the table's own forks (main, free space map, visibility map), so heap + indexes + toast = total
const exactSizes = `
	pg_total_relation_size(c.oid)::float8 as total,
	(pg_table_size(c.oid) - coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0))::float8 as heap,
	pg_indexes_size(c.oid)::float8 as indexes, coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)::float8 as toast`;

// no lock taken: pg_class's counts, in pages of block_size
const estimatedSizes = `
	(c.relpages + coalesce(t.relpages, 0) + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), 0))::float8 * current_setting('block_size')::int as total,
	c.relpages::float8 * current_setting('block_size')::int as heap,
	coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), 0)::float8 * current_setting('block_size')::int as indexes,
	coalesce(t.relpages, 0)::float8 * current_setting('block_size')::int as toast`;

const tablesSql = (sizes: string) => `
with t as (
	select c.oid, n.nspname, c.relname, ${sizes}
	from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_class t on t.oid = c.reltoastrelid
	where c.relkind in ('r', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'
)
select t.nspname as schema, t.relname as name, t.total, t.heap, t.indexes, t.toast,
	s.n_live_tup::float8 as live, s.n_dead_tup::float8 as dead,
	s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
	s.seq_scan::float8 as seq_scans, s.idx_scan::float8 as idx_scans,
	count(*) over ()::int as table_count, current_database() as database
from t left join pg_stat_all_tables s on s.relid = t.oid
order by t.total desc, t.nspname, t.relname
limit $1`;

type Row = {
	schema: string;
	name: string;
	total: number;
	heap: number;
	indexes: number;
	toast: number;
	live: number | null;
	dead: number | null;
	last_vacuum: Date | null;
	last_autovacuum: Date | null;
	last_analyze: Date | null;
	last_autoanalyze: Date | null;
	seq_scans: number | null;
	idx_scans: number | null;
	table_count: number;
	database: string;
};

function toTable(row: Row): TableStats {
	const counted = (row.live ?? 0) + (row.dead ?? 0);
	return {
		schema: row.schema,
		name: row.name,
		totalBytes: row.total,
		heapBytes: row.heap,
		indexBytes: row.indexes,
		toastBytes: row.toast,
		liveTuples: row.live,
		deadTuples: row.dead,
		deadRatio: counted > 0 ? (row.dead ?? 0) / counted : null,
		lastVacuum: row.last_vacuum,
		lastAutovacuum: row.last_autovacuum,
		lastAnalyze: row.last_analyze,
		lastAutoanalyze: row.last_autoanalyze,
		seqScans: row.seq_scans,
		idxScans: row.idx_scans,
	};
}

export type TablesOptions = {
	/** the largest this many (default 100) */
	readonly limit?: number;
	/** how long to wait for a locked table before estimating (default 1000 ms) */
	readonly lockTimeoutMs?: number;
};

async function read(postgres: PostgresBackend, sizes: string, limit: number, lockTimeoutMs: number): Promise<Row[]> {
	return postgres.transaction(async client => {
		await client.query(`set local lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
		return (await client.query<Row>(tablesSql(sizes), [limit])).rows;
	}, {timeoutMs: 15_000});
}

/** The largest tables of the connected database with their vacuum and scan statistics. */
export async function readTables(postgres: PostgresBackend, options: TablesOptions = {}): Promise<TablesResult> {
	const limit = options.limit ?? 100;
	const lockTimeoutMs = options.lockTimeoutMs ?? 1000;
	let estimated = false;
	let rows: Row[];
	try {
		rows = await read(postgres, exactSizes, limit, lockTimeoutMs);
	} catch (error) {
		// 55P03 lock_not_available: a table is locked; estimate rather than wait in its queue
		if ((error as {code?: string}).code !== '55P03') throw error;
		estimated = true;
		rows = await read(postgres, estimatedSizes, limit, lockTimeoutMs);
	}
	const database = rows[0]?.database ?? (await postgres.query<{database: string}>('select current_database() as database'))[0]!.database;
	return {database, tables: rows.map(toTable), total: rows[0]?.table_count ?? 0, estimated, readAt: new Date()};
}
