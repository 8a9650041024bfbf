// The heavy SQLite work of backups (copying every page, sha256, quick_check, row counts) runs in a
// worker thread so the console's event loop never stalls on a big file. The worker is created from
// a code string (`eval: true`, CommonJS inside) so it runs the same from the TypeScript sources under
// vitest, from the tsc build and from a bundle: no worker file to locate. better-sqlite3 is resolved
// here (beside this module) and handed over as an absolute path, so the worker's cwd does not matter.
import {createRequire} from 'node:module';
import {Worker} from 'node:worker_threads';
import {mayStartWorker, trackWorker} from '../system/live-workers.js';

export type TableCounts = Record<string, number | null>;

export type SnapshotResult = {
	readonly sizeBytes: number;
	readonly pageCount: number;
	readonly pageSize: number;
	readonly tables: TableCounts;
};

export type InspectResult = {
	readonly sizeBytes: number;
	readonly sha256: string | undefined;
	readonly pageCount: number;
	readonly pageSize: number;
	readonly tables: TableCounts;
	/** 'ok', or the first problems quick_check / integrity_check reported */
	readonly check: string | undefined;
	/** SQLite could not open or read the file */
	readonly error: string | undefined;
};

/** follow: the sha256 of a file another worker is writing, and whether those bytes are the final ones. */
export type FollowResult = {
	readonly sha256: string;
	readonly sizeBytes: number;
	/** hashed before the writer finished (overlapped with its fsync) and found unchanged afterwards */
	readonly early: boolean;
};

export type WorkerTask = (
	| {readonly kind: 'snapshot'; readonly source: string; readonly dest: string}
	| {readonly kind: 'follow'; readonly file: string; readonly expectedBytes: number; readonly quietMs: number}
	| {readonly kind: 'inspect'; readonly file: string; readonly check?: 'quick' | 'integrity' | 'open'; readonly hash?: boolean; readonly counts?: boolean}
	| {readonly kind: 'copy'; readonly source: string; readonly dest: string}
	| {readonly kind: 'lock'; readonly file: string; readonly busyTimeoutMs: number}
) & {
	/** start the worker (thread, SQLite driver loaded) now but the task only when posted {type: 'go'} */
	readonly waitForGo?: boolean;
};

/** copy: the bytes copied, and the sha256 of exactly those bytes (hashed as they were read). */
export type CopyResult = {readonly sha256: string; readonly sizeBytes: number};

/**
 * lock: whether another connection holds a write transaction (busy), and the WAL folded into the
 * file when it could be. Unless busy, the task then holds the write lock (BEGIN IMMEDIATE) and says
 * so with a 'locked' message carrying this result (onLocked), until it is posted {type: 'release'}.
 */
export type SettleResult = {
	readonly busy: boolean;
	/** the write lock is held (until release) */
	readonly locked: boolean;
	readonly checkpointed: boolean;
	/** the checkpoint wrote pages into the file (its bytes changed) */
	readonly changed: boolean;
	readonly journalMode: string | undefined;
	readonly error: string | undefined;
};

export type WorkerProgress = {
	readonly phase: 'copy' | 'hash' | 'count' | 'check';
	readonly totalBytes?: number;
	/** copy: bytes copied so far */
	readonly doneBytes?: number;
};

