// The app's SQLite data file. Opened per use (never held open by the console, so a restore can tell
// whether the app holds it; info() reads it again only when it changed, or every sqliteFullReadMs). A missing or unreadable file is a state with a reason, not a crash.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {deniedText} from '../system/file-owner.js';
import {fsReason} from '../text/fs-reason.js';
import {errorMessage} from '../text/mask.js';
import {StatusKeeper} from './status.js';

export type SqliteDatabase = BetterSqlite3.Database;
type SqliteClass = typeof BetterSqlite3;

export type SqliteInfo = {
	readonly path: string;
	readonly ok: boolean;
	readonly error: string | undefined;
	readonly sizeBytes: number | undefined;
	readonly walBytes: number | undefined;
	readonly journalMode: string | undefined;
	readonly pageCount: number | undefined;
	readonly pageSize: number | undefined;
	readonly modifiedAt: number | undefined;
};

let loaded: SqliteClass | undefined;

/** better-sqlite3, loaded on first use (it is a native module; keep it off the start-up path). */
export async function loadSqlite(): Promise<SqliteClass> {
	loaded ??= ((await import('better-sqlite3')) as unknown as {default: SqliteClass}).default;
	return loaded;
}

/**
 * How often info() reads the file through SQLite when nothing about it changed. In between, the
 * same answer is given while the data file, its WAL and its journal are the very same files with
 * the same size, times (ns), mode and owner: a write, a checkpoint, a replaced or restored file, a
 * chmod all change one of those and bring the next read at once. Opening the file every second was
 * ~70 system calls (the WAL index rebuilt when nothing else holds it) in an idle console (bench P5b).
 */
export const sqliteFullReadMs = 10_000;

/** a file's stat (bigint: ns times), undefined when it does not exist; other errors are thrown */
const statOf = (file: string) => fs.statSync(file, {bigint: true, throwIfNoEntry: false});

