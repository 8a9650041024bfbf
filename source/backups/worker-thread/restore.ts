// A restore's two worker tasks: the copy of the backup into the temp file (hashed as it is copied),
// and the write lock held on the live file while it is swapped.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type {CopyResult, CopyTask, LockTask, SettleResult} from './protocol.js';
import {codeOf, copyChunk, nextMessage, type Db, type Thread} from './thread.js';

// A restore's copy of a backup into its temp file (made beforehand by the main thread with the live
// file's owner and mode, so it is opened, not created): every chunk is hashed as it is read and
// those very bytes written, so the sha256 is that of what was copied, whatever the backup file does
// meanwhile — or, with `hash: false`, a 'hash' task in another thread hashes the temp file as it
// grows (the bytes as written, at the same time as the copy instead of in its way). Then fsynced.
export function copy({post}: Thread, task: CopyTask): CopyResult {
	const hash = task.hash === false ? undefined : crypto.createHash('sha256');
	const src = fs.openSync(task.source, 'r');
	let dst: number | undefined;
	try {
		dst = fs.openSync(task.dest, 'r+');
		fs.ftruncateSync(dst, 0);
		const total = fs.fstatSync(src).size;
		// (512 KiB at a time: see copyBytes)
		const buffer = Buffer.allocUnsafe(copyChunk);
		let done = 0;
		let reported = 0;
		post({type: 'progress', phase: 'copy', doneBytes: 0, totalBytes: total});
		for (;;) {
			const n = fs.readSync(src, buffer, 0, buffer.length, null);
			if (n === 0) break;
			const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
			hash?.update(chunk);
			for (let at = 0; at < n; ) at += fs.writeSync(dst, chunk, at, n - at, null);
			done += n;
			if (done - reported >= 16 << 20) {
				reported = done;
				post({type: 'progress', phase: 'copy', doneBytes: done, totalBytes: total});
			}
		}
		fs.fsyncSync(dst);
		return {sha256: hash?.digest('hex') ?? '', sizeBytes: done};
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
function lockState(db: Db, task: LockTask): SettleResult {
	const journalMode = db.pragma('journal_mode', {simple: true}) as string;
	const walBytes = () => {
		try {
			return fs.statSync(`${task.file}-wal`).size;
		} catch {
			return 0;
		}
	};
	let checkpointed = true;
	let changed = false;
	for (let round = 0; ; round++) {
		if (journalMode === 'wal') {
			// TRUNCATE reports 0 frames once it has reset the WAL: whether the file changes is told by
			// the WAL holding anything beforehand (conservative: any bytes at all)
			if (walBytes() > 0) changed = true;
			const row = (db.pragma('wal_checkpoint(TRUNCATE)') as {busy: number}[])[0];
			checkpointed = Boolean(row) && row.busy === 0;
		}
		try {
			db.exec('BEGIN IMMEDIATE');
		} catch (error) {
			if (codeOf(error).startsWith('SQLITE_BUSY')) return {busy: true, locked: false, checkpointed: false, changed, journalMode, error: undefined};
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

export async function lock({Database, port, post}: Thread, task: LockTask): Promise<SettleResult> {
	let db: Db;
	try {
		db = new Database(task.file, {fileMustExist: true, timeout: task.busyTimeoutMs});
	} catch (error) {
		return {busy: false, locked: false, checkpointed: false, changed: false, journalMode: undefined, error: (error as Error).message};
	}
	let state: SettleResult;
	try {
		state = lockState(db, task);
	} catch (error) {
		state = {busy: false, locked: false, checkpointed: false, changed: false, journalMode: undefined, error: (error as Error).message};
	}
	if (state.locked) {
		post({type: 'locked', lock: state});
		await nextMessage(port, 'release');
	}
	try {
		if (db.inTransaction) db.exec('ROLLBACK');
	} catch {
		// the lock goes with the connection anyway
	}
	db.close();
	return state;
}