// CommonJS, plain JavaScript: runs inside the worker.
const workerCode = String.raw`
const {parentPort, workerData} = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const Database = require(workerData.driver);
const task = workerData.task;
const post = message => parentPort.postMessage(message);

function sha256(file) {
	const hash = crypto.createHash('sha256');
	const fd = fs.openSync(file, 'r');
	const buffer = Buffer.allocUnsafe(4 << 20);
	try {
		for (;;) {
			const n = fs.readSync(fd, buffer, 0, buffer.length, null);
			if (n === 0) break;
			hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
		}
	} finally {
		fs.closeSync(fd);
	}
	return hash.digest('hex');
}

function quote(name) {
	return '"' + name.replace(/"/g, '""') + '"';
}

function tableCounts(db) {
	const names = db.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name").pluck().all();
	const out = {};
	for (const name of names) {
		try {
			out[name] = db.prepare('select count(*) from ' + quote(name)).pluck().get();
		} catch {
			out[name] = null; // a virtual table whose module is not loaded here
		}
	}
	return out;
}

function fsyncFile(file) {
	const fd = fs.openSync(file, 'r+');
	try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

async function snapshot() {
	const source = new Database(task.source, {readonly: true, fileMustExist: true, timeout: 5000});
	try {
		// Reading the source through mmap saves a pread per page (the sqlite3 shell does one each).
		source.pragma('mmap_size = 1099511627776');
		const pageSize = source.pragma('page_size', {simple: true});
		const pages = source.pragma('page_count', {simple: true});
		post({type: 'progress', phase: 'copy', totalBytes: pageSize * pages});
		// All pages in ONE step: the snapshot is the source at one instant (a writer in another process
		// cannot tear it), and it is several times faster than the default 100-page steps.
		await source.backup(task.dest, {progress: () => 0x7fffffff});
	} finally {
		source.close();
	}
	post({type: 'progress', phase: 'count'});
	const copy = new Database(task.dest, {fileMustExist: true});
	let counts, pageCount, pageSize;
	try {
		counts = tableCounts(copy);
		pageCount = copy.pragma('page_count', {simple: true});
		pageSize = copy.pragma('page_size', {simple: true});
	} finally {
		copy.close();
	}
	for (const suffix of ['-wal', '-shm']) fs.rmSync(task.dest + suffix, {force: true});
	fsyncFile(task.dest);
	// (its sha256 is taken by a follow task, overlapping this one's fsync)
	return {sizeBytes: fs.statSync(task.dest).size, pageCount, pageSize, tables: counts};
}

// The sha256 of the copy a snapshot task is writing, overlapped with the end of that copy: SQLite
// writes every page, then fsyncs (often a good part of the whole time). This worker starts hashing
// once the file has its final length and has not been written to for quietMs (so only the fsync is
// left), then, told by the main thread that the snapshot task is done ('final'), proves the bytes it
// hashed are the final ones: same inode, size, mtime and ctime to the nanosecond (any write after the
// hash began would have moved the mtime past the one seen, which was quietMs old) and the same first
// page (the one SQLite rewrites at commit). Anything else, or no early start: it hashes the file now.
function follow() {
	return new Promise((resolve, reject) => {
		let final = false, early, timer;
		const key = st => [st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
		const head = () => {
			const buffer = Buffer.alloc(65536);
			const fd = fs.openSync(task.file, 'r');
			try { return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)); } finally { fs.closeSync(fd); }
		};
		const finish = () => {
			try {
				if (early) {
					const st = fs.statSync(task.file, {bigint: true});
					if (key(st) === early.key && head().equals(early.head)) return resolve({sha256: early.sha256, sizeBytes: Number(st.size), early: true});
				}
				const size = fs.statSync(task.file).size;
				resolve({sha256: sha256(task.file), sizeBytes: size, early: false});
			} catch (error) {
				reject(error);
			}
		};
		const tick = () => {
			timer = undefined;
			if (final) return;
			try {
				const st = fs.statSync(task.file, {bigint: true});
				if (Number(st.size) === task.expectedBytes && Date.now() - Number(st.mtimeNs / 1000000n) >= task.quietMs) {
					const first = head();
					early = {key: key(st), head: first, sha256: sha256(task.file)};
					post({type: 'progress', phase: 'hash'}); // hashed ahead (tests wait for this)
					return;
				}
			} catch {
				// not there yet, or gone (the snapshot failed): 'final' or terminate() ends this
			}
			timer = setTimeout(tick, 5);
		};
		parentPort.on('message', message => {
			if (!message || message.type !== 'final' || final) return;
			final = true;
			clearTimeout(timer);
			finish();
		});
		tick();
	});
}

// the biggest backup read into memory when SQLite cannot open it where it is
const inMemoryLimit = 1024 * 1024 * 1024;

function inspect() {
	const sizeBytes = fs.statSync(task.file).size;
	let sha;
	if (task.hash) {
		post({type: 'progress', phase: 'hash'});
		sha = sha256(task.file);
	}
	if (!task.check && !task.counts) {
		// the checksum alone: page size and count from the header, without SQLite opening the file
		// (so no -wal/-shm appear beside it while another worker reads it)
		const header = Buffer.alloc(100);
		const fd = fs.openSync(task.file, 'r');
		try { fs.readSync(fd, header, 0, 100, 0); } finally { fs.closeSync(fd); }
		const raw = header.readUInt16BE(16);
		return {sizeBytes, sha256: sha, pageSize: raw === 1 ? 65536 : raw, pageCount: header.readUInt32BE(28), tables: {}, check: undefined, error: undefined};
	}
	// Never leave -wal/-shm files behind that were not there before.
	const had = ['-wal', '-shm'].filter(s => fs.existsSync(task.file + s));
	let check, pageCount, pageSize, error, tables = {};
	const examine = db => {
		try {
			// through mmap, quick_check reads pages without a syscall each (about twice as fast)
			db.pragma('mmap_size = 1099511627776');
			pageCount = db.pragma('page_count', {simple: true});
			pageSize = db.pragma('page_size', {simple: true});
			if (task.check === 'open') {
				// the file opens, its schema reads, and it is as long as its pages say
				db.prepare('select count(*) from sqlite_schema').get();
				check = pageCount * pageSize === sizeBytes ? 'ok' : 'size ' + sizeBytes + ' bytes, pages say ' + pageCount * pageSize;
			} else if (task.check) {
				post({type: 'progress', phase: 'check'});
				const rows = db.pragma(task.check === 'integrity' ? 'integrity_check(20)' : 'quick_check(20)', {simple: false});
				check = rows.map(r => Object.values(r)[0]).join('; ');
			}
			if (task.counts) {
				post({type: 'progress', phase: 'count'});
				tables = tableCounts(db);
			}
		} finally {
			db.close();
		}
	};
	try {
		try {
			examine(new Database(task.file, {readonly: true, fileMustExist: true, timeout: 5000}));
		} catch (e) {
			// A backup in WAL mode needs a -shm file beside it even to be read: in a read-only or full
			// folder SQLite cannot open it, and a good backup was reported FAILED (issue 13, case 14).
			// Read it into memory instead (nothing is written anywhere), when it is not too big.
			const code = String(e && e.code || '');
			if (!(code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL') || sizeBytes > inMemoryLimit) throw e;
			const bytes = fs.readFileSync(task.file);
			// bytes 18/19 = 2 mean WAL mode; a deserialized database cannot be in WAL mode
			if (bytes.length >= 100 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
			examine(new Database(bytes, {readonly: true}));
		}
	} catch (e) {
		// SQLite cannot read it: an answer, not a failure of the task (the checksum is still compared)
		error = e && e.message ? e.message : String(e);
	}
	for (const suffix of ['-wal', '-shm']) if (!had.includes(suffix)) fs.rmSync(task.file + suffix, {force: true});
	return {sizeBytes, sha256: sha, pageCount, pageSize, tables, check, error};
}

// A restore's copy of a backup into its temp file (made beforehand by the main thread with the live
// file's owner and mode, so it is opened, not created): every chunk is hashed as it is read and
// those very bytes written, so the sha256 is that of what was copied, whatever the backup file does
// meanwhile. Then fsynced.
function copy() {
	const hash = crypto.createHash('sha256');
	const src = fs.openSync(task.source, 'r');
	let dst;
	try {
		dst = fs.openSync(task.dest, 'r+');
		fs.ftruncateSync(dst, 0);
		const total = fs.fstatSync(src).size;
		const buffer = Buffer.allocUnsafe(4 << 20);
		let done = 0, reported = 0;
		post({type: 'progress', phase: 'copy', doneBytes: 0, totalBytes: total});
		for (;;) {
			const n = fs.readSync(src, buffer, 0, buffer.length, null);
			if (n === 0) break;
			const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
			hash.update(chunk);
			for (let at = 0; at < n; ) at += fs.writeSync(dst, chunk, at, n - at, null);
			done += n;
			if (done - reported >= 16 << 20) {
				reported = done;
				post({type: 'progress', phase: 'copy', doneBytes: done, totalBytes: total});
			}
		}
		fs.fsyncSync(dst);
		return {sha256: hash.digest('hex'), sizeBytes: done};
	} finally {
		fs.closeSync(src);
		if (dst !== undefined) fs.closeSync(dst);
	}
}

// Before a restore replaces the file: fold the WAL into the file (checkpoint TRUNCATE), then take
// the write lock (BEGIN IMMEDIATE: in WAL mode the one lock a writer needs) and hold it until the
// main thread has kept the file as the safety backup and removed its -wal/-shm: a writer in a
// transaction is detected (busy after the timeout), and no commit can land between the checkpoint
// and the swap (it would be in neither the safety backup nor the restored file). A commit that
// slipped in between the checkpoint and the lock is folded in by another round.
function lockState(db) {
	const journalMode = db.pragma('journal_mode', {simple: true});
	const walBytes = () => { try { return fs.statSync(task.file + '-wal').size; } catch { return 0; } };
	let checkpointed = true, changed = false;
	for (let round = 0; ; round++) {
		if (journalMode === 'wal') {
			// TRUNCATE reports 0 frames once it has reset the WAL: whether the file changes is told by
			// the WAL holding anything beforehand (conservative: any bytes at all)
			if (walBytes() > 0) changed = true;
			const row = db.pragma('wal_checkpoint(TRUNCATE)')[0];
			checkpointed = Boolean(row) && row.busy === 0;
		}
		try {
			db.exec('BEGIN IMMEDIATE');
		} catch (error) {
			if (error.code && String(error.code).startsWith('SQLITE_BUSY')) return {busy: true, locked: false, checkpointed: false, changed, journalMode, error: undefined};
			throw error;
		}
		if (journalMode !== 'wal' || !checkpointed || walBytes() === 0) break;
		if (round >= 4) {
			checkpointed = false; // still held: the safety backup is a real copy (it reads the WAL too)
			break;
		}
		db.exec('ROLLBACK');
	}
	// the lock is on the connection: a read of the schema makes sure it can read the file at all
	db.prepare('select count(*) from sqlite_schema').get();
	return {busy: false, locked: true, checkpointed, changed, journalMode, error: undefined};
}

async function lock() {
	let db;
	try {
		db = new Database(task.file, {fileMustExist: true, timeout: task.busyTimeoutMs});
	} catch (error) {
		return {busy: false, locked: false, checkpointed: false, changed: false, journalMode: undefined, error: error.message};
	}
	let state;
	try {
		state = lockState(db);
	} catch (error) {
		state = {busy: false, locked: false, checkpointed: false, changed: false, journalMode: undefined, error: error.message};
	}
	if (state.locked) {
		post({type: 'locked', lock: state});
		await new Promise(resolve => parentPort.on('message', function release(message) {
			if (message && message.type === 'release') {
				parentPort.off('message', release);
				resolve();
			}
		}));
	}
	try { if (db.inTransaction) db.exec('ROLLBACK'); } catch {}
	db.close();
	return state;
}

(async () => {
	try {
		if (task.waitForGo) await new Promise(resolve => parentPort.on('message', function go(message) {
			if (message && message.type === 'go') {
				parentPort.off('message', go);
				resolve();
			}
		}));
		const result = task.kind === 'snapshot' ? await snapshot() : task.kind === 'follow' ? await follow() : task.kind === 'lock' ? await lock() : task.kind === 'copy' ? copy() : inspect();
		post({type: 'done', result});
	} catch (error) {
		post({type: 'error', message: error && error.message ? error.message : String(error), code: error && error.code});
	}
})();
`;

