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
export function nextMessage(port: MessagePort, type: ControlMessage['type']): Promise<void> {
	return new Promise(resolve => port.on('message', function listener(message: ControlMessage | undefined) {
		if (message && message.type === type) {
			port.off('message', listener);
			resolve();
		}
	}));
}

export function sha256(file: string): string {
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
