// A SQLite file examined in a worker: size, sha256, page size and count, quick_check or
// integrity_check (or only whether it opens), row counts. Used to verify backups and restores.
import fs from 'node:fs';
import type {InspectResult, InspectTask, TableCounts} from './protocol.js';
import {codeOf, messageOf, pragmaValue, sha256, tableCounts, type Db, type Thread} from './thread.js';

// the biggest backup read into memory when SQLite cannot open it where it is
const inMemoryLimit = 1024 * 1024 * 1024;

export function inspect({Database, post}: Thread, task: InspectTask): InspectResult {
	const sizeBytes = fs.statSync(task.file).size;
	let sha: string | undefined;
	if (task.hash) {
		post({type: 'progress', phase: 'hash'});
		sha = sha256(task.file);
	}
	if (!task.check && !task.counts) {
		// the checksum alone: page size and count from the header, without SQLite opening the file
		// (so no -wal/-shm appear beside it while another worker reads it)
		const header = Buffer.alloc(100);
		const fd = fs.openSync(task.file, 'r');
		try {
			fs.readSync(fd, header, 0, 100, 0);
		} finally {
			fs.closeSync(fd);
		}
		const raw = header.readUInt16BE(16);
		return {sizeBytes, sha256: sha, pageSize: raw === 1 ? 65536 : raw, pageCount: header.readUInt32BE(28), tables: {}, check: undefined, error: undefined};
	}
	// Never leave -wal/-shm files behind that were not there before.
	const had = ['-wal', '-shm'].filter(s => fs.existsSync(task.file + s));
	let check: string | undefined;
	let pageCount: number | undefined;
	let pageSize: number | undefined;
	let error: string | undefined;
	let tables: TableCounts = {};
	const examine = (db: Db) => {
		try {
			// through mmap, quick_check reads pages without a syscall each (about twice as fast)
			db.pragma('mmap_size = 1099511627776');
			const pages = pragmaValue(db, 'page_count');
			const size = pragmaValue(db, 'page_size');
			pageCount = pages;
			pageSize = size;
			if (task.check === 'open') {
				// the file opens, its schema reads, and it is as long as its pages say
				db.prepare('select count(*) from sqlite_schema').get();
				check = pages * size === sizeBytes ? 'ok' : `size ${sizeBytes} bytes, pages say ${pages * size}`;
			} else if (task.check) {
				post({type: 'progress', phase: 'check'});
				const rows = db.pragma(task.check === 'integrity' ? 'integrity_check(20)' : 'quick_check(20)', {simple: false}) as Record<string, unknown>[];
				check = rows.map(r => Object.values(r)[0]).join('; ');
			}
			if (task.counts) {
				post({type: 'progress', phase: 'count'});
				tables = tableCounts(db);
			}
		} finally {
			db.close();
		}
	};
	try {
		try {
			examine(new Database(task.file, {readonly: true, fileMustExist: true, timeout: 5000}));
		} catch (e) {
			// A backup in WAL mode needs a -shm file beside it even to be read: in a read-only or full
			// folder SQLite cannot open it, and a good backup was reported FAILED (issue 13, case 14).
			// Read it into memory instead (nothing is written anywhere), when it is not too big.
			const code = codeOf(e);
			if (!(code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL') || sizeBytes > inMemoryLimit) throw e;
			const bytes = fs.readFileSync(task.file);
			// bytes 18/19 = 2 mean WAL mode; a deserialized database cannot be in WAL mode
			if (bytes.length >= 100 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
			examine(new Database(bytes, {readonly: true}));
		}
	} catch (e) {
		// SQLite cannot read it: an answer, not a failure of the task (the checksum is still compared)
		error = messageOf(e);
	}
	for (const suffix of ['-wal', '-shm']) if (!had.includes(suffix)) fs.rmSync(task.file + suffix, {force: true});
	// (pageCount and pageSize are undefined when SQLite could not read the file: error says why)
	return {sizeBytes, sha256: sha, pageCount: pageCount!, pageSize: pageSize!, tables, check, error};
}
