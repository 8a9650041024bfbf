// The PostgreSQL card: a ping (latency, state, restart detection), then one query for version,
// uptime, connections (a role without pg_read_all_stats sees other roles' sessions as hidden rows:
// counted too), database size, cache hit ratio and the oldest idle-in-transaction session. A
// failing stats query (permissions on a managed server) leaves those values empty but the server up.
import type {PostgresBackend} from '../backends/index.js';
import {ConnectionLostError, connectionLost} from '../backends/postgres.js';
import {withTimeout} from '../backends/status.js';
import {errorMessage} from '../text/mask.js';
import {roundMs, type ProbeState} from './wait.js';

export type PostgresHealth = {
	readonly url: string;
	readonly state: ProbeState;
	readonly latencyMs: number | null;
	readonly version: string | null;
	readonly uptimeSeconds: number | null;
	readonly connections: number | null;
	readonly maxConnections: number | null;
	readonly databaseSizeBytes: number | null;
	/** blks_hit / (blks_hit + blks_read) of this database */
	readonly cacheHitRatio: number | null;
	/** this database's session idle in transaction the longest (since it went idle), opsdeck's own aside; null: none */
	readonly idleInTransaction: {readonly pid: number; readonly ms: number} | null;
	readonly lastError: string | null;
	readonly reconnects: number;
};

type StatsRow = {
	version: string;
	uptime: number | null;
	connections: string;
	max_connections: number;
	size: string | null;
	hit_ratio: number | null;
	idle_xact: {pid: number; ms: number} | null;
};

const statsSql = `
select current_setting('server_version') as version,
       extract(epoch from now() - pg_postmaster_start_time())::float8 as uptime,
       (select count(*) from pg_stat_activity where backend_type = 'client backend' or (query = '<insufficient privilege>' and datname is not null)) as connections,
       current_setting('max_connections')::int as max_connections,
       pg_database_size(current_database()) as size,
       (select blks_hit::float8 / nullif(blks_hit + blks_read, 0) from pg_stat_database where datname = current_database()) as hit_ratio,
       (select json_build_object('pid', pid, 'ms', round(extract(epoch from now() - state_change)::numeric * 1000)) from pg_stat_activity
        where datname = current_database() and state in ('idle in transaction', 'idle in transaction (aborted)')
          and pid <> pg_backend_pid() and application_name is distinct from 'opsdeck'
        order by state_change limit 1) as idle_xact`;

/** The card names the backend itself: "connection lost", not "postgres down: connection lost". */
function reason(error: unknown): string {
	return error instanceof ConnectionLostError ? errorMessage(error.reason) : errorMessage(error);
}

export async function probePostgres(postgres: PostgresBackend, timeoutMs: number): Promise<PostgresHealth> {
	const base = {url: postgres.maskedUrl};
	try {
		const latencyMs = await withTimeout(postgres.ping(), timeoutMs, `no answer within ${timeoutMs} ms`);
		let stats: StatsRow | undefined;
		let statsError: string | null = null;
		try {
			stats = (await postgres.query<StatsRow>(statsSql, [], {timeoutMs}))[0];
		} catch (error) {
			// the connection went away between the ping and the stats: the server decides, with one more
			// ping (a failure → down with its reason; a single terminated backend leaves it up)
			if (connectionLost(error)) await withTimeout(postgres.ping(), timeoutMs, `no answer within ${timeoutMs} ms`);
			statsError = reason(error);
		}
		return {
			...base,
			state: 'up',
			latencyMs: roundMs(latencyMs),
			version: stats?.version ?? null,
			uptimeSeconds: stats?.uptime ?? null,
			connections: stats ? Number(stats.connections) : null,
			maxConnections: stats?.max_connections ?? null,
			databaseSizeBytes: stats?.size == null ? null : Number(stats.size),
			cacheHitRatio: stats?.hit_ratio ?? null,
			idleInTransaction: stats?.idle_xact ?? null,
			lastError: statsError ?? postgres.status.lastError ?? null,
			reconnects: postgres.status.reconnects,
		};
	} catch (error) {
		return {
			...base,
			state: 'down',
			latencyMs: null,
			version: null,
			uptimeSeconds: null,
			connections: null,
			maxConnections: null,
			databaseSizeBytes: null,
			cacheHitRatio: null,
			idleInTransaction: null,
			lastError: reason(error),
			reconnects: postgres.status.reconnects,
		};
	}
}
