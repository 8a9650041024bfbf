// A temp directory with (optionally) a seeded SQLite data file in WAL mode, like the app's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

export type TempSqliteOptions = {
	/** create and seed the data file (default true); false = only the directory and the path */
	readonly seed?: boolean;
	/** file name inside the directory (default app.db) */
	readonly fileName?: string;
	/** rows in the messages table (default 20) */
	readonly messages?: number;
	/** keep a writer connection open (so the -wal file stays); closed by cleanup() */
	readonly keepOpen?: boolean;
};

export type TempSqlite = {
	readonly dir: string;
	readonly path: string;
	/** the writer connection when keepOpen was set */
	readonly db: Database.Database | undefined;
	/** closes the connection (if any) and removes the directory */
	cleanup(): void;
};

/**
 * Makes a temp dir and, unless seed is false, a WAL-mode database in it with two tables:
 * `chats (code text primary key, name text)` and `messages (id, chat_code, username, content, created_at)`.
 */
export function tempSqlite(opts: TempSqliteOptions = {}): TempSqlite {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-sqlite-'));
	const file = path.join(dir, opts.fileName ?? 'app.db');
	let db: Database.Database | undefined;
	if (opts.seed ?? true) {
		db = new Database(file);
		db.pragma('journal_mode = WAL');
		db.exec(`
			create table chats (code text primary key, name text not null);
			create table messages (
				id integer primary key,
				chat_code text not null references chats(code),
				username text not null,
				content text not null,
				created_at integer not null
			);
		`);
		const insertChat = db.prepare('insert into chats (code, name) values (?, ?)');
		const insertMessage = db.prepare('insert into messages (chat_code, username, content, created_at) values (?, ?, ?, ?)');
		db.transaction(() => {
			insertChat.run('lobby', 'Lobby');
			insertChat.run('dev', 'Developers');
			const n = opts.messages ?? 20;
			for (let i = 0; i < n; i++) insertMessage.run(i % 2 ? 'dev' : 'lobby', `user${i % 3}`, `message ${i}`, 1_700_000_000_000 + i * 1000);
		})();
		if (!opts.keepOpen) {
			db.close();
			db = undefined;
		}
	}
	return {
		dir,
		path: file,
		db,
		cleanup() {
			if (db?.open) db.close();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}
