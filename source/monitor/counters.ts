// Live per-key counters (Monitor tab, `opsdeck monitor`): a watch list of exact keys and glob
// patterns, resolved with SCAN. Each tick is ONE pipelined round trip per master for every watched
// key: the count command that fits the key's type and PTTL, plus the master's DBSIZE. When DBSIZE
// moved since the last SCAN a key came or went somewhere, so the patterns are resolved again in
// that same tick and a new matching key shows in the first tick after it was made (issue 16,
// point 4: it took up to 5 ticks); a quiet keyspace costs no SCAN, and a full pass still runs every
// few ticks for what DBSIZE cannot see (one key gone and another made between two ticks). A key's
// type is learnt once (TYPE when it is found) and learnt again only when its count fails
// (WRONGTYPE) or the key goes.
import type {Config} from '../config/config.js';
import {keyBytes} from '../backends/redis/key-bytes.js';
import {encodeCommandBytes, type RawReply} from '../backends/redis/pipe.js';
import type {Redis as RedisClient} from 'ioredis';
import {batch, groupByMaster} from '../backends/redis/pipeline.js';
import {patternFor} from '../cache/layout.js';
import {isPattern, resolveWatches, type RedisForCounters} from './watch-resolve.js';

export type {RedisForCounters} from './watch-resolve.js';
export {isPattern, unescapeGlob} from './watch-resolve.js';
export {isNewKey, newKeyMark, newKeyHoldMs} from './new-keys.js';

/** The count command that fits each Redis type. */
export const countCommands: Readonly<Record<string, string>> = {
	zset: 'zcard',
	list: 'llen',
	hash: 'hlen',
	set: 'scard',
	stream: 'xlen',
	string: 'strlen',
};

/**
 * One key in a tick. The monitor's own object, updated in place by the next tick (as its history
 * is): read a tick before asking for the next, or copy what must outlast it. With 1,000 keys, a
 * new object per key and tick was a third of what an idle Monitor allocated (bench P5c).
 */
export type KeyCounter = {
	readonly key: string;
	/** the watch (key or pattern) that brought this key in */
	readonly watch: string;
	/** Redis type, undefined while the key does not exist */
	readonly type: string | undefined;
	/** members / length; undefined when gone or the type has no count */
	readonly count: number | undefined;
	/** change since the previous tick (+count when it appeared, -count when it went) */
	readonly delta: number;
	/** smoothed change per second */
	readonly rate: number;
	/** PTTL: ms left, -1 no expiry, -2 (or undefined) gone */
	readonly ttlMs: number | undefined;
	readonly gone: boolean;
	/** it appeared in this tick (not on the first tick, which is the baseline) */
	readonly appeared: boolean;
	/** it went in this tick */
	readonly wentAway: boolean;
	/** when (tick time) it appeared, while it stays; undefined for a key there from the baseline (isNewKey) */
	readonly newSince: number | undefined;
	/** the last counts, oldest first (0 while gone); the monitor's own array, valid until the next tick */
	readonly history: readonly number[];
};

export type CounterTotals = {
	/** keys present */
	readonly keys: number;
	readonly count: number;
	readonly delta: number;
	readonly rate: number;
	readonly history: readonly number[];
};

export type CounterTick = {
	readonly at: number;
	/** ms since the previous tick (undefined on the first) */
	readonly elapsedMs: number | undefined;
	readonly first: boolean;
	readonly watches: readonly string[];
	readonly keys: readonly KeyCounter[];
	readonly totals: CounterTotals;
	/** patterns were (re-)resolved with SCAN in this tick (due, or DBSIZE moved) */
	readonly resolved: boolean;
	/** a pattern matched more than maxKeys keys: the rest are not watched */
	readonly truncated: boolean;
	/** count pipelines sent in this tick (one per master; one more when keys appeared or were found) */
	readonly roundTrips: number;
};

