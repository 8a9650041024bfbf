// Flushing the Redis cache: FLUSHDB ASYNC of the configured db only (every master of a cluster),
// or FLUSHALL ASYNC (command line only). Always through runMutation: read-only refuses, the audit
// log records it. The caller has the operator confirm first, naming flushTarget()'s text.
// Each master's connection is checked to be on the configured db right before it counts and right
// before it flushes: a failed SELECT leaves a connection on db 0 (issue 13: db 0 was emptied).
import type {Backends} from '../backends/index.js';
import type {Config} from '../config/config.js';
import {plural} from '../text/format.js';
import {runMutation} from '../mutations/registry.js';

export type FlushTarget = {
	/** masked */
	readonly url: string;
	readonly db: number;
	/** DBSIZE of the configured db (summed over masters) */
	readonly keys: number;
	readonly cluster: boolean;
	readonly all: boolean;
	/** "FLUSHDB on redis://127.0.0.1:6379/0: 3,450 keys" */
	readonly description: string;
};

export type FlushResult = FlushTarget & {readonly ms: number};

/** What a flush would do, with the key count, for the confirmation. Throws when Redis is down. */
export async function flushTarget(backends: Pick<Backends, 'redis'>, options: {readonly all?: boolean} = {}): Promise<FlushTarget> {
	const {redis} = backends;
	const all = options.all ?? false;
	const sizes = await Promise.all(
		redis.masters().map(async master => {
			await redis.confirmTarget(master);
			return master.dbsize();
		}),
	);
	const keys = sizes.reduce((a, b) => a + b, 0);
	const where = redis.isCluster ? `${redis.maskedUrl} (cluster, ${sizes.length} masters)` : redis.maskedUrl;
	const description = all
		? `FLUSHALL on ${where}: every db, ${plural(keys, 'key')} in db ${redis.db} alone`
		: `FLUSHDB on ${where}: ${plural(keys, 'key')} in db ${redis.db}`;
	return {url: redis.maskedUrl, db: redis.db, keys, cluster: redis.isCluster, all, description};
}

/** Runs the flush through the mutation guard (ReadOnlyError in read-only mode). */
export async function flushRedis(
	config: Pick<Config, 'readOnly' | 'auditLog'>,
	backends: Pick<Backends, 'redis'>,
	target: Pick<FlushTarget, 'all' | 'description'>,
): Promise<{readonly ms: number}> {
	const started = performance.now();
	await runMutation(config, {action: 'flush', target: target.description}, async () => {
		// masters() re-read here: the topology may have changed while the operator typed
		const {redis} = backends;
		await Promise.all(
			redis.masters().map(async master => {
				await redis.confirmTarget(master);
				// sent in the continuation of the check: no reconnect can come between them
				return target.all ? master.flushall('ASYNC') : master.flushdb('ASYNC');
			}),
		);
	});
	return {ms: Math.round(performance.now() - started)};
}
