// A backup's workers: the snapshot (the source copied byte for byte under a read transaction when
// its file alone is the snapshot, else SQLite's backup API copying every page; then the row counts)
// and the one that hashes: the source's bytes while the raw copy is made (hash), or the copy while
// the backup API's fsync is still running (follow).
import fs from 'node:fs';
import os from 'node:os';
import type {ControlMessage, FollowResult, FollowTask, HashResult, HashTask, SnapshotResult, SnapshotTask} from './protocol.js';
import {copyBytes, fsyncFile, nextMessage, pragmaValue, sha256, tableCounts, type Db, type Thread} from './thread.js';

/**
 * Whether the bytes of the database file ARE the snapshot this connection's read transaction sees,
 * and stay so until it ends (SQLite's "shared lock, then copy the file" way of taking a backup):
 *  - rollback journal: the SHARED lock of the read transaction keeps every writer out of the file;
 *  - WAL: the file holds the snapshot when every WAL frame of it is checkpointed into the file, and
 *    while the read transaction lasts no checkpoint writes a frame it does not see (a reader on read
 *    mark 0 blocks all backfill, one on mark M any frame past M and any restart of the WAL). Known
 *    from the WAL's length (0: nothing to backfill) or from the wal-index (the -shm file: its header,
 *    both copies equal, read BEFORE nBackfill; nBackfill == mxFrame then means every frame up to the
 *    snapshot's own mxFrame, which is at most that one, is in the file).
 * Anything else (frames not yet checkpointed, a -shm that cannot be read): false, and the caller
 * uses the backup API. `files.shm` is opened here and left open: see Files.
 */
function fileIsSnapshot(db: Db, file: string, files: Files): boolean {
	const mode = pragmaValue<string>(db, 'journal_mode');
	if (mode !== 'wal') return true;
	let walBytes = 0;
	try {
		walBytes = fs.statSync(`${file}-wal`).size;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
	}
	if (walBytes === 0) return true;
	try {
		files.shm ??= fs.openSync(`${file}-shm`, 'r');
		const header = Buffer.alloc(96);
		const backfill = Buffer.alloc(4);
		if (fs.readSync(files.shm, header, 0, 96, 0) !== 96) return false;
		if (fs.readSync(files.shm, backfill, 0, 4, 96) !== 4) return false;
		// the wal-index is in the machine's byte order; iVersion 3007000, isInit set, the two copies equal
		const u32 = (buffer: Buffer, at: number) => (os.endianness() === 'LE' ? buffer.readUInt32LE(at) : buffer.readUInt32BE(at));
		if (u32(header, 0) !== 3007000 || header[12] !== 1 || !header.subarray(0, 48).equals(header.subarray(48, 96))) return false;
		return u32(backfill, 0) === u32(header, 16);
	} catch {
		return false;
	}
}

/**
 * The source file and its -shm as opened by the snapshot for reading bytes. POSIX record locks
 * belong to the process and go, ALL of them, when the process closes ANY descriptor of the file
 * (SQLite's "How To Corrupt", 2.2): a read of the source opened and closed while the read
 * transaction lasts would drop SQLite's locks (seen here: a checkpoint then wrote the file under
 * the copy). So each is opened once, read with positional reads (the hash worker reads the source
 * through this same descriptor: threads share them), and closed only after the connection is closed.
 */
type Files = {source?: number; shm?: number};

/**
 * Test hook, used only by test/commands/backup-swap.test.ts: with OPSDECK_TEST_SNAPSHOT_PAUSE set to a
 * folder, the snapshot creates the file `<folder>/<step>` at each step ('opened': before SQLite opens
 * the source; 'begun': once its read transaction has begun) and waits until the test removes it (at
 * most 20 s), so a test can rename files over the source at exactly that point. Unset: nothing.
 */
function testPause(step: 'opened' | 'begun'): void {
	const dir = process.env.OPSDECK_TEST_SNAPSHOT_PAUSE;
	if (!dir) return;
	const marker = `${dir}/${step}`;
	fs.writeFileSync(marker, '');
	const sleep = new Int32Array(new SharedArrayBuffer(4));
	for (const end = Date.now() + 20_000; fs.existsSync(marker) && Date.now() < end; ) Atomics.wait(sleep, 0, 0, 10);
}

/**
 * Whether the descriptor `fd` (opened by path) is the file SQLite's connection has open and locked
 * now: the data file can be renamed over (mv -f other.db app.db) between any open by path and the
 * next, and bytes read from another file than the one the rows were counted in would be a wrong
 * backup recorded as correct. So: `fd` is still the file at `file` (same device and inode), and, where
 * the kernel lists its locks (Linux: /proc/locks), this process holds a lock on that inode (the
 * read transaction's SHARED lock on the data file; on the -shm, the wal-index locks): SQLite's own
 * descriptor is on it. The data file's descriptor is opened BEFORE SQLite opens the file, so a file
 * swapped in between, or swapped and put back, fails one of these. Without /proc/locks only the
 * first holds. False: the caller uses the backup API, which copies what SQLite has open.
 */
