// `logs --count` (grep -c) over a big file in two threads: the file cut into blocks that begin at
// line starts, so no line is in two blocks; this thread and one worker each take the next block
// not taken yet (a shared counter) and count its lines with grep.ts, none of them made into a
// string unless the regex must run on it. The sum is the count of one pass over the whole file: each
// block is counted as that pass counts the same lines (the last line without its newline is in the
// last block). A block the worker took and could not finish (it failed, or could not open the
// same file) is counted here. The worker (count-worker.ts) compiles the filter from its spec,
// through the same refusals (regex-risk.ts) as this thread.
//
// The worker's module is count-worker.js beside this one in the tsc build; the bundle points the
// expression below at its own build of it, build/bundle/count-worker.cjs (scripts/count-worker.mjs:
// the build stops if the expression is not found). Until 2026-12-01 the bundle's worker ran the
// bundle's own script, a function expression that does nothing when run as a file: the worker
// exited at once and this thread counted every block (P9b, test/bench/FINDINGS.md).
import {Worker} from 'node:worker_threads';
import type {FilterSpec, LineFilter} from './filter.js';
import {grepFile} from './grep.js';
import type {LogFile} from './tail.js';

export type CountOptions = {
	readonly filter?: LineFilter;
	/** a line start: --since's offset; default 0 */
	readonly from?: number;
	/** default 16 MB */
	readonly blockBytes?: number;
	/** 1: this thread alone; default 2 when the file holds 2 blocks or more (and the module can start a worker) */
	readonly threads?: number;
};

export type CountJob = {
	readonly kind: 'opsdeck-count';
	readonly fd: number;
	readonly path: string;
	readonly dev: number;
	readonly ino: number;
	readonly spec?: FilterSpec;
	/** line starts: block i is [starts[i], starts[i + 1]) */
	readonly starts: readonly number[];
	/** Int32 [0]: the next block to take */
	readonly next: SharedArrayBuffer;
};

export type CountReport = {readonly block: number; readonly count: number} | {readonly done: true};

const defaultBlockBytes = 16 * 1024 * 1024;
const readBytes = 4 * 1024 * 1024;

// a worker runs from the JavaScript build (the tsc build or the bundle); the TypeScript sources
// (vitest) count in one thread
const workerUrl = import.meta.url.endsWith('.js') ? new URL('./count-worker.js', import.meta.url) : undefined;

/** How many lines from `from` to the end pass the filter (every line without one), as grep -c counts. */
export async function countLines(file: LogFile, options: CountOptions = {}): Promise<number> {
	const size = (await file.handle.stat()).size;
	const starts = await blockStarts(file, options.from ?? 0, size, options.blockBytes ?? defaultBlockBytes);
	const blocks = starts.length - 1;
	const next = new SharedArrayBuffer(4);
	const taken = new Int32Array(next);
	const threads = options.threads ?? (workerUrl ? 2 : 1);
	const helper = threads > 1 && blocks > 1 ? startHelper(file, options.filter?.spec, starts, next) : undefined;
	const buffer = Buffer.allocUnsafe(readBytes);
	let count = 0;
	let slowest = 0;
	const mine = new Set<number>();
	for (let i = Atomics.add(taken, 0, 1); i < blocks; i = Atomics.add(taken, 0, 1)) {
		mine.add(i);
		const began = performance.now();
		count += (await grepFile(file, {filter: options.filter, from: starts[i], to: starts[i + 1], buffer})).matched;
		slowest = Math.max(slowest, performance.now() - began);
	}
	if (helper) {
		const theirs = new Set<number>();
		for (let i = 0; i < blocks; i++) if (!mine.has(i)) theirs.add(i);
		const counted = await helper.settle(theirs, Math.max(quietFloorMs, 4 * slowest));
		for (const n of counted.values()) count += n;
		// taken by the worker and not counted there: here
		for (const i of theirs) {
			if (!counted.has(i)) count += (await grepFile(file, {filter: options.filter, from: starts[i], to: starts[i + 1], buffer})).matched;
		}
	}
	return count;
}

