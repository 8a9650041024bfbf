// Memory by key prefix and the biggest keys, over the whole keyspace (every master of a Cluster):
// the one SCAN iterator (through KeyScanner, for its progress against DBSIZE and its stop/continue),
// and per batch two pipelines through the one pipeline helper: MEMORY USAGE (SAMPLES 0 by default:
// every element counted, exact on small values) with TYPE, then the element count that fits each
// type (the count commands of the Monitor: STRLEN, LLEN, HLEN, SCARD, ZCARD, XLEN). Nothing per key
// is kept beyond the prefix tree and the top lists.
import type {RedisBackend} from '../backends/redis/client.js';
import {KeyScanner, type ScanProgress} from '../cache/keys.js';
import {countCommands} from '../monitor/counters.js';
import {countOf, exchange, typeOnly, usageAndType} from './memory-pipe.js';
import {PrefixTree, TopList, type PrefixView} from './prefix-tree.js';

export type MemoryOptions = {
	/** a glob (SCAN MATCH); default every key */
	readonly pattern?: string;
	/** MEMORY USAGE SAMPLES: 0 (the default) counts every element; N samples N (faster on big keys, estimated) */
	readonly samples?: number;
	/** SCAN COUNT (default 1000) */
	readonly count?: number;
	/** prefix levels summed (default 3) */
	readonly depth?: number;
	/** how many biggest keys to keep (default 10) */
	readonly top?: number;
	/** false: TYPE and the element count only, no MEMORY USAGE (redis-cli --bigkeys' work; bytes are 0) */
	readonly usage?: boolean;
};

export type BigKey = {
	readonly key: string;
	readonly type: string;
	readonly bytes: number;
	/** members, fields, items, entries; a string's length in bytes; null for a type without a count */
	readonly elements: number | null;
};

export type TypeTotals = {
	readonly type: string;
	readonly keys: number;
	readonly bytes: number;
	readonly elements: number;
	/** the key with the most elements (a string: the longest) — redis-cli --bigkeys' answer */
	readonly biggest: BigKey | null;
};

export type MemoryReport = {
	readonly pattern: string;
	readonly samples: number;
	readonly depth: number;
	/** false when no MEMORY USAGE was asked (the biggest keys by elements only) */
	readonly usage: boolean;
	readonly progress: ScanProgress;
	/** keys measured (gone between SCAN and MEMORY USAGE: not counted) */
	readonly keys: number;
	readonly bytes: number;
	readonly vanished: number;
	readonly durationMs: number;
	readonly tree: PrefixView;
	/** the most bytes first */
	readonly biggestByMemory: readonly BigKey[];
	/** the most elements first (strings, whose count is bytes, are in biggestByMemory) */
	readonly biggestByElements: readonly BigKey[];
	/** the most bytes first */
	readonly types: readonly TypeTotals[];
};

type Totals = {keys: number; bytes: number; elements: number; biggest: BigKey | null};

/** One memory scan; step() one batch, run() to the end (or a stop or abort); report() any time. */
export class MemoryScan {
	readonly pattern: string;
	readonly samples: number;
	readonly depth: number;
	readonly #scanner: KeyScanner;
	readonly #tree: PrefixTree;
	readonly #byMemory: TopList<BigKey>;
	readonly #byElements: TopList<BigKey>;
	readonly #types = new Map<string, Totals>();
	readonly #usage: (key: string) => string | Buffer;
	/** replies per key to #usage: MEMORY USAGE and TYPE, or TYPE alone */
	readonly #perKey: 1 | 2;
	#vanished = 0;
	#elapsedMs = 0;
	#stopped = false;

	constructor(readonly redis: RedisBackend, options: MemoryOptions = {}) {
		this.pattern = options.pattern?.trim() ? options.pattern : '*';
		this.samples = options.samples ?? 0;
		this.depth = options.depth ?? 3;
		const top = options.top ?? 10;
		// dedupe off: a set of every key would be ~100 MB per million keys; SCAN returns a key twice
		// only while the table is resized, and counts it twice then (as redis-cli --memkeys does)
		this.#scanner = new KeyScanner(redis, {pattern: this.pattern, count: options.count ?? 1000, readAhead: true, dedupe: false});
		this.#tree = new PrefixTree(this.depth);
		this.#byMemory = new TopList(top);
		this.#byElements = new TopList(top);
		this.#usage = options.usage === false ? typeOnly : usageAndType(this.samples);
		this.#perKey = options.usage === false ? 1 : 2;
	}

	get done(): boolean {
		return this.#scanner.done;
	}

