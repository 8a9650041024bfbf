// One server's INFO, read into the figures the Redis view shows: memory, evictions, hits, commands,
// clients, replication (each replica's lag) and persistence. Counters here are totals since the
// server started; server-stats.ts turns two samples into rates.
import {parseInfo} from '../health/redis.js';
import {eachServer, type ServerSource} from './servers.js';

export type ReplicaInfo = {
	/** "10.0.0.2:6379" as the master sees it */
	readonly address: string;
	/** online, wait_bgsave, send_bulk, ... */
	readonly state: string;
	/** bytes of the replication stream the replica has not acknowledged yet */
	readonly lagBytes: number | null;
	/** seconds since the replica's last acknowledgement */
	readonly lagSeconds: number | null;
};

export type ServerInfo = {
	readonly server: string;
	/** Date.now() when the reply came */
	readonly at: number;
	readonly version: string | null;
	readonly uptimeSeconds: number | null;
	/** master or replica (INFO says "slave") */
	readonly role: string;
	readonly usedMemoryBytes: number | null;
	readonly peakMemoryBytes: number | null;
	/** null when maxmemory is 0 (no limit) */
	readonly maxMemoryBytes: number | null;
	readonly maxMemoryPolicy: string | null;
	readonly fragmentationRatio: number | null;
	readonly evictedKeys: number | null;
	readonly expiredKeys: number | null;
	readonly keyspaceHits: number | null;
	readonly keyspaceMisses: number | null;
	readonly commandsProcessed: number | null;
	/** the server's own estimate over its last few seconds */
	readonly instantaneousOpsPerSec: number | null;
	readonly connectedClients: number | null;
	readonly blockedClients: number | null;
	readonly replicas: readonly ReplicaInfo[];
	/** for a replica: its master and the state of the link */
	readonly master: {readonly address: string; readonly linkStatus: string; readonly lastIoSecondsAgo: number | null} | null;
	readonly persistence: {
		/** unix seconds of the last successful RDB save */
		readonly lastSaveTime: number | null;
		readonly lastBgsaveStatus: string | null;
		readonly changesSinceLastSave: number | null;
		readonly bgsaveInProgress: boolean;
		readonly aofEnabled: boolean;
		readonly aofLastWriteStatus: string | null;
		readonly aofLastRewriteStatus: string | null;
		readonly aofRewriteInProgress: boolean;
	};
};

const num = (value: string | undefined): number | null => {
	if (value === undefined || value === '') return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
};

/** "ip=10.0.0.2,port=6380,state=online,offset=123,lag=0" → its fields */
function fields(value: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const part of value.split(',')) {
		const at = part.indexOf('=');
		if (at > 0) out[part.slice(0, at)] = part.slice(at + 1);
	}
	return out;
}

/** The figures of one server's INFO text (pure: tested on its own). */
export function serverInfoFrom(server: string, text: string, at = Date.now()): ServerInfo {
	const i = parseInfo(text);
	const masterOffset = num(i.master_repl_offset);
	const replicas: ReplicaInfo[] = [];
	for (let n = 0; i[`slave${n}`] !== undefined; n++) {
		const r = fields(i[`slave${n}`]!);
		const offset = num(r.offset);
		replicas.push({
			address: `${r.ip ?? '?'}:${r.port ?? '?'}`,
			state: r.state ?? 'unknown',
			lagBytes: masterOffset !== null && offset !== null ? Math.max(0, masterOffset - offset) : null,
			lagSeconds: num(r.lag),
		});
	}
	const role = i.role === 'slave' ? 'replica' : (i.role ?? 'unknown');
	const max = num(i.maxmemory);
	return {
		server,
		at,
		version: i.redis_version ?? null,
		uptimeSeconds: num(i.uptime_in_seconds),
		role,
		usedMemoryBytes: num(i.used_memory),
		peakMemoryBytes: num(i.used_memory_peak),
		maxMemoryBytes: max && max > 0 ? max : null,
		maxMemoryPolicy: i.maxmemory_policy ?? null,
		fragmentationRatio: num(i.mem_fragmentation_ratio),
		evictedKeys: num(i.evicted_keys),
		expiredKeys: num(i.expired_keys),
		keyspaceHits: num(i.keyspace_hits),
		keyspaceMisses: num(i.keyspace_misses),
		commandsProcessed: num(i.total_commands_processed),
		instantaneousOpsPerSec: num(i.instantaneous_ops_per_sec),
		connectedClients: num(i.connected_clients),
		blockedClients: num(i.blocked_clients),
		replicas,
		master: role === 'replica' ? {address: `${i.master_host ?? '?'}:${i.master_port ?? '?'}`, linkStatus: i.master_link_status ?? 'unknown', lastIoSecondsAgo: num(i.master_last_io_seconds_ago)} : null,
		persistence: {
			lastSaveTime: num(i.rdb_last_save_time),
			lastBgsaveStatus: i.rdb_last_bgsave_status ?? null,
			changesSinceLastSave: num(i.rdb_changes_since_last_save),
			bgsaveInProgress: i.rdb_bgsave_in_progress === '1',
			aofEnabled: i.aof_enabled === '1',
			aofLastWriteStatus: i.aof_last_write_status ?? null,
			aofLastRewriteStatus: i.aof_last_bgrewrite_status ?? null,
			aofRewriteInProgress: i.aof_rewrite_in_progress === '1',
		},
	};
}

/** INFO of every server (every master of a Cluster), in parallel. */
export function readServerInfo(redis: ServerSource): Promise<ServerInfo[]> {
	// the default sections hold all of the above (server, clients, memory, persistence, stats, replication)
	return eachServer(redis, async ({name, client}) => serverInfoFrom(name, await client.info()));
}
