// The SCAN loop (never KEYS) of the console, the memory scan and the cache: an async iterator over
// every master of a cluster (or the one server), each master walked with its own cursor, in parallel. One batch = one round of SCAN
// calls (one per unfinished master), so a consumer sees progress after every round, even a round
// in which MATCH/TYPE kept nothing (the batch is then empty). Replies are read as bytes and each
// key named by keyFromBytes: a key that is not UTF-8 keeps its identity and goes back to Redis as
// the same bytes (keyBytes). `opsdeck keys`, which only prints the keys, scans on a bare connection
// instead (scan-stream.ts).
import type {Redis as RedisClient} from 'ioredis';
import {keyBytes, keyFromBytes} from './key-bytes.js';

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
	/** COUNT per SCAN call (config.scanCount); default 1000 */
	readonly count?: number;
	/**
	 * Send each master's next SCAN as soon as its reply arrives, before the batch is handled: Redis
	 * scans while the consumer de-duplicates and prints (`opsdeck keys` over 1M keys, bench P1). At
	 * most one call ahead per master; a paused iteration keeps that reply for when it goes on, and
	 * return() (a `break` out of for-await) drops it. Default on.
	 */
	readonly readAhead?: boolean;
	/**
	 * Drop keys SCAN returns a second time (it may while the table is resized). Default off: a Set of
	 * every key seen is ~100 MB per million keys; ask for it when the keys are kept or counted.
	 */
	readonly dedupe?: boolean;
	/** aborting ends the iteration: the next next() rejects with the signal's reason */
	readonly signal?: AbortSignal;
};

/** Where a scan runs (RedisBackend fits). */
export type ScanSource = {masters(): RedisClient[]};

/** How far one master is. */
export type MasterCursor = {
	readonly cursor: string;
	/** its cursor came back to 0 */
	readonly done: boolean;
	/** keys its SCAN replies held so far (before de-duplication) */
	readonly returned: number;
};

type MasterState = {
	readonly client: RedisClient;
	cursor: string;
	done: boolean;
	returned: number;
	/** the SCAN sent ahead for the current cursor (readAhead) */
	pending: Promise<unknown> | undefined;
};

const finished: IteratorResult<string[], undefined> = {done: true, value: undefined};

/**
 * One scan of the keyspace; see scanKeys. Calls to next() run one after another (a second call
 * waits for the first), so a driver that pauses and resumes cannot send two rounds at once. An
 * error (a failed SCAN, an abort) rejects that next() and ends the iteration.
 */
export class KeyScan implements AsyncIterableIterator<string[], undefined> {
	readonly pattern: string;
	readonly type: RedisType | undefined;
	readonly count: number;
	readonly readAhead: boolean;
	readonly #args: (string | number | Buffer)[];
	readonly #seen: Set<string> | undefined;
	readonly #signal: AbortSignal | undefined;
	#masters: MasterState[] | undefined;
	#closed = false;
	#queue: Promise<unknown> = Promise.resolve();

	constructor(readonly source: ScanSource, options: ScanOptions = {}) {
		this.pattern = options.pattern?.trim() ? options.pattern : '*';
		this.type = options.type;
		this.count = options.count ?? 1000;
		this.readAhead = options.readAhead ?? true;
		this.#seen = options.dedupe ? new Set() : undefined;
		this.#signal = options.signal;
		// a pattern built from a key (a chat's reactions) matches that key's exact bytes
		this.#args = ['MATCH', keyBytes(this.pattern), 'COUNT', this.count];
		if (this.type) this.#args.push('TYPE', this.type);
	}

	/** Every master's cursor came back to 0 (false before the first round). */
	get done(): boolean {
		return this.#masters !== undefined && this.#masters.every(m => m.done);
	}

	/** Each master's progress, in the order of source.masters() (empty before the first round). */
	get cursors(): MasterCursor[] {
		return (this.#masters ?? []).map(({cursor, done, returned}) => ({cursor, done, returned}));
	}

	[Symbol.asyncIterator](): this {
		return this;
	}

	next(): Promise<IteratorResult<string[], undefined>> {
		const round = this.#queue.then(() => this.#round());
		this.#queue = round.catch(() => undefined);
		return round;
	}

	/** Ends the iteration; a SCAN sent ahead is left to finish unread. */
	async return(): Promise<IteratorResult<string[], undefined>> {
		this.#close();
		return finished;
	}

	#close(): void {
		this.#closed = true;
		// replies sent ahead are not read now (each has a rejection handler: see #scanRound)
		for (const m of this.#masters ?? []) m.pending = undefined;
	}

	#send(client: RedisClient, cursor: string): Promise<unknown> {
		return client.callBuffer('scan', cursor, ...this.#args);
	}

	async #round(): Promise<IteratorResult<string[], undefined>> {
		if (this.#closed) return finished;
		try {
			this.#signal?.throwIfAborted();
			this.#masters ??= this.source.masters().map(client => ({client, cursor: '0', done: false, returned: 0, pending: undefined}));
			if (this.done) {
				this.#close();
				return finished;
			}
			return {done: false, value: await this.#scanRound(this.#masters)};
		} catch (error) {
			this.#close();
			throw error;
		}
	}

	/** One SCAN call on every unfinished master, in parallel; the keys in the order replies came. */
	async #scanRound(masters: MasterState[]): Promise<string[]> {
		const batch: string[] = [];
		const seen = this.#seen;
		await Promise.all(
			masters
				.filter(m => !m.done)
				.map(async m => {
					const call = m.pending ?? this.#send(m.client, m.cursor);
					m.pending = undefined;
					const [cursor, raw] = (await call) as [Buffer, Buffer[]];
					const next = cursor.toString();
					m.cursor = next;
					if (next === '0') m.done = true;
					else if (this.readAhead && !this.#closed) {
						m.pending = this.#send(m.client, next);
						// a read-ahead nobody waits for (the scan was dropped) must not be an unhandled rejection
						m.pending.catch(() => undefined);
					}
					m.returned += raw.length;
					for (const bytes of raw) {
						const key = keyFromBytes(bytes);
						if (seen) {
							// SCAN may return a key twice (rehashing): keep the first
							if (seen.has(key)) continue;
							seen.add(key);
						}
						batch.push(key);
					}
				}),
		);
		return batch;
	}
}

/**
 * Every key matching the options, in batches:
 * `for await (const keys of scanKeys(redis, {pattern: 'chat:*', count: 1000})) ...`.
 * A `break` ends it (return() drops the SCAN sent ahead); a failed SCAN rejects, as does an abort.
 */
export function scanKeys(source: ScanSource, options: ScanOptions = {}): KeyScan {
	return new KeyScan(source, options);
}
