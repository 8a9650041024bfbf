// The key browser's data: the SCAN iterator's keys (every master, never KEYS) kept, de-duplicated,
// with progress, able to stop and continue; details (type, TTL, memory) for the keys on screen
// only, in one pipeline per master; grouping by ':' prefix.
import type {RedisBackend} from '../backends/redis/client.js';
import {batch, type BatchCommand} from '../backends/redis/pipeline.js';
import {keyBytes} from '../backends/redis/key-bytes.js';
import {scanKeys, type KeyScan, type RedisType, type ScanOptions as KeyScanOptions} from '../backends/redis/scan.js';
import {runMutation, type MutationRequest} from '../mutations/registry.js';
import type {Config} from '../config/config.js';

export {isRedisType, redisTypes, type RedisType} from '../backends/redis/scan.js';

/** The scan options of the key browser (readAhead off by default: one SCAN per master at a time). */
export type ScanOptions = Omit<KeyScanOptions, 'signal'> & {
	/**
	 * Drop keys SCAN returns a second time (it may while the table is resized). Default on; off for
	 * a stream that does not keep the keys (`opsdeck keys`): a Set of every key seen was half the
	 * command's CPU and ~100 MB per million keys, growing with the keyspace.
	 */
	readonly dedupe?: boolean;
};

export type ScanProgress = {
	/** keys examined so far (estimated from the cursor when a filter is on; exact when done) */
	readonly scanned: number;
	/** DBSIZE summed over the masters at the start of the scan */
	readonly total: number;
	/** distinct keys found */
	readonly found: number;
	readonly done: boolean;
	readonly masters: number;
};

/**
 * How far a SCAN cursor is through the hash table, 0..1. Redis increments the cursor in reversed
 * bit order, so the reversed 64-bit cursor divided by 2^64 is the fraction of buckets visited.
 */
export function cursorFraction(cursor: string): number {
	let v = BigInt(cursor);
	let r = 0n;
	for (let i = 0; i < 64; i++) {
		r = (r << 1n) | (v & 1n);
		v >>= 1n;
	}
	return Number(r) / 2 ** 64;
}

type Started = {readonly scan: KeyScan; readonly dbsizes: readonly number[]};

/**
 * One scan of the keyspace for the key browser: the SCAN iterator (scan.ts) with the keys kept and
 * a progress against DBSIZE. `step()` takes one batch (one SCAN call on every unfinished master);
 * `run()` loops until done, stopped or a limit; a stopped scan continues where it was with run()
 * again. Keys are appended to `keys` (the same array, grown in place: the console reads it
 * without copying).
 */
export class KeyScanner {
	readonly keys: string[] = [];
	#starting: Promise<Started> | undefined;
	#started: Started | undefined;
	#stopped = false;
	readonly pattern: string;
	readonly type: RedisType | undefined;
	readonly count: number;
	readonly readAhead: boolean;
	readonly dedupe: boolean;

	constructor(readonly redis: RedisBackend, options: ScanOptions = {}) {
		this.pattern = options.pattern?.trim() ? options.pattern : '*';
		this.type = options.type;
		this.count = options.count ?? 1000;
		this.readAhead = options.readAhead ?? false;
		this.dedupe = options.dedupe ?? true;
	}

	get done(): boolean {
		return this.#started?.scan.done ?? false;
	}

	get stopped(): boolean {
		return this.#stopped;
	}

