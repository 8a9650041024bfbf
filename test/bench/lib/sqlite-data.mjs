// The ~500 MB SQLite data file for P3/P4: built once (about a minute) and cached in the temp dir,
// keyed by a version, so later runs start at once. WAL mode, the chat app's tables, realistic rows
// (uuids, chat codes, user names, 40-120 word messages, ISO dates) and their indexes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const version = 'v1';
export const targetBytes = Number(process.env.BENCH_SQLITE_MB ?? 500) * 1024 * 1024;

const words = ('the a to and of is in it you that for on was with as have be at this are we but not they what so if all ' +
	'deploy cache redis postgres backup restore message chat pinned thread reply ping latency server client queue worker ' +
	'release rollback migration index query table schema monitor alert webhook token session login logout user admin ' +
	'tomorrow today yesterday meeting lunch coffee weekend great thanks sorry please maybe later sure okay nice done ' +
	'bug fix issue ticket review merge branch commit build test pipeline green red flaky retry timeout error warning').split(' ');

function rng(seed) {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function build(file, log) {
	const started = Date.now();
	for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, {force: true});
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = OFF');
	db.exec(`
		create table chats (code text primary key, name text not null, created_at text not null);
		create table users (username text primary key, display_name text, created_at text not null);
		create table messages (id text primary key, chat_code text not null references chats(code), username text not null,
			content text not null, created_at text not null, edited_at text, reply_to text);
		create index messages_chat_created on messages (chat_code, created_at);
		create index messages_user on messages (username);
	`);
	const random = rng(42);
	const pick = list => list[Math.floor(random() * list.length)];
	const chats = Array.from({length: 400}, (_, i) => `C${i + 1}`);
	const users = Array.from({length: 5000}, (_, i) => `user${i + 1}`);
	db.transaction(() => {
		const t0 = Date.parse('2025-01-01T00:00:00Z');
		for (const code of chats) db.prepare('insert into chats values (?, ?, ?)').run(code, `Chat ${code}`, new Date(t0).toISOString());
		for (const name of users) db.prepare('insert into users values (?, ?, ?)').run(name, name.toUpperCase(), new Date(t0).toISOString());
	})();
	const insert = db.prepare('insert into messages values (?, ?, ?, ?, ?, ?, ?)');
	let at = Date.parse('2025-01-01T00:00:00Z');
	let rows = 0;
	const pageSize = db.pragma('page_size', {simple: true});
	for (;;) {
		db.transaction(() => {
			for (let i = 0; i < 50_000; i++) {
				const length = 40 + Math.floor(random() * 80);
				const text = [];
				for (let w = 0; w < length; w++) text.push(pick(words));
				at += Math.floor(random() * 3000);
				insert.run(crypto.randomUUID(), pick(chats), pick(users), text.join(' '), new Date(at).toISOString(), random() < 0.05 ? new Date(at + 60_000).toISOString() : null, null);
				rows++;
			}
		})();
		const bytes = db.pragma('page_count', {simple: true}) * pageSize;
		if (bytes >= targetBytes) break;
		log?.(`  building SQLite data file: ${rows.toLocaleString('en-US')} rows, ${(bytes / 1048576).toFixed(0)} MB`);
	}
	// The live file as the app leaves it: WAL mode, most pages in the main file.
	db.pragma('wal_checkpoint(TRUNCATE)');
	db.close();
	log?.(`  built ${file} (${rows.toLocaleString('en-US')} rows, ${(fs.statSync(file).size / 1048576).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return rows;
}

/** The cached data file (built when missing): {file, sizeBytes, rows}. Never modified by the bench: copy it first. */
export function cachedDataFile(log) {
	const dir = path.join(os.tmpdir(), 'opsdeck-bench-cache');
	fs.mkdirSync(dir, {recursive: true});
	const mb = Math.round(targetBytes / 1048576);
	const file = path.join(dir, `app-${mb}mb-${version}.db`);
	const marker = `${file}.done`;
	let rows;
	if (fs.existsSync(marker) && fs.existsSync(file)) rows = JSON.parse(fs.readFileSync(marker, 'utf8')).rows;
	else {
		fs.rmSync(marker, {force: true});
		rows = build(file, log);
		fs.writeFileSync(marker, JSON.stringify({rows}));
	}
	return {file, sizeBytes: fs.statSync(file).size, rows};
}