	progress(): ScanProgress {
		return {...this.#scanner.progress(), found: this.#tree.keys};
	}

	/** One SCAN round (every unfinished master) and the pipelines for its keys. */
	async step(): Promise<void> {
		const started = performance.now();
		try {
			await this.#measure(await this.#next(), 0);
		} finally {
			this.#elapsedMs += performance.now() - started;
		}
	}

	async #next(): Promise<string[]> {
		const keys = await this.#scanner.step();
		// KeyScanner keeps keys for the key browser; nothing here needs them after this batch
		this.#scanner.keys.length = 0;
		return keys;
	}

	async #measure(keys: readonly string[], lane: number): Promise<void> {
		const per = this.#perKey;
		const usage = await exchange(this.redis, keys, per, this.#usage, lane);
		const found: BigKey[] = [];
		const counted: number[] = [];
		for (let i = 0; i < keys.length; i++) {
			const bytes = per === 2 ? usage[i * 2]! : 0;
			const type = usage[i * per + per - 1]!;
			if (bytes instanceof Error) throw new Error(`MEMORY USAGE: ${bytes.message}`);
			if (type instanceof Error) throw new Error(`TYPE: ${type.message}`);
			// gone since SCAN returned it
			if (bytes === null || type === 'none') {
				this.#vanished++;
				continue;
			}
			if (countCommands[String(type)] !== undefined) counted.push(found.length);
			found.push({key: keys[i]!, type: String(type), bytes: Number(bytes), elements: null});
		}
		const counts = await exchange(this.redis, counted.map(n => found[n]!.key), 1, (key, i) => countOf(countCommands[found[counted[i]!]!.type]!, key), lane);
		counted.forEach((n, i) => {
			// a count that failed (the key changed type or went) is no count, not an error
			const reply = counts[i];
			if (typeof reply === 'number') found[n] = {...found[n]!, elements: reply};
		});
		for (const entry of found) this.#add(entry);
	}

	#add(entry: BigKey): void {
		this.#tree.add(entry.key, entry.bytes);
		if (this.#perKey === 2) this.#byMemory.add(entry, entry.bytes);
		if (entry.elements !== null && entry.type !== 'string') this.#byElements.add(entry, entry.elements);
		let totals = this.#types.get(entry.type);
		if (!totals) {
			totals = {keys: 0, bytes: 0, elements: 0, biggest: null};
			this.#types.set(entry.type, totals);
		}
		totals.keys++;
		totals.bytes += entry.bytes;
		totals.elements += entry.elements ?? 0;
		if (entry.elements !== null && (totals.biggest === null || entry.elements > (totals.biggest.elements ?? 0))) totals.biggest = entry;
	}

	/**
	 * Steps until done, stop() or an abort (the report then says how far it got). Two batches are in
	 * flight, on two lanes of each master's bare connection: the server measures one while opsdeck
	 * reads the other's replies and encodes the next (with one, the server waited for opsdeck and
	 * opsdeck for the server: the wall time was their CPU times added). Not to be mixed with step()
	 * while it runs.
	 */
	async run(options: {readonly signal?: AbortSignal; readonly onProgress?: (progress: ScanProgress) => void} = {}): Promise<MemoryReport> {
		this.#stopped = false;
		const started = performance.now();
		const inFlight: Promise<void>[] = [];
		let lane = 0;
		try {
			while (!this.done && !this.#stopped && !options.signal?.aborted) {
				const measuring = this.#measure(await this.#next(), lane);
				// (awaited below; a failure while the next SCAN is awaited must not count as unhandled)
				measuring.catch(() => undefined);
				inFlight.push(measuring);
				lane = 1 - lane;
				if (inFlight.length >= 2) await inFlight.shift();
				options.onProgress?.(this.progress());
			}
			await Promise.all(inFlight);
		} finally {
			this.#elapsedMs += performance.now() - started;
		}
		return this.report();
	}

	/** Pauses run() after the batches in flight; run() again continues. */
	stop(): void {
		this.#stopped = true;
	}

	report(depth = this.depth): MemoryReport {
		return {
			pattern: this.pattern,
			samples: this.samples,
			depth,
			usage: this.#perKey === 2,
			progress: this.progress(),
			keys: this.#tree.keys,
			bytes: this.#tree.bytes,
			vanished: this.#vanished,
			durationMs: Math.round(this.#elapsedMs),
			tree: this.#tree.view(depth),
			biggestByMemory: this.#byMemory.list(),
			biggestByElements: this.#byElements.list(),
			types: [...this.#types].map(([type, t]) => ({type, ...t})).sort((a, b) => b.bytes - a.bytes),
		};
	}
}