	/** DBSIZE of every master (for the progress), then the scan over those same masters. */
	#start(): Promise<Started> {
		if (this.#starting) return this.#starting;
		const starting = (async () => {
			const clients = this.redis.masters();
			const dbsizes = await Promise.all(clients.map(c => c.dbsize()));
			const scan = scanKeys({masters: () => clients}, {pattern: this.pattern, type: this.type, count: this.count, readAhead: this.readAhead, dedupe: this.dedupe});
			this.#started = {scan, dbsizes};
			return this.#started;
		})();
		this.#starting = starting;
		// a start that failed (Redis down) is tried again by the next step
		starting.catch(() => {
			if (this.#starting === starting) this.#starting = undefined;
		});
		return starting;
	}

	/** One SCAN call on every unfinished master (in parallel); returns the keys new in this step. */
	async step(): Promise<string[]> {
		const {scan} = await this.#start();
		const next = await scan.next();
		if (next.done) return [];
		for (const key of next.value) this.keys.push(key);
		return next.value;
	}

	/**
	 * Scans until done, stop(), the signal aborts, or `limit` keys were found. onBatch sees each
	 * step's new keys (for streaming output). Resolves with the progress.
	 */
	async run(options: {readonly signal?: AbortSignal; readonly limit?: number; readonly onBatch?: (keys: string[]) => void | Promise<void>} = {}): Promise<ScanProgress> {
		this.#stopped = false;
		await this.#start();
		while (!this.done && !this.#stopped && !options.signal?.aborted) {
			if (options.limit !== undefined && this.keys.length >= options.limit) break;
			const fresh = await this.step();
			if (fresh.length > 0 && options.onBatch) await options.onBatch(fresh);
		}
		return this.progress();
	}

	/** Pauses run() after the SCAN call in flight; run() again continues. */
	stop(): void {
		this.#stopped = true;
	}

	/** Clears a stop, for a caller driving step() itself. */
	resume(): void {
		this.#stopped = false;
	}

	progress(): ScanProgress {
		const masters = this.#started?.scan.cursors ?? [];
		const dbsizes = this.#started?.dbsizes ?? [];
		const total = dbsizes.reduce((sum, n) => sum + n, 0);
		const done = this.done;
		let scanned = 0;
		masters.forEach((m, i) => {
			const dbsize = dbsizes[i]!;
			if (m.done) scanned += dbsize;
			else if (m.cursor !== '0') scanned += Math.min(dbsize, Math.max(Math.round(cursorFraction(m.cursor) * dbsize), this.pattern === '*' && !this.type ? m.returned : 0));
		});
		// keys added during the scan can make the count pass the start's DBSIZE
		return {scanned: Math.max(0, scanned), total: Math.max(total, done ? scanned : 0), found: this.keys.length, done, masters: dbsizes.length};
	}
}

/** Every key matching the options, each once (bounded by limit). For small keyspaces. */
export async function scanAll(redis: RedisBackend, options: KeyScanOptions & {readonly limit?: number} = {}): Promise<string[]> {
	const keys: string[] = [];
	for await (const batch of scanKeys(redis, {dedupe: true, ...options})) {
		for (const key of batch) keys.push(key);
		if (options.limit !== undefined && keys.length >= options.limit) break;
	}
	return options.limit === undefined ? keys : keys.slice(0, options.limit);
}

export type KeyDetail = {
	readonly key: string;
	/** 'none' when the key is gone */
	readonly type: RedisType | 'none' | string;
	/** PTTL: -1 no expiry, -2 gone */
	readonly pttl: number;
	/** MEMORY USAGE in bytes (undefined when the server refuses it, e.g. an ACL) */
	readonly bytes: number | undefined;
};

/** TYPE, PTTL and MEMORY USAGE for these keys: one pipeline per master. */
export async function keyDetails(redis: RedisBackend, keys: readonly string[]): Promise<KeyDetail[]> {
	const commands: BatchCommand[] = [];
	for (const key of keys) {
		commands.push([key, 'type', key], [key, 'pttl', key], [key, 'memory', 'usage', key, 'SAMPLES', 5]);
	}
	const results = await batch(redis, commands);
	return keys.map((key, i) => {
		const [type, pttl, bytes] = [results[i * 3]!, results[i * 3 + 1]!, results[i * 3 + 2]!];
		if (type.error) throw type.error;
		return {
			key,
			type: String(type.value),
			pttl: pttl.error ? -1 : Number(pttl.value),
			bytes: bytes.error || bytes.value === null ? undefined : Number(bytes.value),
		};
	});
}

export type TreeNode = {
	/** the segment shown, e.g. "chat:" for a group or the whole key for a leaf */
	readonly name: string;
	/** the prefix to descend into (groups) or the key (leaves) */
	readonly path: string;
	readonly isGroup: boolean;
	/** keys under this group (1 for a leaf) */
	readonly count: number;
};

/**
 * The level of the ':' tree under `prefix`: groups (next segment + ':') with their key counts, and
 * the keys that end at this level. Groups first, each part sorted. O(keys) with no copies kept.
 */
export function treeLevel(keys: readonly string[], prefix = ''): TreeNode[] {
	const groups = new Map<string, number>();
	const leaves: string[] = [];
	for (const key of keys) {
		if (!key.startsWith(prefix)) continue;
		const at = key.indexOf(':', prefix.length);
		if (at === -1) leaves.push(key);
		else {
			const group = key.slice(0, at + 1);
			groups.set(group, (groups.get(group) ?? 0) + 1);
		}
	}
	const nodes: TreeNode[] = [...groups]
		.sort((a, b) => (a[0] < b[0] ? -1 : 1))
		.map(([group, count]) => ({name: group.slice(prefix.length), path: group, isGroup: true, count}));
	leaves.sort();
	for (const key of leaves) nodes.push({name: key.slice(prefix.length) || key, path: key, isGroup: false, count: 1});
	return nodes;
}

/** What deleting `key` is audited and confirmed as (the op and the Keys tab's dialog). */
export function deleteKeyRequest(redis: Pick<RedisBackend, 'maskedUrl'>, key: string): MutationRequest {
	return {action: 'delete-key', target: `${redis.maskedUrl} key ${JSON.stringify(key)}`};
}

/**
 * DEL one key, through the mutation guard (refused in read-only mode, audited). A key already gone
 * is audited as such (`ok` with the detail), not as if this deleted it.
 */
export async function deleteKey(config: Pick<Config, 'readOnly' | 'auditLog'>, redis: RedisBackend, key: string): Promise<boolean> {
	return runMutation(config, deleteKeyRequest(redis, key), async () => {
		// checked on the connection that deletes, right before (a failed SELECT leaves it on db 0);
		// the exact bytes of the key, for the slot and for DEL
		const bytes = keyBytes(key);
		await redis.confirmTarget(redis.masterFor(bytes));
		const removed = await redis.client.del(bytes);
		return removed > 0;
	}, removed => (removed ? undefined : 'the key was already gone: nothing deleted'));
}
