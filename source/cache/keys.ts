// The key browser's data: SCAN (never KEYS) over every master, de-duplicated, with progress, that
// can stop and continue; details (type, TTL, memory) for the keys on screen only, in one pipeline
// per master; grouping by ':' prefix.
import type {RedisBackend} from '../backends/redis/client.js';
import {batch, type BatchCommand} from '../backends/redis/pipeline.js';
import {keyBytes, keyFromBytes} from '../backends/redis/key-bytes.js';
import {runMutation, type MutationRequest} from '../mutations/registry.js';
import type {Config} from '../config/config.js';

export const redisTypes = ['string', 'hash', 'list', 'set', 'zset', 'stream'] as const;
export type RedisType = (typeof redisTypes)[number];

export function isRedisType(value: string): value is RedisType {
	return (redisTypes as readonly string[]).includes(value);
}

export type ScanOptions = {
	/** a glob (MATCH); '*' or empty = every key */
	readonly pattern?: string;
	/** SCAN ... TYPE t (Redis >= 6) */
	readonly type?: RedisType;
	/** COUNT per SCAN call (config.scanCount) */
	readonly count?: number;
	/**
	 * Send each master's next SCAN as soon as a reply arrives, before its keys are handled: Redis
	 * scans while we de-duplicate and print (`opsdeck keys` over 1M keys, bench P1). At most one
	 * call ahead; a stopped scan keeps that reply for when it continues.
	 */
	readonly readAhead?: boolean;
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

type MasterState = {
	readonly client: ReturnType<RedisBackend['masters']>[number];
	cursor: string;
	done: boolean;
	dbsize: number;
	returned: number;
	/** the SCAN sent ahead for the current cursor (readAhead) */
	pending: Promise<unknown> | undefined;
};

/**
 * One scan of the keyspace. `step()` runs one SCAN call on every unfinished master; `run()` loops
 * until done, stopped or a limit; a stopped scan continues where it was with run() again. Keys are
 * appended to `keys` (the same array, grown in place: the console reads it without copying).
 * SCAN's replies are read as bytes and each key named by keyFromBytes: a key that is not UTF-8
 * keeps its identity (issue 14, point 3) and goes back to Redis as the same bytes (keyBytes).
 */
export class KeyScanner {
	readonly keys: string[] = [];
	readonly #seen = new Set<string>();
	#masters: MasterState[] | undefined;
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
		return this.#masters !== undefined && this.#masters.every(m => m.done);
	}

	get stopped(): boolean {
		return this.#stopped;
	}

	async #init(): Promise<MasterState[]> {
		if (this.#masters) return this.#masters;
		const clients = this.redis.masters();
		const sizes = await Promise.all(clients.map(c => c.dbsize()));
		this.#masters = clients.map((client, i) => ({client, cursor: '0', done: false, dbsize: sizes[i]!, returned: 0, pending: undefined}));
		return this.#masters;
	}

	/** One SCAN call on every unfinished master (in parallel); returns the keys new in this step. */
	async step(): Promise<string[]> {
		const masters = await this.#init();
		const fresh: string[] = [];
		// a pattern built from a key (a chat's reactions) matches that key's exact bytes
		const args: (string | number | Buffer)[] = ['MATCH', keyBytes(this.pattern), 'COUNT', this.count];
		if (this.type) args.push('TYPE', this.type);
		await Promise.all(
			masters
				.filter(m => !m.done)
				.map(async m => {
					const call = m.pending ?? m.client.callBuffer('scan', m.cursor, ...args);
					m.pending = undefined;
					const [cursor, raw] = (await call) as [Buffer, Buffer[]];
					const next = cursor.toString();
					const batchKeys = raw.map(keyFromBytes);
					m.cursor = next;
					if (next === '0') m.done = true;
					else if (this.readAhead) {
						m.pending = m.client.callBuffer('scan', next, ...args);
						// a read-ahead nobody waits for (the scan was dropped) must not be an unhandled rejection
						m.pending.catch(() => undefined);
					}
					m.returned += batchKeys.length;
					if (!this.dedupe) {
						for (const key of batchKeys) this.keys.push(key);
						fresh.push(...batchKeys);
						return;
					}
					for (const key of batchKeys) {
						// SCAN may return a key twice (rehashing): keep the first.
						if (this.#seen.has(key)) continue;
						this.#seen.add(key);
						this.keys.push(key);
						fresh.push(key);
					}
				}),
		);
		return fresh;
	}

	/**
	 * Scans until done, stop(), the signal aborts, or `limit` keys were found. onBatch sees each
	 * step's new keys (for streaming output). Resolves with the progress.
	 */
	async run(options: {readonly signal?: AbortSignal; readonly limit?: number; readonly onBatch?: (keys: string[]) => void | Promise<void>} = {}): Promise<ScanProgress> {
		this.#stopped = false;
		await this.#init();
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
		const masters = this.#masters ?? [];
		const total = masters.reduce((sum, m) => sum + m.dbsize, 0);
		const done = this.done;
		let scanned = 0;
		for (const m of masters) {
			if (m.done) scanned += m.dbsize;
			else if (m.cursor !== '0') scanned += Math.min(m.dbsize, Math.max(Math.round(cursorFraction(m.cursor) * m.dbsize), this.pattern === '*' && !this.type ? m.returned : 0));
		}
		// keys added during the scan can make the count pass the start's DBSIZE
		return {scanned: Math.max(0, scanned), total: Math.max(total, done ? scanned : 0), found: this.keys.length, done, masters: masters.length};
	}
}

/** Every key matching the options (bounded by limit). For tests and small keyspaces. */
export async function scanAll(redis: RedisBackend, options: ScanOptions & {readonly limit?: number} = {}): Promise<string[]> {
	const scanner = new KeyScanner(redis, options);
	await scanner.run({limit: options.limit});
	return options.limit === undefined ? scanner.keys : scanner.keys.slice(0, options.limit);
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

/** DEL one key, through the mutation guard (refused in read-only mode, audited). */
export async function deleteKey(config: Pick<Config, 'readOnly' | 'auditLog'>, redis: RedisBackend, key: string): Promise<boolean> {
	return runMutation(config, deleteKeyRequest(redis, key), async () => {
		// checked on the connection that deletes, right before (a failed SELECT leaves it on db 0);
		// the exact bytes of the key, for the slot and for DEL
		const bytes = keyBytes(key);
		await redis.confirmTarget(redis.masterFor(bytes));
		const removed = await redis.client.del(bytes);
		return removed > 0;
	});
}