/** the size from a file's stat; undefined when it is missing or could not be read */
function sizeOf(stat: () => fs.BigIntStats | undefined): number | undefined {
	try {
		const st = stat();
		return st ? Number(st.size) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The data file's dev, inode, size, mtime and ctime (ns), mode and owner; its -wal's and -journal's
 * inode, size and mtime (not their ctime: SQLite's own open chowns the WAL to its owner, which
 * moves its ctime at every read). From the stats info() already took (one stat of each file a poll).
 */
function filesSignature(st: fs.BigIntStats | undefined, wal: fs.BigIntStats | undefined, journal: fs.BigIntStats | undefined): string {
	let signature = st ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.mode}:${st.uid}:${st.gid}` : '-';
	for (const side of [wal, journal]) signature += side ? `|${side.ino}:${side.size}:${side.mtimeNs}` : '|-';
	return signature;
}

/**
 * SQLite opens whatever the path names: a fifo blocked the open (and a worker thread stuck in it
 * held `backup create` past every signal), a device or a folder gives errors that do not say so.
 * Only a regular file (or a symlink to one) is opened. Every caller passes the data file, so a
 * folder is named by its setting (issue 16, point 7: it was "unable to open database file").
 */
export function assertRegularFile(file: string, statOnce: () => fs.Stats | fs.BigIntStats | undefined = () => fs.statSync(file)): void {
	let stat: fs.Stats | fs.BigIntStats | undefined;
	try {
		stat = statOnce();
	} catch (error) {
		// missing: the caller says so in its own words; a folder on the way that cannot be entered is said here
		if (fsReason(error) === 'permission denied') throw new Error(`cannot read ${file}: ${deniedText(file)}`);
		return;
	}
	if (!stat || stat.isFile()) return;
	if (stat.isDirectory()) throw new Error(`SQLITE_PATH is a folder: ${file} (give the data file itself, e.g. ${path.join(file, 'app.db')})`);
	const what = stat.isFIFO() ? 'a fifo' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';
	throw new Error(`${file} is ${what}, not an SQLite data file`);
}

/**
 * assertRegularFile, and this process may read it (write it too with `write`): SQLite's own word
 * for a file it may not open is "unable to open database file"; this says whose file it is.
 */
export function assertDataFile(file: string, options: {readonly write?: boolean; readonly stat?: () => fs.Stats | fs.BigIntStats | undefined} = {}): void {
	assertRegularFile(file, options.stat);
	for (const [mode, verb] of [[fs.constants.R_OK, 'read'], ...(options.write ? [[fs.constants.W_OK, 'write'] as const] : [])] as const) {
		try {
			fs.accessSync(file, mode);
		} catch (error) {
			if (fsReason(error) === 'permission denied') throw new Error(`cannot ${verb} ${file}: ${deniedText(file)}`);
			// missing (or gone meanwhile): the caller says so
		}
	}
}

export class SqliteBackend {
	readonly name = 'sqlite';
	readonly keeper = new StatusKeeper();
	/** the last read through SQLite that worked, and the files' signature before it */
	#lastRead: {readonly signature: string; readonly at: number; readonly info: SqliteInfo} | undefined;

	constructor(readonly path: string) {}

	get status() {
		return this.keeper.status;
	}

	async start(): Promise<void> {
		await loadSqlite();
	}

	/** Opens the data file (must exist). The caller closes it. */
	async open(options: {readonly readonly?: boolean} = {}): Promise<SqliteDatabase> {
		const Database = await loadSqlite();
		assertDataFile(this.path, {write: options.readonly !== true});
		return new Database(this.path, {readonly: options.readonly ?? false, fileMustExist: true, timeout: 2000});
	}

	/** Size, WAL size, journal mode and page count; a reason instead when the file cannot be read. */
	async info(): Promise<SqliteInfo> {
		const started = performance.now();
		// one stat of each file a poll (the Status tab's, each second: bench P5b): the sizes shown, the
		// regular-file check and the signature all read it (it was 8 calls: 4 stats of the data file)
		let mainStat: {readonly stat?: fs.BigIntStats | undefined; readonly error?: unknown};
		try {
			mainStat = {stat: statOf(this.path)};
		} catch (error) {
			mainStat = {error};
		}
		const readMain = () => {
			if (mainStat.error !== undefined) throw mainStat.error;
			return mainStat.stat;
		};
		let walStat: {readonly stat?: fs.BigIntStats | undefined; readonly error?: unknown};
		try {
			walStat = {stat: statOf(`${this.path}-wal`)};
		} catch (error) {
			walStat = {error};
		}
		const readWal = () => {
			if (walStat.error !== undefined) throw walStat.error;
			return walStat.stat;
		};
		const base = {path: this.path, sizeBytes: sizeOf(readMain), walBytes: sizeOf(readWal)};
		let db: SqliteDatabase | undefined;
		try {
			// first: a folder on the way that cannot be entered looks like a missing file
			assertDataFile(this.path, {stat: readMain});
			if (mainStat.stat === undefined) throw new Error(`no such file: ${this.path}`);
			const signature = filesSignature(mainStat.stat, readWal(), statOf(`${this.path}-journal`));
			const last = this.#lastRead;
			if (last?.signature === signature && started - last.at < sqliteFullReadMs) {
				this.keeper.up();
				return {...last.info, ...base};
			}
			db = await this.open({readonly: true});
			const journalMode = db.pragma('journal_mode', {simple: true}) as string;
			const pageCount = db.pragma('page_count', {simple: true}) as number;
			const pageSize = db.pragma('page_size', {simple: true}) as number;
			// reading the schema proves the file is a database, not just a file
			db.prepare('select count(*) from sqlite_schema').get();
			this.keeper.up(performance.now() - started);
			const info = {...base, ok: true, error: undefined, journalMode, pageCount, pageSize, modifiedAt: fs.statSync(this.path).mtimeMs};
			this.#lastRead = {signature, at: started, info};
			return info;
		} catch (error) {
			this.#lastRead = undefined;
			this.keeper.down(error);
			return {...base, ok: false, error: errorMessage(error), journalMode: undefined, pageCount: undefined, pageSize: undefined, modifiedAt: undefined};
		} finally {
			db?.close();
		}
	}

	async close(): Promise<void> {
		// nothing held open
	}
}
