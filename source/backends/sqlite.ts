// The app's SQLite data file. Opened per use (never held open by the console, so a restore can tell
// whether the app holds it). A missing or unreadable file is a state with a reason, not a crash.
import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
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

function fileSize(file: string): number | undefined {
	try {
		return fs.statSync(file).size;
	} catch {
		return undefined;
	}
}

/**
 * SQLite opens whatever the path names: a fifo blocked the open (and a worker thread stuck in it
 * held `backup create` past every signal), a device or a folder gives errors that do not say so.
 * Only a regular file (or a symlink to one) is opened.
 */
export function assertRegularFile(file: string): void {
	let stat: fs.Stats;
	try {
		stat = fs.statSync(file);
	} catch {
		return; // missing: the caller says so in its own words
	}
	if (stat.isFile()) return;
	const what = stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a fifo' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';
	throw new Error(`${file} is ${what}, not an SQLite data file`);
}

export class SqliteBackend {
	readonly name = 'sqlite';
	readonly keeper = new StatusKeeper();

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
		assertRegularFile(this.path);
		return new Database(this.path, {readonly: options.readonly ?? false, fileMustExist: true, timeout: 2000});
	}

	/** Size, WAL size, journal mode and page count; a reason instead when the file cannot be read. */
	async info(): Promise<SqliteInfo> {
		const started = performance.now();
		const base = {path: this.path, sizeBytes: fileSize(this.path), walBytes: fileSize(`${this.path}-wal`)};
		let db: SqliteDatabase | undefined;
		try {
			if (!fs.existsSync(this.path)) throw new Error(`no such file: ${this.path}`);
			assertRegularFile(this.path);
			db = await this.open({readonly: true});
			const journalMode = db.pragma('journal_mode', {simple: true}) as string;
			const pageCount = db.pragma('page_count', {simple: true}) as number;
			const pageSize = db.pragma('page_size', {simple: true}) as number;
			// reading the schema proves the file is a database, not just a file
			db.prepare('select count(*) from sqlite_schema').get();
			this.keeper.up(performance.now() - started);
			return {...base, ok: true, error: undefined, journalMode, pageCount, pageSize, modifiedAt: fs.statSync(this.path).mtimeMs};
		} catch (error) {
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
