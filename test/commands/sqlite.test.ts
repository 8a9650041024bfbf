// `opsdeck sqlite ...` as a user runs it (built CLI, no terminal). Needs `npm run build` first.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

const bin = path.resolve('build/bin.js');
let temp: TempSqlite;

beforeAll(() => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	temp = tempSqlite({messages: 3});
	const db = new Database(temp.path);
	db.exec(`create table "odd ""name""" (id integer primary key, note text, big integer, data blob);
		insert into "odd ""name""" values (1, 'a, "quoted"' || char(10) || 'line', 9007199254740993, x'00ff');
		insert into "odd ""name""" values (2, null, 2, null);`);
	db.close();
});
afterAll(() => temp?.cleanup());

function opsdeck(...args: string[]) {
	const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: temp.path};
	delete env.OPSDECK_READ_ONLY;
	const result = spawnSync(process.execPath, [bin, 'sqlite', ...args], {cwd: temp.dir, env, encoding: 'utf8', timeout: 20_000});
	return {code: result.status, out: result.stdout, err: result.stderr};
}

describe('opsdeck sqlite', () => {
	it('check reports integrity and foreign keys, exit 1 when a row points at a missing parent', () => {
		const ok = opsdeck('check');
		expect(ok.code).toBe(0);
		expect(ok.out).toMatch(/integrity_check: ok\nforeign_key_check: ok/);
		const db = new Database(temp.path);
		db.pragma('foreign_keys = off');
		db.exec("insert into messages (chat_code, username, content, created_at) values ('ghost', 'u', 'orphan', 0)");
		db.close();
		const bad = opsdeck('check', '--json');
		expect(bad.code).toBe(1);
		expect(JSON.parse(bad.out)).toMatchObject({ok: false, foreignKeys: [{table: 'messages', parent: 'chats'}]});
		const db2 = new Database(temp.path);
		db2.exec("delete from messages where chat_code = 'ghost'");
		db2.close();
	});

	it('export streams CSV (quoted), JSON, to a file; the table name is checked, never spliced', () => {
		const csv = opsdeck('export', 'odd "name"');
		expect(csv.code).toBe(0);
		expect(csv.out).toBe('id,note,big,data\r\n1,"a, ""quoted""\nline",9007199254740993,00ff\r\n2,,2,\r\n');
		const json = JSON.parse(opsdeck('export', 'odd "name"', '--format', 'json').out) as unknown[];
		expect(json).toEqual([{id: 1, note: 'a, "quoted"\nline', big: '9007199254740993', data: '00ff'}, {id: 2, note: null, big: 2, data: null}]);
		const file = path.join(temp.dir, 'messages.json');
		const toFile = opsdeck('export', 'messages', '--json', '--output', file);
		expect(toFile.code).toBe(0);
		expect(toFile.err).toMatch(/exported 3 rows of messages/);
		expect((JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[]).length).toBe(3);

		const injected = opsdeck('export', 'chats; drop table chats');
		expect(injected.code).toBe(2);
		expect(injected.err).toMatch(/no table named .*; tables: chats, messages, odd "name"/);
		expect(opsdeck('export', 'chats', '--format', 'xml').code).toBe(2);
		expect(opsdeck('export', 'chats').out).toContain('lobby,Lobby');
	});

	it('vacuum and analyze run (with --yes), and are refused in read-only mode', () => {
		expect(opsdeck('vacuum', '--yes').out).toMatch(/^vacuumed .* -> /);
		expect(opsdeck('analyze', '--yes').out).toMatch(/^analyzed 3 tables/);
		const ro = opsdeck('vacuum', '--read-only');
		expect(ro.code).toBe(2);
		expect(ro.err).toMatch(/read-only mode: sqlite-vacuum refused/);
	});
});