/** `from`, then the first line start at or after every `blockBytes`, then `size`. */
async function blockStarts(file: LogFile, from: number, size: number, blockBytes: number): Promise<number[]> {
	const starts = [from];
	const probe = Buffer.allocUnsafe(64 * 1024);
	for (let at = from + blockBytes; at < size; ) {
		const start = await lineStartFrom(file, at, size, probe);
		if (start >= size) break;
		starts.push(start);
		at = start + blockBytes;
	}
	starts.push(size);
	return starts;
}

/** The first line start at or after `at` (> 0): just after the first newline at or after at - 1; `size` when none. */
async function lineStartFrom(file: LogFile, at: number, size: number, probe: Buffer): Promise<number> {
	for (let pos = at - 1; pos < size; pos += probe.length) {
		const {bytesRead: n} = await file.handle.read(probe, 0, Math.min(probe.length, size - pos), pos);
		if (n === 0) break;
		const nl = probe.subarray(0, n).indexOf(0x0a);
		if (nl !== -1) return pos + nl + 1;
	}
	return size;
}

type Helper = {
	/**
	 * The blocks the worker counted (block → count) once it has posted `done`, failed or exited —
	 * or has said nothing for quietMs, or posted anything but a report of a block it took
	 * (`theirs`). The worker is stopped then;
	 * what it did not report is counted by this thread, so a worker that hangs or talks nonsense
	 * costs time, never the count.
	 */
	settle(theirs: ReadonlySet<number>, quietMs: number): Promise<Map<number, number>>;
};

/** a worker silent this long once this thread is done is given up (4 × this thread's slowest block when longer) */
const quietFloorMs = 2000;

/** Starts the worker (undefined when it cannot start). */
function startHelper(file: LogFile, spec: FilterSpec | undefined, starts: readonly number[], next: SharedArrayBuffer): Helper | undefined {
	if (!workerUrl) return undefined;
	const job: CountJob = {kind: 'opsdeck-count', fd: file.handle.fd, path: file.path, dev: file.dev, ino: file.ino, spec, starts, next};
	let worker: Worker;
	try {
		worker = new Worker(workerUrl, {workerData: job, execArgv: [], stdout: true, stderr: true});
	} catch {
		return undefined;
	}
	const blocks = starts.length - 1;
	const counted = new Map<number, number>();
	let over = false;
	// it posted something that is not a report: none of its counts is taken
	let nonsense = false;
	// called on every event once settle() is waiting
	let check: (() => void) | undefined;
	const end = () => {
		if (over) return;
		over = true;
		// from now on nothing it posts is counted
		worker.removeAllListeners('message');
		void worker.terminate().catch(() => undefined);
		check?.();
	};
	worker.on('message', (report: unknown) => {
		const valid = isReport(report, blocks);
		if (!valid) nonsense = true;
		if (valid === 'done' || !valid) return end();
		counted.set(valid.block, valid.count);
		check?.();
	});
	// a worker that failed: what it did not report is counted by this thread
	worker.on('error', end);
	worker.once('exit', end);
	return {
		settle: (theirs, quietMs) =>
			new Promise(resolve => {
				let quiet: NodeJS.Timeout | undefined;
				const wake = () => {
					clearTimeout(quiet);
					quiet = setTimeout(end, quietMs);
				};
				check = () => {
					// until it posts `done` (its file closed) or is given up
					if (!over) return wake();
					clearTimeout(quiet);
					check = undefined;
					// a report of a block this thread took, or a message that is no report: none of
					// the worker's counts is taken
					const foreign = [...counted.keys()].some(block => !theirs.has(block));
					resolve(foreign || nonsense ? new Map() : new Map(counted));
				};
				check();
			}),
	};
}

/** A worker's message: one block's count, `done`, or undefined for anything else. */
function isReport(message: unknown, blocks: number): {block: number; count: number} | 'done' | undefined {
	if (typeof message !== 'object' || message === null) return undefined;
	const {block, count, done} = message as Record<string, unknown>;
	if (done === true && block === undefined) return 'done';
	if (typeof block === 'number' && Number.isInteger(block) && block >= 0 && block < blocks && typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) return {block, count};
	return undefined;
}
