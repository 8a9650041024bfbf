// What every task of a backup worker thread works with: SQLite (better-sqlite3, loaded from the
// path the main thread resolved), the port back to the main thread, and the helpers they share.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type {MessagePort} from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type {ControlMessage, TableCounts, WorkerMessage} from './protocol.js';

export type Driver = typeof BetterSqlite3;
export type Db = BetterSqlite3.Database;

export type Thread = {
	readonly Database: Driver;
	readonly port: MessagePort;
	readonly post: (message: WorkerMessage) => void;
};

/** resolves on the first control message of this type from the main thread */
export function nextMessage(port: MessagePort, type: ControlMessage['type']): Promise<ControlMessage> {
	return new Promise(resolve => port.on('message', function listener(message: ControlMessage | undefined) {
		if (message && message.type === type) {
			port.off('message', listener);
			resolve(message);
		}
	}));
}

/** how long a growing file may stay unwritten before its hash gives up on the rest */
const growthTimeoutMs = 60_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The sha256 of the file, or of its first `bytes` bytes (then it must be at least that long). With
 * `growing`, the file is being written from start to end by another thread (each byte once, our own
 * temp file): bytes are read only once the file is that long, waiting for them (a writer's data is
 * in the page cache before the file's length covers it), so the hash is of the bytes as written.
 */
export function sha256(file: string | {readonly fd: number}, bytes?: number, growing = false): string {
	const hash = crypto.createHash('sha256');
	// an fd handed over is read, never closed here (see snapshot.ts: closing one would drop SQLite's locks)
	const own = typeof file === 'string';
	const fd = own ? fs.openSync(file, 'r') : file.fd;
	let at = 0;
	const buffer = Buffer.allocUnsafe(1 << 20);
	let done = 0;
	let waitedSince: number | undefined;
	try {
		for (;;) {
			const want = bytes === undefined ? buffer.length : Math.min(buffer.length, bytes - done);
			if (want === 0) break;
			const n = fs.readSync(fd, buffer, 0, want, at);
			if (n === 0) {
				if (growing && bytes !== undefined) {
					waitedSince ??= Date.now();
					if (Date.now() - waitedSince > growthTimeoutMs) throw new Error(`the file stayed at ${done} bytes for ${growthTimeoutMs / 1000} s, ${bytes} expected`);
					Atomics.wait(sleeper, 0, 0, 1);
					continue;
				}
				if (bytes !== undefined) throw new Error(`the file ended at ${done} bytes, ${bytes} expected`);
				break;
			}
			at += n;
			waitedSince = undefined;
			hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
			done += n;
		}
	} finally {
		if (own) fs.closeSync(fd);
	}
	return hash.digest('hex');
}

/**
 * Copies the first `bytes` bytes of the open file `src` (not closed here) into `dest` (which exists: opened, not created, so it
 * keeps its owner and mode), calling onChunk with the bytes done so far. Chunks of 512 KiB: on this
 * kernel (6.x) writes of 2 MiB and more into the page cache were 3-6x slower than 512 KiB ones.
 */
export function copyBytes(src: number, dest: string, bytes: number, onChunk?: (done: number) => void): void {
	let dst: number | undefined;
	try {
		dst = fs.openSync(dest, 'r+');
		fs.ftruncateSync(dst, 0);
		const buffer = Buffer.allocUnsafe(copyChunk);
		let done = 0;
		while (done < bytes) {
			const n = fs.readSync(src, buffer, 0, Math.min(buffer.length, bytes - done), done);
			if (n === 0) throw new Error(`the source ended at ${done} bytes, ${bytes} expected`);
			for (let at = 0; at < n; ) at += fs.writeSync(dst, buffer, at, n - at, done + at);
			done += n;
			onChunk?.(done);
		}
	} finally {
		if (dst !== undefined) fs.closeSync(dst);
	}
}

/** what a copy reads and writes at a time (see copyBytes) */
export const copyChunk = 512 << 10;

export function fsyncFile(file: string): void {
	const fd = fs.openSync(file, 'r+');
	try {
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

function quote(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

export function tableCounts(db: Db): TableCounts {
	const names = db.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
	const out: Record<string, number | null> = {};
	for (const name of names) {
		try {
			out[name] = db.prepare(`select count(*) from ${quote(name)}`).pluck().get() as number;
		} catch {
			out[name] = null; // a virtual table whose module is not loaded here
		}
	}
	return out;
}

/** SQLite's pragma with {simple: true}: one value */
export function pragmaValue<T = number>(db: Db, pragma: string): T {
	return db.pragma(pragma, {simple: true}) as T;
}

/** an error's message, or the thing thrown as text */
export function messageOf(error: unknown): string {
	return error && (error as Error).message ? (error as Error).message : String(error);
}

/** an error's code (SQLite's SQLITE_*, Node's E*), as text ('' when it has none) */
export function codeOf(error: unknown): string {
	return String((error && (error as {code?: unknown}).code) || '');
}