export type CounterOptions = {
	readonly watches: readonly string[];
	readonly scanCount?: number;
	/** re-run SCAN for the patterns every this many ticks (default 5), and whenever DBSIZE moved */
	readonly resolveEvery?: number;
	/** history length for sparklines (default 60) */
	readonly historyLength?: number;
	/** at most this many keys watched (default 10,000) */
	readonly maxKeys?: number;
	/** weight of the newest rate sample in the smoothed rate (default 0.4) */
	readonly smoothing?: number;
};

/** The watch list to use: the configured one, or every chat's messages key. */
export function defaultWatches(config: Pick<Config, 'watches' | 'collections'>): string[] {
	return config.watches.length > 0 ? [...config.watches] : [patternFor(config.collections.messages)];
}

type Tracked = {
	key: string;
	watch: string;
	type: string | undefined;
	count: number | undefined;
	ttlMs: number | undefined;
	rate: number;
	history: number[];
	/** ticks since it went (0 while present) */
	goneTicks: number;
	/** never counted yet */
	fresh: boolean;
	/** a baseline key: its first count is not a change */
	baseline: boolean;
	/** the previous tick's count and presence */
	prevCount: number | undefined;
	prevPresent: boolean;
	/** when it appeared (after the baseline), while present */
	newSince: number | undefined;
	/** the key's count (or TYPE) command and PTTL in RESP, for the command named */
	encoded?: {readonly name: string; readonly bytes: Buffer};
	/** what ticks report for it (updated in place: see KeyCounter) */
	view?: Mutable<KeyCounter>;
};

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

/** One master's count pipeline as last sent: kept while its keys and their commands stay the same. */
type Pipeline = {readonly rows: readonly Tracked[]; readonly names: readonly string[]; readonly withSize: boolean; readonly bytes: Buffer};

const dbsizeCommand = encodeCommandBytes(['dbsize']);

export class CounterMonitor {
	#watches: string[];
	readonly #opts: Required<Omit<CounterOptions, 'watches'>>;
	readonly #tracked = new Map<string, Tracked>();
	#sinceResolve = 0;
	#lastResolve = {at: 0, ms: 0};
	#needResolve = true;
	#lastAt: number | undefined;
	#truncated = false;
	#totalHistory: number[] = [];
	/** the keyspace size (DBSIZE over every master) as of the last SCAN; undefined: unknown */
	#sizeAtResolve: number | undefined;
	/** each master's last count pipeline, sent again as it is while nothing in it changed */
	readonly #pipelines = new Map<unknown, Pipeline>();
	/** the last tick's keys array, given again while the rows are the same (see KeyCounter) */
	#keys: {readonly order: Tracked[]; readonly keys: KeyCounter[]} | undefined;

