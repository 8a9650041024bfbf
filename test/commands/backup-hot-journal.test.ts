// `opsdeck backup create` on a data file with a hot journal (a rollback-journal writer killed -9 in
// the middle of a transaction): the error names the source and the cause, never the backup folder.
// Needs `npm run build` first.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, expect, it} from 'vitest';

const bin = path.resolve('build/bin.js');
let dir: string;
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));
beforeAll(() => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-hot-'));
});

it('a hot journal: one line naming the data file and how to roll it back; the folder is not blamed; backs up once rolled back', () => {
	const file = path.join(dir, 'app.db');
	// a writer whose small cache spills the transaction's pages into the file, killed before it commits
	const writer = spawnSync(process.execPath, ['-e', `
		const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
		const db = new Database(${JSON.stringify(file)});
		db.exec("create table t (x text)");
		db.transaction(() => { for (let i = 0; i < 2000; i++) db.prepare("insert into t values (?)").run("y".repeat(100)); })();
		db.pragma("cache_size = 5");
		db.exec("begin");
		db.exec("update t set x = x || 'zz'");
		process.kill(process.pid, "SIGKILL");
	`], {encoding: 'utf8'});
	expect(writer.signal).toBe('SIGKILL');
	expect(fs.statSync(`${file}-journal`).size).toBeGreaterThan(0);
	const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: file, BACKUP_DIR: path.join(dir, 'b')};
	delete env.OPSDECK_READ_ONLY;
	const run = () => spawnSync(process.execPath, [bin, 'backup', 'create', '--audit-log', path.join(dir, 'audit.log')], {cwd: dir, env, encoding: 'utf8', timeout: 20_000});
	const failed = run();
	expect(failed.status).not.toBe(0);
	expect(failed.stderr.trim().split('\n')).toHaveLength(1);
	expect(failed.stderr).toContain(`${file} has a hot journal (${file}-journal`);
	expect(failed.stderr).toMatch(/start the app, or: sqlite3 \S+ 'pragma quick_check'/);
	expect(failed.stderr).not.toMatch(/cannot write|permission denied/);
	expect(fs.readdirSync(path.join(dir, 'b'))).toEqual([]);
	expect(fs.existsSync(`${file}-journal`)).toBe(true); // the backup wrote nothing to the source

	// what the line says: one read-write open rolls it back; then the backup has the committed rows
	const app = new Database(file);
	expect(app.prepare("select count(*) from t where x like '%zz'").pluck().get()).toBe(0);
	app.close();
	const created = run();
	expect(created.status, created.stderr).toBe(0);
});
