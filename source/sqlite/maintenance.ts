// Maintenance of the SQLite data file, as the app's maintenance guide asks: integrity and foreign
// key checks, VACUUM, ANALYZE (both through the mutation guard, like every op that writes), and the
// export of one table (streamed row by row with .iterate(), so a big table never sits in memory).
// The table name is checked against sqlite_schema and quoted.
import type {Writable} from 'node:stream';
import type {SqliteBackend, SqliteDatabase} from '../backends/sqlite.js';
import type {Config} from '../config/config.js';
import {runMutation, type MutationRequest} from '../mutations/registry.js';
import {jsonText, quote} from '../text/sanitize.js';

type GuardConfig = Pick<Config, 'sqlitePath' | 'readOnly' | 'auditLog'>;

export class TableNotFoundError extends Error {
	constructor(table: string, available: readonly string[]) {
		super(`no table named ${quote(table.slice(0, 60))}; tables: ${available.join(', ') || 'none'}`);
		this.name = 'TableNotFoundError';
	}
}

export function quoteIdentifier(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

export type CheckResult = {
	readonly ok: boolean;
	/** integrity_check's answer: ['ok'] or the problems (at most 100) */
	readonly integrity: readonly string[];
	readonly foreignKeys: readonly {table: string; rowid: number | null; parent: string; fkid: number}[];
	readonly durationMs: number;
};

async function withDb<T>(sqlite: SqliteBackend, readonly: boolean, fn: (db: SqliteDatabase) => T): Promise<T> {
	const db = await sqlite.open({readonly});
	try {
		return fn(db);
	} finally {
		db.close();
	}
}

export async function checkDatabase(sqlite: SqliteBackend): Promise<CheckResult> {
	const started = performance.now();
	return withDb(sqlite, true, db => {
		const integrity = (db.pragma('integrity_check(100)') as Record<string, string>[]).map(row => String(Object.values(row)[0]));
		const foreignKeys = (db.pragma('foreign_key_check') as {table: string; rowid: number | null; parent: string; fkid: number}[]).slice(0, 1000);
		const ok = integrity.length === 1 && integrity[0] === 'ok' && foreignKeys.length === 0;
		return {ok, integrity, foreignKeys, durationMs: Math.round(performance.now() - started)};
	});
}

export type VacuumResult = {readonly beforeBytes: number; readonly afterBytes: number; readonly durationMs: number};

function fileBytes(db: SqliteDatabase): number {
	return (db.pragma('page_count', {simple: true}) as number) * (db.pragma('page_size', {simple: true}) as number);
}

/** What VACUUM is audited and confirmed as (the op and `sqlite vacuum`). */
export function vacuumRequest(config: Pick<Config, 'sqlitePath'>): MutationRequest {
	return {action: 'sqlite-vacuum', target: config.sqlitePath};
}

/** What ANALYZE is audited and confirmed as (the op and `sqlite analyze`). */
export function analyzeRequest(config: Pick<Config, 'sqlitePath'>): MutationRequest {
	return {action: 'sqlite-analyze', target: config.sqlitePath};
}

/** VACUUM, through the mutation guard: rebuilds the file without free pages (needs as much free disk as the file). */
export async function vacuumDatabase(config: GuardConfig, sqlite: SqliteBackend): Promise<VacuumResult> {
	return runMutation(config, vacuumRequest(config), async () => {
		const started = performance.now();
		return withDb(sqlite, false, db => {
			const beforeBytes = fileBytes(db);
			db.exec('VACUUM');
			return {beforeBytes, afterBytes: fileBytes(db), durationMs: Math.round(performance.now() - started)};
		});
	});
}

/** ANALYZE, through the mutation guard. */
export async function analyzeDatabase(config: GuardConfig, sqlite: SqliteBackend): Promise<{durationMs: number; tables: number}> {
	return runMutation(config, analyzeRequest(config), async () => {
		const started = performance.now();
		return withDb(sqlite, false, db => {
			db.exec('ANALYZE');
			const tables = db.prepare("select count(*) from sqlite_schema where type = 'table' and name not like 'sqlite_%'").pluck().get() as number;
			return {durationMs: Math.round(performance.now() - started), tables};
		});
	});
}

export function listTables(db: SqliteDatabase): string[] {
	return db.prepare("select name from sqlite_schema where type in ('table', 'view') and name not like 'sqlite_%' order by name").pluck().all() as string[];
}

function plain(value: unknown): unknown {
	if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
	if (Buffer.isBuffer(value)) return value.toString('hex');
	return value;
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
	const v = plain(value);
	if (v === null || v === undefined) return '';
	const text = String(v);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function write(out: Writable, text: string): Promise<void> {
	if (!out.write(text)) await new Promise<void>(resolve => out.once('drain', resolve));
}

/**
 * Streams every row of `table` to `out` as CSV (header line first) or as a JSON array (one object a
 * line). Integers beyond 2^53 are written as strings, blobs as hex. Returns the number of rows.
 */
export async function exportTable(sqlite: SqliteBackend, table: string, format: 'csv' | 'json', out: Writable): Promise<number> {
	const db = await sqlite.open({readonly: true});
	try {
		const tables = listTables(db);
		if (!tables.includes(table)) throw new TableNotFoundError(table, tables);
		const statement = db.prepare(`select * from ${quoteIdentifier(table)}`).safeIntegers(true);
		const columns = statement.columns().map(c => c.name);
		let rows = 0;
		if (format === 'csv') await write(out, columns.map(csvField).join(',') + '\r\n');
		else await write(out, '[');
		for (const row of statement.raw(true).iterate() as Iterable<unknown[]>) {
			if (format === 'csv') {
				await write(out, row.map(csvField).join(',') + '\r\n');
			} else {
				const object: Record<string, unknown> = {};
				columns.forEach((name, i) => (object[name] = plain(row[i])));
				// jsonText: the same data, with nothing a terminal acts on (column names and cells are the file's)
				await write(out, (rows === 0 ? '\n' : ',\n') + jsonText(object));
			}
			rows++;
		}
		if (format === 'json') await write(out, rows === 0 ? ']\n' : '\n]\n');
		return rows;
	} finally {
		db.close();
	}
}
