// SqliteBackend.info() on real files: a WAL database, a missing file, a file that is not a database.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, it} from 'vitest';
import {SqliteBackend} from '../../source/backends/sqlite.js';
import {type TempSqlite, tempSqlite} from '../helpers/sqlite.js';

const temps: TempSqlite[] = [];
function temp(opts?: Parameters<typeof tempSqlite>[0]): TempSqlite {
	const t = tempSqlite(opts);
	temps.push(t);
	return t;
}

afterEach(() => {
	for (const t of temps.splice(0)) t.cleanup();
});

describe('SqliteBackend.info', () => {
	it('reports size, WAL size, journal mode and page count of a WAL database', async () => {
		const t = temp({keepOpen: true, messages: 200});
		// a write after seeding stays in the WAL while the writer holds the file open
		t.db!.prepare("insert into chats (code, name) values ('wal', 'In the WAL')").run();
		const backend = new SqliteBackend(t.path);
		const info = await backend.info();
		expect(info.ok).toBe(true);
		expect(info.error).toBeUndefined();
		expect(info.path).toBe(t.path);
		expect(info.journalMode).toBe('wal');
		expect(info.sizeBytes).toBe(fs.statSync(t.path).size);
		expect(info.walBytes).toBeGreaterThan(0);
		expect(info.walBytes).toBe(fs.statSync(`${t.path}-wal`).size);
		expect(info.pageSize).toBeGreaterThan(0);
		expect(info.pageCount).toBeGreaterThan(1);
		expect(info.modifiedAt).toBeGreaterThan(0);
		expect(backend.status.state).toBe('up');
		expect(backend.status.latencyMs).toBeGreaterThanOrEqual(0);
		// reading did not disturb the writer
		expect(t.db!.prepare('select count(*) as n from chats').get()).toEqual({n: 3});
	});

	it('a closed WAL database still reports wal, with no WAL file left', async () => {
		const t = temp();
		const info = await new SqliteBackend(t.path).info();
		expect(info).toMatchObject({ok: true, journalMode: 'wal'});
		expect(info.walBytes === undefined || info.walBytes === 0).toBe(true);
		// info() opens read-only and closes: it leaves no file behind it did not find
		expect(fs.readdirSync(t.dir).filter(name => name.endsWith('-journal'))).toEqual([]);
	});

	it('a missing file is ok:false with a reason that names the path, and no throw', async () => {
		const t = temp({seed: false});
		const backend = new SqliteBackend(t.path);
		const info = await backend.info();
		expect(info.ok).toBe(false);
		expect(info.error).toContain(t.path);
		expect(info.sizeBytes).toBeUndefined();
		expect(info.journalMode).toBeUndefined();
		expect(backend.status.state).toBe('down');
		expect(backend.status.lastError).toContain(t.path);
		// and it did not create the file
		expect(fs.existsSync(t.path)).toBe(false);
	});

	it('a file that is not a database is ok:false', async () => {
		const t = temp({seed: false});
		fs.writeFileSync(t.path, 'this is a text file, not a database\n'.repeat(200));
		const info = await new SqliteBackend(t.path).info();
		expect(info.ok).toBe(false);
		expect(info.error).toMatch(/not a database|file is not/i);
		expect(info.sizeBytes).toBe(fs.statSync(t.path).size);
	});

	it('an empty file reads as an empty database: no pages, not WAL (and it stays empty)', async () => {
		const t = temp({seed: false});
		fs.writeFileSync(t.path, '');
		const info = await new SqliteBackend(t.path).info();
		expect(info).toMatchObject({sizeBytes: 0, pageCount: 0});
		expect(info.journalMode).not.toBe('wal');
		expect(fs.statSync(t.path).size).toBe(0);
	});

	it('a directory in place of the file is ok:false', async () => {
		const t = temp({seed: false});
		fs.mkdirSync(t.path);
		const info = await new SqliteBackend(t.path).info();
		expect(info.ok).toBe(false);
		expect(info.error).toBeTruthy();
	});

	it('between two reads through SQLite, sees at once a file that changed, was replaced or went', async () => {
		const t = temp();
		const backend = new SqliteBackend(t.path);
		expect(await backend.info()).toMatchObject({ok: true, journalMode: 'wal'});
		// the same files: the same answer, with the same sizes, and the file is not opened again (a
		// read-only open rewrites the WAL index when nothing else holds the file)
		expect(await backend.info()).toMatchObject({ok: true, journalMode: 'wal', sizeBytes: fs.statSync(t.path).size});
		const index = () => fs.statSync(`${t.path}-shm`, {bigint: true, throwIfNoEntry: false})?.mtimeNs;
		const before = index();
		await new Promise(resolve => setTimeout(resolve, 30));
		expect(await backend.info()).toMatchObject({ok: true, journalMode: 'wal'});
		expect(index()).toBe(before);
		// a change of journal mode rewrites the header: read again at once, not sqliteFullReadMs later
		const db = new Database(t.path);
		db.pragma('journal_mode = delete');
		db.close();
		expect(await backend.info()).toMatchObject({ok: true, journalMode: 'delete'});
		// replaced by a file of the same size that is not a database
		const size = fs.statSync(t.path).size;
		fs.writeFileSync(`${t.path}.new`, 'x'.repeat(size));
		fs.renameSync(`${t.path}.new`, t.path);
		expect(await backend.info()).toMatchObject({ok: false});
		expect(backend.status.state).toBe('down');
		fs.rmSync(t.path);
		expect((await backend.info()).error).toContain(t.path);
	});

	it('comes back up when the file appears', async () => {
		const t = temp({seed: false});
		const backend = new SqliteBackend(path.join(t.dir, 'later.db'));
		expect((await backend.info()).ok).toBe(false);
		const seeded = temp();
		fs.copyFileSync(seeded.path, backend.path);
		expect((await backend.info()).ok).toBe(true);
		expect(backend.status.state).toBe('up');
	});
});
