// A restore drill's checks on the scratch copy of a backup, in a worker thread. The drill runs two
// of these at once (../drill.ts): one with integrity_check (the long one), the other with the sha256
// of the copy, foreign_key_check, the row counts and the operator's check queries, so the two
// overlap. The copy is opened read-only: the checks never write, not even to the scratch file.
import type {DrillCheck, DrillPartResult, DrillTask, ForeignKeyProblem} from './protocol.js';
import {messageOf, sha256, tableCounts, type Db, type Thread} from './thread.js';

/** how many foreign-key problems are kept as samples (all are counted) */
const sampleRows = 20;

function foreignKeys(db: Db): {count: number; samples: ForeignKeyProblem[]} {
	const samples: ForeignKeyProblem[] = [];
	let count = 0;
	for (const row of db.prepare('pragma foreign_key_check').iterate() as Iterable<{table: string; rowid: number | null; parent: string; fkid: number}>) {
		count++;
		if (samples.length < sampleRows) samples.push({table: row.table, rowid: row.rowid, parent: row.parent, fkid: row.fkid});
	}
	return {count, samples};
}

/** truthy as SQL means it: not NULL, not 0, not '' (a string '0' or 'false' is false too) */
function truthy(value: unknown): boolean {
	if (value === null || value === undefined) return false;
	if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
	if (typeof value === 'string') return !['', '0', 'false', 'f', 'no'].includes(value.trim().toLowerCase());
	if (Buffer.isBuffer(value)) return value.length > 0;
	return Boolean(value);
}

function runCheck(db: Db, sql: string): DrillCheck {
	try {
		const statement = db.prepare(sql);
		if (!statement.reader) return {sql, ok: false, error: 'not a query that returns a value'};
		const row = statement.raw(true).get() as unknown[] | undefined;
		if (row === undefined) return {sql, ok: false, value: null, error: 'returned no row'};
		const value = row[0];
		const shown = typeof value === 'bigint' ? Number(value) : Buffer.isBuffer(value) ? `<${value.length} bytes>` : value;
		return {sql, ok: truthy(value), value: shown as DrillCheck['value']};
	} catch (error) {
		return {sql, ok: false, error: messageOf(error)};
	}
}

export function drillPart({Database}: Thread, task: DrillTask): DrillPartResult {
	let hash: string | undefined;
	if (task.hash) hash = sha256(task.file);
	const db = new Database(task.file, {readonly: true, fileMustExist: true, timeout: 5000});
	try {
		db.pragma('mmap_size = 1099511627776');
		const result: {-readonly [K in keyof DrillPartResult]: DrillPartResult[K]} = {sha256: hash};
		if (task.integrity) {
			const rows = db.pragma('integrity_check(20)', {simple: false}) as Record<string, unknown>[];
			result.integrity = rows.map(r => String(Object.values(r)[0])).join('; ');
		}
		if (task.relations) result.foreignKeys = foreignKeys(db);
		if (task.counts) result.tables = tableCounts(db);
		if (task.checks && task.checks.length > 0) {
			// the operator's queries run on the copy with writes refused (query_only), one at a time
			db.pragma('query_only = 1');
			result.checks = task.checks.map(sql => runCheck(db, sql));
		}
		return result;
	} finally {
		db.close();
	}
}
