// A backup's two workers: the snapshot (SQLite's backup API copying every page, then the row
// counts) and the follower that hashes the copy while the snapshot's fsync is still running.
import fs from 'node:fs';
import type {FollowResult, FollowTask, SnapshotResult, SnapshotTask} from './protocol.js';
import {fsyncFile, pragmaValue, sha256, tableCounts, type Thread} from './thread.js';

export async function snapshot({Database, post}: Thread, task: SnapshotTask): Promise<SnapshotResult> {
	const source = new Database(task.source, {readonly: true, fileMustExist: true, timeout: 5000});
	try {
		// Reading the source through mmap saves a pread per page (the sqlite3 shell does one each).
		source.pragma('mmap_size = 1099511627776');
		const pageSize = pragmaValue(source, 'page_size');
		const pages = pragmaValue(source, 'page_count');
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
