// What the rows share, set up once and only when a selected row needs it: a private redis-server
// (db0: 1,000,000 keys, db1: 100,000 keys, db2: 1,000 chat caches), a private temp dir (the
// console's cwd, audit log, a small SQLite file and backup folder), the cached 500 MB data file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {mustRun, startRedis} from './proc.mjs';
import {cachedDataFile} from './sqlite-data.mjs';
import {consoleEnv} from './pty.mjs';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const bundleBin = path.join(root, 'build/bundle/bin.js');
export const plainBin = path.join(root, 'build/bin.js');
export const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const sizes = {keys: 1_000_000, listKeys: 100_000, watched: 1000};

export function createContext({log, quick}) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-'));
	let redis;
	let redisReady;
	const ctx = {
		log,
		quick,
		reps: Number(process.env.BENCH_REPS ?? 5),
		tmp,
		/** the private redis-server, seeded once */
		redis() {
			redisReady ??= (async () => {
				redis = await startRedis();
				log(`  private redis-server on port ${redis.port} (pid ${redis.pid})`);
				const cli = (...args) => mustRun('redis-cli', ['-p', String(redis.port), ...args]);
				// DEBUG POPULATE: string keys chat:0 ... chat:999999 written inside the server, in about a second
				await cli('-n', '0', 'DEBUG', 'POPULATE', String(sizes.keys), 'chat', '24');
				await cli('-n', '1', 'DEBUG', 'POPULATE', String(sizes.listKeys), 'session', '24');
				// db2: the Monitor's default watch, every chat's messages key, each a sorted set with a TTL
				const lines = [];
				for (let i = 0; i < sizes.watched; i++) {
					const key = `chat:C${i}:messages`;
					const members = [];
					for (let m = 0; m < 20; m++) members.push(String(1_700_000_000_000 + m), `{"id":"${i}-${m}","text":"hello"}`);
					lines.push(['ZADD', key, ...members], ['PEXPIRE', key, '86400000']);
				}
				const proto = lines.map(args => `*${args.length}\r\n${args.map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('');
				await mustRun('redis-cli', ['-p', String(redis.port), '-n', '2', '--pipe'], {input: proto});
				log(`  seeded: db0 ${sizes.keys.toLocaleString('en-US')} keys, db1 ${sizes.listKeys.toLocaleString('en-US')} keys, db2 ${sizes.watched.toLocaleString('en-US')} sorted sets`);
				return redis;
			})();
			return redisReady;
		},
		/** a small SQLite file for the console's Status card (the big one is for P3/P4 only) */
		smallSqlite() {
			const file = path.join(tmp, 'app.db');
			if (!fs.existsSync(file)) {
				const db = new Database(file);
				db.pragma('journal_mode = WAL');
				db.exec('create table messages (id text primary key, chat_code text, content text, created_at text)');
				db.close();
			}
			return file;
		},
		dataFile: () => cachedDataFile(log),
		/** the console's arguments and environment, on the private redis db */
		async consoleArgs(db = 0, extra = []) {
			const r = await ctx.redis();
			return ['--redis-url', r.url(db), '--database-url', pgUrl, '--sqlite', ctx.smallSqlite(), '--backup-dir', path.join(tmp, 'backups'), ...extra];
		},
		env: () => consoleEnv({XDG_STATE_HOME: path.join(tmp, 'state'), OPSDECK_AUDIT_LOG: path.join(tmp, 'audit.log'), NODE_ENV: 'production'}),
		async close() {
			await redis?.stop();
			fs.rmSync(tmp, {recursive: true, force: true});
		},
	};
	return ctx;
}
