// Shared by the backup and restore tests: a config for a temp folder, a child process that keeps
// writing paired rows (the way the app writes while a backup runs), and file fingerprints.
import {spawn, type ChildProcess} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import Database from 'better-sqlite3';
import {expect} from 'vitest';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

export function backupConfig(dir: string, file: string, extra: {readOnly?: boolean; backupRetention?: number} = {}) {
	return {
		sqlitePath: file,
		backupDir: path.join(dir, 'backups'),
		backupRetention: extra.backupRetention ?? 7,
		readOnly: extra.readOnly ?? false,
		auditLog: path.join(dir, 'audit.log'),
	};
}

export function sha256(file: string): string {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Adds ~mb megabytes of rows (fast: generated inside SQLite). */
export function grow(file: string, mb: number): void {
	const db = new Database(file);
	db.exec('create table if not exists filler (id integer primary key, body blob not null)');
	const rows = Math.ceil((mb * 1024 * 1024) / 1000);
	db.prepare('with recursive c(x) as (select 1 union all select x + 1 from c where x < ?) insert into filler (body) select randomblob(1000) from c').run(rows);
	db.pragma('wal_checkpoint(TRUNCATE)');
	db.close();
}

export function rowCount(file: string, table: string): number {
	const db = new Database(file, {readonly: true});
	try {
		return db.prepare(`select count(*) from "${table}"`).pluck().get() as number;
	} finally {
		db.close();
	}
}

/**
 * Another process writing ~1,000 rows a second: each transaction inserts the same sequence number
 * into `pair_a` and `pair_b`, so a torn snapshot would show the two tables disagreeing.
 */
/**
 * A copy of startPairWriter's file is a whole database holding a prefix of its writes: integrity_check
 * ok, and both tables end at the same transaction with no gap. Returns pair_a's count.
 */
export function expectPairPrefix(file: string): number {
	const db = new Database(file, {readonly: true});
	try {
		expect(db.pragma('integrity_check', {simple: true})).toBe('ok');
		const a = db.prepare('select count(*) as n, coalesce(max(seq), 0) as max from pair_a').get() as {n: number; max: number};
		const b = db.prepare('select count(*) as n, coalesce(max(seq), 0) as max from pair_b').get() as {n: number; max: number};
		expect(b).toEqual(a);
		expect(a.max).toBe(a.n);
		return a.n;
	} finally {
		db.close();
	}
}

export function startPairWriter(file: string, options: {readonly journal?: 'WAL' | 'DELETE'; /** WAL pages before a checkpoint (1: after every commit; 0: never) */ readonly autocheckpoint?: number; /** between commits (2) */ readonly everyMs?: number} = {}): {child: ChildProcess; stop: () => Promise<void>} {
	const code = `
		const Database = require(${JSON.stringify(driver)});
		const db = new Database(${JSON.stringify(file)}, {timeout: 5000});
		db.pragma('journal_mode = ${options.journal ?? 'WAL'}');
		${options.autocheckpoint === undefined ? '' : `db.pragma('wal_autocheckpoint = ${options.autocheckpoint}');`}
		db.exec('create table if not exists pair_a (seq integer primary key, at integer); create table if not exists pair_b (seq integer primary key, at integer)');
		let seq = db.prepare('select coalesce(max(seq), 0) from pair_a').pluck().get();
		const a = db.prepare('insert into pair_a (seq, at) values (?, ?)');
		const b = db.prepare('insert into pair_b (seq, at) values (?, ?)');
		const tx = db.transaction(n => { a.run(n, Date.now()); b.run(n, Date.now()); });
		process.stdout.write('ready\\n');
		setInterval(() => { seq++; tx(seq); }, ${options.everyMs ?? 2});
		process.on('SIGTERM', () => { db.close(); process.exit(0); });
	`;
	const child = spawn(process.execPath, ['-e', code], {stdio: ['ignore', 'pipe', 'inherit']});
	return {
		child,
		stop: () => new Promise<void>(resolve => {
			if (child.exitCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		}),
	};
}

export async function waitReady(child: ChildProcess): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('ready')) resolve();
		});
		child.once('exit', code => reject(new Error(`writer exited (${code})`)));
	});
}