	constructor(options: CounterOptions) {
		this.#watches = [...new Set(options.watches)];
		this.#opts = {
			scanCount: options.scanCount ?? 1000,
			resolveEvery: Math.max(1, options.resolveEvery ?? 5),
			historyLength: Math.max(2, options.historyLength ?? 60),
			maxKeys: Math.max(1, options.maxKeys ?? 10_000),
			smoothing: options.smoothing ?? 0.4,
		};
	}

	get watches(): readonly string[] {
		return this.#watches;
	}

	/** Replaces the watch list; keys of removed watches go, new patterns are resolved next tick. */
	setWatches(watches: readonly string[]): void {
		this.#watches = [...new Set(watches)];
		for (const [key, t] of this.#tracked) if (!this.#watches.includes(t.watch)) this.#tracked.delete(key);
		this.#sort();
		this.#needResolve = true;
	}

	/**
	 * One tick: resolve when due, then one pipeline per master for every watched key (and DBSIZE);
	 * when DBSIZE moved since the last SCAN, resolve now and count what it found.
	 */
	async tick(redis: RedisForCounters, signal?: AbortSignal): Promise<CounterTick> {
		const first = this.#lastAt === undefined;
		let resolved = this.#needResolve || this.#resolveDue();
		if (resolved) await this.#timedResolve(redis, signal, first);
		this.#sinceResolve++;
		signal?.throwIfAborted();

		const counted = await this.#count(redis, this.#order, true);
		let roundTrips = counted.pipelines;
		signal?.throwIfAborted();
		if (!resolved && counted.dbsize !== this.#sizeAtResolve && this.#watches.some(w => isPattern(w)) && this.#scanAllowed()) {
			const found = await this.#timedResolve(redis, signal, first);
			resolved = true;
			roundTrips += (await this.#count(redis, found, false)).pipelines;
			signal?.throwIfAborted();
		}
		// the size this SCAN saw (read after it, or just before it: a key made in between only costs one more pass)
		if (resolved) this.#sizeAtResolve = counted.dbsize;
		const tracked = this.#order;
		// Keys whose type was just learnt (they appeared): count them now rather than a tick late.
		const learnt = tracked.filter(t => t.type !== undefined && countCommands[t.type] && t.count === undefined && t.ttlMs !== undefined && t.ttlMs !== -2);
		if (learnt.length > 0) roundTrips += (await this.#count(redis, learnt, false)).pipelines;

		const at = Date.now();
		const elapsedMs = this.#lastAt === undefined ? undefined : Math.max(1, at - this.#lastAt);
		this.#lastAt = at;
		return this.#snapshot(tracked, at, elapsedMs, first, resolved, roundTrips);
	}

	async #timedResolve(redis: RedisForCounters, signal: AbortSignal | undefined, first: boolean): Promise<Tracked[]> {
		const started = Date.now();
		const added = await this.#resolve(redis, signal, first);
		this.#lastResolve = {at: Date.now(), ms: Date.now() - started};
		this.#sinceResolve = 0;
		return added;
	}

	/**
	 * Every resolveEvery ticks, but on a big keyspace (a SCAN pass that takes long) no more than a
	 * tenth of the time goes to SCAN: the next pass waits ten times as long as the last one took.
	 */
	#resolveDue(): boolean {
		return this.#sinceResolve >= this.#opts.resolveEvery && this.#scanAllowed();
	}

	#scanAllowed(): boolean {
		return Date.now() - this.#lastResolve.at >= 10 * this.#lastResolve.ms;
	}

	/** SCAN for the patterns; returns the keys it added (their types learnt). */
	async #resolve(redis: RedisForCounters, signal: AbortSignal | undefined, first: boolean): Promise<Tracked[]> {
		const newlyWatched = this.#needResolve;
		const found = await resolveWatches(redis, this.#watches, {scanCount: this.#opts.scanCount, maxKeys: this.#opts.maxKeys, signal});
		// only once it worked: a resolve that failed (Redis still connecting) is tried again next tick
		this.#needResolve = false;
		this.#truncated = found.truncated;
		const seen = new Set<string>();
		const added: Tracked[] = [];
		for (const {key, watch} of found.keys) {
			seen.add(key);
			if (this.#tracked.has(key)) continue;
			const t: Tracked = {key, watch, type: undefined, count: undefined, ttlMs: undefined, rate: 0, history: [], goneTicks: 0, fresh: true, baseline: first || newlyWatched, prevCount: undefined, prevPresent: false, newSince: undefined};
			this.#tracked.set(key, t);
			added.push(t);
		}
		// Keys that went some ticks ago and SCAN no longer finds leave the list (exact keys stay).
		for (const [key, t] of this.#tracked) {
			if (!seen.has(key) && t.goneTicks >= this.#opts.resolveEvery && found.patterns.has(t.watch)) this.#tracked.delete(key);
		}
		if (added.length > 0) await this.#learnTypes(redis, added);
		this.#sort();
		return added;
	}

	/** Rows in key order, sorted when the key set changes rather than every tick. */
	#order: Tracked[] = [];
	#sort(): void {
		this.#order = [...this.#tracked.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	}

	/** TYPE for keys just found: one pipeline per master. */
	async #learnTypes(redis: RedisForCounters, keys: Tracked[]): Promise<void> {
		const replies = await batch(redis, keys.map(t => [t.key, 'type', t.key]));
		keys.forEach((t, i) => {
			const {error, value: type} = replies[i]!;
			t.type = !error && typeof type === 'string' && type !== 'none' ? type : undefined;
		});
	}

	/**
	 * Count + PTTL (or TYPE + PTTL while the type is unknown) for every key; with `withSize`, DBSIZE
	 * of every master too (in the same pipeline where the master has keys). Returns the pipelines
	 * sent and the summed DBSIZE (undefined when a master refused it: ACL, renamed command).
	 */
	async #count(redis: RedisForCounters, keys: Tracked[], withSize: boolean): Promise<{pipelines: number; dbsize: number | undefined}> {
		// (one server: its one group is the list itself, not a copy of it every tick)
		const groups: [RedisClient, readonly Tracked[]][] = redis.isCluster ? [...groupByMaster(redis, keys, t => t.key)] : keys.length === 0 ? [] : [[redis.masters()[0]!, keys]];
		if (withSize) {
			const counted = new Set(groups.map(([client]) => client));
			for (const master of redis.masters()) if (!counted.has(master)) groups.push([master, []]);
			// a cluster's topology changed: the pipelines of masters gone go too
			for (const client of this.#pipelines.keys()) if (!groups.some(([c]) => c === client)) this.#pipelines.delete(client);
		}
		if (groups.length === 0) return {pipelines: 0, dbsize: undefined};
		const sizes = await Promise.all(
			groups.map(async ([client, group]) => {
				// the whole pipeline in one write on the master's bare connection (each key's two
				// commands encoded once, in the key's exact bytes; the whole payload kept while the
				// keys and their commands stay the same), one pass over the replies
				const {rows, names, bytes} = this.#pipeline(client, group, withSize);
				const replies = await redis.pipeFor(client).exec(bytes, 2 * rows.length + (withSize ? 1 : 0));
				// PTTL fails only when the server or the connection does: that is a failed tick, not a gone key
				for (let i = 1; i < 2 * rows.length; i += 2) if (replies[i] instanceof Error) throw replies[i];
				for (let i = 0; i < rows.length; i++) this.#apply(rows[i]!, names[i]!, replies[2 * i], replies[2 * i + 1]);
				const size = withSize ? replies[2 * rows.length] : undefined;
				return typeof size === 'number' ? size : undefined;
			}),
		);
		const dbsize = withSize && sizes.every(n => n !== undefined) ? sizes.reduce((a, b) => a + b, 0) : undefined;
		return {pipelines: groups.length, dbsize};
	}

	/** The pipeline for `group` on `client`: the last one when its keys and commands are the same. */
	#pipeline(client: unknown, group: readonly Tracked[], withSize: boolean): Pipeline {
		const last = this.#pipelines.get(client);
		if (last && last.withSize === withSize && last.rows.length === group.length) {
			let same = true;
			for (let i = 0; i < group.length && same; i++) {
				const t = group[i]!;
				same = t === last.rows[i] && t.encoded?.name === last.names[i] && last.names[i] === ((t.type && countCommands[t.type]) || 'type');
			}
			if (same) return last;
		}
		const rows: Tracked[] = [];
		const names: string[] = [];
		const parts: Buffer[] = [];
		for (const t of group) {
			const name = (t.type && countCommands[t.type]) || 'type';
			if (t.encoded?.name !== name) {
				const key = keyBytes(t.key);
				t.encoded = {name, bytes: Buffer.concat([encodeCommandBytes([name, key]), encodeCommandBytes(['pttl', key])])};
			}
			parts.push(t.encoded.bytes);
			rows.push(t);
			names.push(name);
		}
		if (withSize) parts.push(dbsizeCommand);
		const pipeline = {rows, names, withSize, bytes: Buffer.concat(parts)};
		// the main tick's pipeline is the one worth keeping (a one-off for keys just found is not)
		if (withSize) this.#pipelines.set(client, pipeline);
		return pipeline;
	}

	/** A key's count (or TYPE) reply and its PTTL reply; undefined: no reply (the tick failed part-way). */
	#apply(t: Tracked, command: string, first: RawReply | undefined, pttl: RawReply | undefined): void {
		const ttl = typeof pttl === 'number' ? pttl : undefined;
		if (ttl === -2) {
			// gone: learn the type again if it comes back
			t.type = undefined;
			t.count = undefined;
			t.ttlMs = -2;
			return;
		}
		t.ttlMs = ttl;
		if (first === undefined || first instanceof Error) {
			// WRONGTYPE (the key was replaced by another type) or a lost reply: ask TYPE next time
			t.type = undefined;
			t.count = undefined;
			return;
		}
		if (command === 'type') {
			const type = String(first);
			t.type = type === 'none' ? undefined : type;
			t.count = undefined;
			return;
		}
		t.count = Number(first);
	}

	#snapshot(tracked: Tracked[], at: number, elapsedMs: number | undefined, first: boolean, resolved: boolean, roundTrips: number): CounterTick {
		const {historyLength, smoothing} = this.#opts;
		// the same rows as last tick: the same array (its objects are updated below)
		const reuse = this.#keys?.order === tracked && this.#keys.keys.length === tracked.length;
		const keys: KeyCounter[] = reuse ? this.#keys!.keys : new Array<KeyCounter>(tracked.length);
		let liveKeys = 0;
		let count = 0;
		let totalDelta = 0;
		let totalRate = 0;
		for (let i = 0; i < tracked.length; i++) {
			const t = tracked[i]!;
			const present = t.ttlMs !== undefined && t.ttlMs !== -2;
			const wasPresent = t.prevPresent;
			let delta = 0;
			let appeared = false;
			let wentAway = false;
			if (present && (wasPresent || (t.fresh && t.baseline))) {
				delta = t.prevCount !== undefined && t.count !== undefined ? t.count - t.prevCount : 0;
			} else if (present) {
				appeared = !first;
				delta = t.count ?? 0;
			} else if (wasPresent) {
				wentAway = true;
				delta = -(t.prevCount ?? 0);
			}
			t.fresh = false;
			t.goneTicks = present ? 0 : t.goneTicks + 1;
			const sample = elapsedMs === undefined ? 0 : (delta * 1000) / elapsedMs;
			t.rate = elapsedMs === undefined ? 0 : smoothing * sample + (1 - smoothing) * t.rate;
			if (Math.abs(t.rate) < 0.01) t.rate = 0;
			pushHistory(t.history, present ? (t.count ?? 0) : 0, historyLength);
			t.prevCount = t.count;
			t.prevPresent = present;
			t.newSince = appeared ? at : present ? t.newSince : undefined;
			const view = (t.view ??= {key: t.key, watch: t.watch, type: undefined, count: undefined, delta: 0, rate: 0, ttlMs: undefined, gone: false, appeared: false, wentAway: false, newSince: undefined, history: t.history});
			view.type = t.type;
			view.count = present ? t.count : undefined;
			view.delta = delta;
			view.rate = t.rate;
			view.ttlMs = t.ttlMs;
			view.gone = !present;
			view.appeared = appeared;
			view.wentAway = wentAway;
			view.newSince = t.newSince;
			keys[i] = view;
			if (present) {
				liveKeys++;
				count += t.count ?? 0;
			}
			totalDelta += delta;
			totalRate += t.rate;
		}
		this.#keys = {order: tracked, keys};
		pushHistory(this.#totalHistory, count, historyLength);
		const totals: CounterTotals = {
			keys: liveKeys,
			count,
			delta: totalDelta,
			rate: totalRate,
			history: [...this.#totalHistory],
		};
		return {at, elapsedMs, first, watches: [...this.#watches], keys, totals, resolved, truncated: this.#truncated, roundTrips};
	}
}

/** Appends to a history of at most `length` values, in place (no array made per key and tick). */
function pushHistory(history: number[], value: number, length: number): void {
	if (history.length < length) {
		history.push(value);
		return;
	}
	if (history.length > length) history.splice(0, history.length - length);
	// a plain loop: copyWithin is a generic builtin, several times slower on a 60-number array
	const last = history.length - 1;
	for (let i = 0; i < last; i++) history[i] = history[i + 1]!;
	history[last] = value;
}