let driverPath: string | undefined;
function driver(): string {
	driverPath ??= createRequire(import.meta.url).resolve('better-sqlite3');
	return driverPath;
}

export class WorkerTaskError extends Error {
	constructor(message: string, readonly code: string | undefined) {
		super(message);
		this.name = 'WorkerTaskError';
	}
}

type TaskResult = SnapshotResult | InspectResult | SettleResult | FollowResult | CopyResult;

/** A task running in its own worker thread: its result, a way to message it, a way to stop it. */
export type WorkerHandle<T> = {
	readonly result: Promise<T>;
	post(message: unknown): void;
	/** stops the worker; its result rejects if it had not settled */
	stop(): void;
};

/** Runs one task in a fresh worker thread; progress messages arrive on the main thread as they happen. */
export function runWorkerTask<T extends TaskResult>(task: WorkerTask, onProgress?: (progress: WorkerProgress) => void): Promise<T> {
	return startWorkerTask<T>(task, onProgress).result;
}

export function startWorkerTask<T extends TaskResult>(
	task: WorkerTask,
	onProgress?: (progress: WorkerProgress) => void,
	/** lock task: the lock is held */
	onLocked?: (state: SettleResult) => void,
): WorkerHandle<T> {
	let worker: Worker | undefined;
	const result = new Promise<T>((resolve, reject) => {
		if (!mayStartWorker()) {
			reject(new WorkerTaskError('interrupted: no new work starts', 'EINTR'));
			return;
		}
		const started = new Worker(workerCode, {eval: true, execArgv: [], workerData: {task, driver: driver()}});
		worker = started;
		trackWorker(started);
		let settled = false;
		const finish = (fn: () => void) => {
			if (settled) return;
			settled = true;
			fn();
			void started.terminate();
		};
		started.on('message', (message: {type: string; result?: T; message?: string; code?: string; lock?: SettleResult} & WorkerProgress) => {
			if (message.type === 'progress') onProgress?.({phase: message.phase, totalBytes: message.totalBytes, doneBytes: message.doneBytes});
			else if (message.type === 'locked' && message.lock) onLocked?.(message.lock);
			else if (message.type === 'done') finish(() => resolve(message.result as T));
			else if (message.type === 'error') finish(() => reject(new WorkerTaskError(message.message ?? 'worker failed', message.code)));
		});
		started.on('error', error => finish(() => reject(error)));
		started.on('exit', code => finish(() => reject(new Error(`backup worker stopped (exit ${code})`))));
	});
	return {
		result,
		post: message => worker?.postMessage(message),
		stop: () => void worker?.terminate(),
	};
}