function isSqlitesFile(fd: number, file: string): boolean {
	let opened: fs.BigIntStats, named: fs.BigIntStats;
	try {
		opened = fs.fstatSync(fd, {bigint: true});
		named = fs.statSync(file, {bigint: true});
	} catch {
		return false;
	}
	if (opened.dev !== named.dev || opened.ino !== named.ino) return false;
	let locks: string;
	try {
		locks = fs.readFileSync('/proc/locks', 'utf8');
	} catch {
		return true; // no lock list here (not Linux): the descriptor and the name agree, that is all we know
	}
	// "1: POSIX  ADVISORY  READ 3776 fe:00:1466568 1073741826 1073742335" (a "->" line waits: not held)
	const held = /^\d+:\s+POSIX\s+\S+\s+\S+\s+(\d+)\s+[\da-f]+:[\da-f]+:(\d+)\s/gm;
	for (const [, pid, ino] of locks.matchAll(held)) if (Number(pid) === process.pid && BigInt(ino!) === opened.ino) return true;
	return false;
}

/**
 * The raw copy: under one read transaction, the file's pages copied byte for byte (its sha256 taken
 * by a hash task from the same, unchanging, bytes of the source meanwhile, through files.source),
 * counted, the copy fsynced; the read transaction is held until the main thread says the hash is
 * done ('release'). Undefined when the file is not the snapshot (nothing copied; the caller uses the
 * backup API).
 */
async function rawSnapshot(source: Db, {port, post}: Thread, task: SnapshotTask, files: Files): Promise<SnapshotResult | undefined> {
	source.exec('BEGIN');
	try {
		// the read transaction starts with the first read
		source.prepare('select count(*) from sqlite_schema').get();
		testPause('begun');
		const pageSize = pragmaValue(source, 'page_size');
		const pageCount = pragmaValue(source, 'page_count');
		const bytes = pageSize * pageCount;
		if (!fileIsSnapshot(source, task.source, files)) return undefined;
		if (files.source === undefined || !isSqlitesFile(files.source, task.source)) return undefined;
		if (files.shm !== undefined && !isSqlitesFile(files.shm, `${task.source}-shm`)) return undefined;
		if (fs.fstatSync(files.source).size !== bytes) return undefined;
		const released = nextMessage(port, 'release');
		post({type: 'progress', phase: 'copy', totalBytes: bytes, raw: true, fd: files.source});
		copyBytes(files.source, task.dest, bytes);
		post({type: 'progress', phase: 'count'});
		const tables = tableCounts(source);
		fsyncFile(task.dest);
		await released;
		return {sizeBytes: fs.statSync(task.dest).size, pageCount, pageSize, tables, raw: true};
	} finally {
		source.exec('ROLLBACK');
	}
}

/**
 * hash: the sha256 of the first `bytes` bytes (given with 'go', or in the task) of a file whose
 * bytes do not change meanwhile; read through the descriptor given with 'go' when there is one (the
 * snapshot's: never closed here).
 */
export function hash(task: HashTask, go: ControlMessage | undefined): HashResult {
	const bytes = go?.bytes ?? task.bytes;
	if (bytes === undefined) throw new Error('hash: no length given');
	return {sha256: sha256(go?.fd === undefined ? task.file : {fd: go.fd}, bytes, task.growing), sizeBytes: bytes};
}

export async function snapshot(thread: Thread, task: SnapshotTask): Promise<SnapshotResult> {
	const {Database, post} = thread;
	const files: Files = {};
	// the raw copy's descriptor is opened before SQLite opens the file (see isSqlitesFile)
	if (task.raw) {
		try {
			files.source = fs.openSync(task.source, 'r');
		} catch {
			// SQLite's open says why, or the backup API is used
		}
		testPause('opened');
	}
	let source;
	try {
		source = new Database(task.source, {readonly: true, fileMustExist: true, timeout: 5000});
	} catch (error) {
		if (files.source !== undefined) fs.closeSync(files.source);
		throw error;
	}
	try {
		// Reading the source through mmap saves a pread per page (the sqlite3 shell does one each).
		source.pragma('mmap_size = 1099511627776');
		if (task.raw) {
			const raw = await rawSnapshot(source, thread, task, files);
			if (raw) return raw;
		}
		const pageSize = pragmaValue(source, 'page_size');
		const pages = pragmaValue(source, 'page_count');
		post({type: 'progress', phase: 'copy', totalBytes: pageSize * pages});
		// All pages in ONE step: the snapshot is the source at one instant (a writer in another process
		// cannot tear it), and it is several times faster than the default 100-page steps.
		await source.backup(task.dest, {progress: () => 0x7fffffff});
	} finally {
		source.close();
		// (only now: see Files)
		for (const fd of [files.source, files.shm]) if (fd !== undefined) fs.closeSync(fd);
	}
	post({type: 'progress', phase: 'count'});
	const copy = new Database(task.dest, {fileMustExist: true});
	let counts, pageCount, pageSize;
	try {
		counts = tableCounts(copy);
		pageCount = pragmaValue(copy, 'page_count');
		pageSize = pragmaValue(copy, 'page_size');
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
export function follow({port, post}: Thread, task: FollowTask): Promise<FollowResult> {
	return new Promise((resolve, reject) => {
		let final = false;
		let early: {key: string; head: Buffer; sha256: string} | undefined;
		let timer: NodeJS.Timeout | undefined;
		const key = (st: fs.BigIntStats) => [st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
		const head = () => {
			const buffer = Buffer.alloc(65536);
			const fd = fs.openSync(task.file, 'r');
			try {
				return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
			} finally {
				fs.closeSync(fd);
			}
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
		port.on('message', (message: {type?: string} | undefined) => {
			if (!message || message.type !== 'final' || final) return;
			final = true;
			clearTimeout(timer);
			finish();
		});
		tick();
	});
}
