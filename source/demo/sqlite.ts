// The demo's SQLite data file: a game-ish community bot's tables (players, inventories,
// moderation_log) in WAL mode, like the app's. With force, only these three tables are replaced.
import fs from 'node:fs';
import path from 'node:path';
import {loadSqlite} from '../backends/sqlite.js';
import {between, makeUsers, pick, type Random} from './data.js';
import {moderationActions, moderationReasons, playerItems} from './words.js';

export const demoSqliteTables = ['players', 'inventories', 'moderation_log'] as const;

export type DemoSqliteReport = {
	readonly path: string;
	readonly journalMode: string;
	readonly rows: Record<(typeof demoSqliteTables)[number], number>;
};

export type DemoSqliteOptions = {
	readonly random: Random;
	readonly now: number;
	/** chat codes for the moderation log */
	readonly chats: readonly string[];
	readonly players?: number;
};

const schema = `
	create table players (
		id integer primary key,
		username text not null unique,
		level integer not null,
		xp integer not null,
		coins integer not null,
		created_at text not null,
		last_seen_at text not null,
		banned integer not null default 0
	);
	create table inventories (
		id integer primary key,
		player_id integer not null references players(id) on delete cascade,
		item text not null,
		quantity integer not null,
		acquired_at text not null
	);
	create index inventories_player on inventories(player_id);
	create table moderation_log (
		id integer primary key,
		at text not null,
		moderator text not null,
		action text not null,
		target text not null,
		reason text not null,
		chat_code text
	);
	create index moderation_log_at on moderation_log(at);
`;

/** Creates (or, when they exist, replaces) the three demo tables; the parent directory is created. */
export async function seedSqlite(file: string, options: DemoSqliteOptions): Promise<DemoSqliteReport> {
	const {random, now} = options;
	fs.mkdirSync(path.dirname(file), {recursive: true});
	const Database = await loadSqlite();
	const db = new Database(file, {timeout: 2000});
	try {
		db.pragma('journal_mode = WAL');
		const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
		const users = makeUsers(random, options.players ?? 1200);
		const moderators = users.filter(u => u.badges.includes('verified')).slice(0, 12);
		if (moderators.length === 0) moderators.push(users[0]!);
		const rows = {players: 0, inventories: 0, moderation_log: 0};
		db.transaction(() => {
			db.exec('drop table if exists inventories; drop table if exists moderation_log; drop table if exists players;');
			db.exec(schema);
			const player = db.prepare('insert into players (id, username, level, xp, coins, created_at, last_seen_at, banned) values (?, ?, ?, ?, ?, ?, ?, ?)');
			const item = db.prepare('insert into inventories (player_id, item, quantity, acquired_at) values (?, ?, ?, ?)');
			const log = db.prepare('insert into moderation_log (at, moderator, action, target, reason, chat_code) values (?, ?, ?, ?, ?, ?)');
			users.forEach((u, i) => {
				const level = 1 + Math.floor(random() ** 2 * 80);
				const joined = between(random, 1, 400) * 86_400_000;
				player.run(i + 1, u.username, level, level * 1000 + between(random, 0, 999), between(random, 0, 50_000), iso(joined), iso(Math.floor(random() * Math.min(joined, 30 * 86_400_000))), random() < 0.02 ? 1 : 0);
				rows.players++;
				for (let n = between(random, 0, 5); n > 0; n--) {
					item.run(i + 1, pick(random, playerItems), between(random, 1, 20), iso(Math.floor(random() * joined)));
					rows.inventories++;
				}
			});
			const entries = Math.max(50, Math.round(users.length / 2));
			const times = Array.from({length: entries}, () => Math.floor(random() * 60 * 86_400_000)).sort((a, b) => b - a);
			for (const ago of times) {
				const chat = options.chats.length > 0 && random() < 0.8 ? pick(random, options.chats) : null;
				log.run(iso(ago), pick(random, moderators).username, pick(random, moderationActions), pick(random, users).username, pick(random, moderationReasons), chat);
				rows.moderation_log++;
			}
		})();
		return {path: file, journalMode: String(db.pragma('journal_mode', {simple: true})), rows};
	} finally {
		db.close();
	}
}
