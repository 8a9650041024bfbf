// The integrity of relations between tables (issue 19): SQLite's foreign_key_check for the foreign
// keys the schema declares, grouped per key with a count and sample rows, and the orphan checks the
// operator configures (ORPHAN_CHECKS, child_table.column->parent_table.column) for relations the
// schema does not declare: child rows whose value has no parent row. Read-only; names are checked
// against the schema and quoted; sample values are returned raw (the writer escapes them).
import type {SqliteBackend, SqliteDatabase} from '../backends/sqlite.js';
import type {OrphanCheck} from '../config/backup-settings.js';
import {quoteIdentifier as q} from './maintenance.js';

/** how many orphan rows are shown per relation (all are counted) */
export const sampleLimit = 5;

export type SampleValue = string | number | null;
export type SampleRow = Readonly<Record<string, SampleValue>>;

export type ForeignKeyGroup = {
	readonly table: string;
	readonly columns: readonly string[];
	readonly parent: string;
	readonly parentColumns: readonly string[];
	readonly count: number;
	readonly samples: readonly SampleRow[];
};

export type OrphanResult = OrphanCheck & {
	readonly status: 'checked' | 'declared' | 'error';
	readonly count: number;
	readonly samples: readonly SampleRow[];
	readonly error?: string;
};

export type RelationsResult = {
	readonly ok: boolean;
	/** foreign keys the schema declares (all tables) */
	readonly declared: number;
	readonly foreignKeys: readonly ForeignKeyGroup[];
	readonly orphanChecks: readonly OrphanResult[];
	readonly durationMs: number;
};

type FkListRow = {id: number; table: string; from: string; to: string | null};

function tables(db: SqliteDatabase): string[] {
	return db.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
}

function sampleValue(value: unknown): SampleValue {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number' || typeof value === 'string') return value;
	if (typeof value === 'bigint') return value.toString();
	if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
	return String(value);
}

function sampleRow(row: Record<string, unknown>): SampleRow {
	return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, sampleValue(v)]));
}

function foreignKeyGroups(db: SqliteDatabase): {declared: number; groups: ForeignKeyGroup[]; declaredColumns: Set<string>} {
	const lists = new Map<string, FkListRow[]>();
	const declaredColumns = new Set<string>();
	let declared = 0;
	for (const table of tables(db)) {
		const list = db.prepare(`select * from pragma_foreign_key_list(?)`).all(table) as FkListRow[];
		lists.set(table, list);
		declared += new Set(list.map(r => r.id)).size;
		for (const r of list) declaredColumns.add(`${table}.${r.from}->${r.table}`);
	}
	const groups = new Map<string, {table: string; fkid: number; parent: string; count: number; rowids: (number | null)[]}>();
	for (const row of db.prepare('pragma foreign_key_check').iterate() as Iterable<{table: string; rowid: number | null; parent: string; fkid: number}>) {
		const key = `${row.table}\u0000${row.fkid}`;
		const group = groups.get(key) ?? {table: row.table, fkid: row.fkid, parent: row.parent, count: 0, rowids: []};
		group.count++;
		if (group.rowids.length < sampleLimit) group.rowids.push(row.rowid);
		groups.set(key, group);
	}
	const out: ForeignKeyGroup[] = [];
	for (const g of groups.values()) {
		const parts = (lists.get(g.table) ?? []).filter(r => r.id === g.fkid);
		const byRowid = db.prepare(`select * from ${q(g.table)} where rowid = ?`);
		const samples = g.rowids.filter((r): r is number => r !== null).map(r => byRowid.get(r) as Record<string, unknown> | undefined).filter(Boolean).map(r => sampleRow(r!));
		out.push({table: g.table, columns: parts.map(p => p.from), parent: g.parent, parentColumns: parts.map(p => p.to ?? '(primary key)'), count: g.count, samples});
	}
	return {declared, groups: out, declaredColumns};
}

function columnsOf(db: SqliteDatabase, table: string): string[] {
	return (db.prepare('select name from pragma_table_info(?)').pluck().all(table) as string[]);
}

function orphanCheck(db: SqliteDatabase, check: OrphanCheck, declaredColumns: ReadonlySet<string>): OrphanResult {
	const base = {...check, count: 0, samples: [] as SampleRow[]};
	for (const [table, column] of [[check.child, check.childColumn], [check.parent, check.parentColumn]] as const) {
		const columns = columnsOf(db, table);
		if (columns.length === 0) return {...base, status: 'error', error: `no table ${table}`};
		if (!columns.includes(column)) return {...base, status: 'error', error: `no column ${column} in ${table}`};
	}
	// a relation the schema declares is foreign_key_check's: not counted twice
	if (declaredColumns.has(`${check.child}.${check.childColumn}->${check.parent}`)) return {...base, status: 'declared'};
	const where = `c.${q(check.childColumn)} is not null and not exists (select 1 from ${q(check.parent)} p where p.${q(check.parentColumn)} = c.${q(check.childColumn)})`;
	try {
		const count = db.prepare(`select count(*) from ${q(check.child)} c where ${where}`).pluck().get() as number;
		const samples = count === 0 ? [] : (db.prepare(`select c.* from ${q(check.child)} c where ${where} limit ${sampleLimit}`).all() as Record<string, unknown>[]).map(sampleRow);
		return {...base, status: 'checked', count, samples};
	} catch (error) {
		return {...base, status: 'error', error: (error as Error).message};
	}
}

/** foreign_key_check and the configured orphan checks on the live data file (read-only). */
export async function checkRelations(sqlite: SqliteBackend, checks: readonly OrphanCheck[]): Promise<RelationsResult> {
	const started = performance.now();
	const db = await sqlite.open({readonly: true});
	try {
		const {declared, groups, declaredColumns} = foreignKeyGroups(db);
		const orphanChecks = checks.map(check => orphanCheck(db, check, declaredColumns));
		const ok = groups.length === 0 && orphanChecks.every(c => c.status !== 'error' && c.count === 0);
		return {ok, declared, foreignKeys: groups, orphanChecks, durationMs: Math.round(performance.now() - started)};
	} finally {
		db.close();
	}
}
