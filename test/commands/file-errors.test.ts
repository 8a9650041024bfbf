// Issue 16, point 7: a file problem is said in words an operator understands, never as a raw
// ENOENT / EACCES / EISDIR line nor SQLite's "unable to open database file". The built CLI (`npm run
// build` first) on real files; the permission cases run the CLI as nobody (the suite runs as root).
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

const bin = path.resolve('build/bin.js');
const isRoot = process.geteuid?.() === 0;
const nobody = {uid: 65534, gid: 65534};
/** an errno code on its own: what none of these lines may hold */
const rawCode = /\bE[A-Z]{3,}\b/;

let temp: TempSqlite;

beforeAll(() => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	temp = tempSqlite({messages: 3});
	// nobody may enter the folder; the data file and the others are root's (made per test)
	fs.chmodSync(temp.dir, 0o755);
});
afterAll(() => temp?.cleanup());

function opsdeck(args: readonly string[], env: Record<string, string> = {}, user: {uid?: number; gid?: number} = {}) {
	const base: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: temp.path, BACKUP_DIR: path.join(temp.dir, 'backups'), OPSDECK_AUDIT_LOG: path.join(temp.dir, 'audit.log'), REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/none'};
	delete base.OPSDECK_READ_ONLY;
	delete base.OPSDECK_CONFIG;
	const result = spawnSync(process.execPath, [bin, ...args], {cwd: temp.dir, env: {...base, ...env}, encoding: 'utf8', timeout: 30_000, ...user});
	return {code: result.status, out: result.stdout, err: result.stderr};
}

describe('SQLITE_PATH names a folder', () => {
	it('every command says "SQLITE_PATH is a folder: …" (it said "unable to open database file" or nothing useful)', () => {
		const folder = path.join(temp.dir, 'data-folder');
		fs.mkdirSync(folder);
		const line = `SQLITE_PATH is a folder: ${folder} (give the data file itself, e.g. ${path.join(folder, 'app.db')})`;
		const check = opsdeck(['sqlite', 'check'], {SQLITE_PATH: folder});
		expect(check.err).toBe(`opsdeck: ${line}\n`);
		expect(check.code).toBe(1);
		const backup = opsdeck(['backup', 'create'], {SQLITE_PATH: folder});
		expect(backup.err).toBe(`opsdeck: ${line}\n`);
		expect(backup.code).toBe(1);
		const status = opsdeck(['status', '--json'], {SQLITE_PATH: folder});
		expect((JSON.parse(status.out) as {sqlite: {error: string}}).sqlite.error).toBe(line);
	});
});

describe.runIf(isRoot)('a data file this user may not read', () => {
	it('"cannot read FILE: permission denied (owner …, mode …)", in check, backup and status', () => {
		fs.chmodSync(temp.path, 0o600);
		try {
			const line = `cannot read ${temp.path}: permission denied (owner root:root (0:0), mode 0600; opsdeck runs as nobody (65534))`;
			const check = opsdeck(['sqlite', 'check'], {}, nobody);
			expect(check.err).toBe(`opsdeck: ${line}\n`);
			expect(check.code).toBe(1);
			const backup = opsdeck(['backup', 'create'], {BACKUP_DIR: path.join(temp.dir, 'nobody-backups')}, nobody);
			expect(backup.err).toBe(`opsdeck: ${line}\n`);
			expect(backup.code).toBe(1);
			const status = opsdeck(['status'], {}, nobody);
			expect(status.out).toMatch(new RegExp(`^sqlite\\s+down\\s+${line.replace(/[()]/g, '\\$&')}$`, 'm'));
		} finally {
			fs.chmodSync(temp.path, 0o644);
		}
	});

	it('in a folder it may not enter: the folder is named with its owner and mode', () => {
		const locked = path.join(temp.dir, 'locked');
		fs.mkdirSync(locked, {mode: 0o700});
		fs.copyFileSync(temp.path, path.join(locked, 'app.db'));
		const check = opsdeck(['sqlite', 'check'], {SQLITE_PATH: path.join(locked, 'app.db')}, nobody);
		expect(check.err).toBe(`opsdeck: cannot read ${path.join(locked, 'app.db')}: permission denied (the folder ${locked} is root:root (0:0), mode 0700; opsdeck runs as nobody (65534))\n`);
		expect(check.code).toBe(1);
	});

	it('a readable file it may not write: vacuum says so before SQLite does ("attempt to write a readonly database")', () => {
		const auditDir = path.join(temp.dir, 'audit-for-nobody');
		fs.mkdirSync(auditDir, {mode: 0o777});
		fs.chmodSync(auditDir, 0o777);
		const vacuum = opsdeck(['sqlite', 'vacuum', '--yes'], {OPSDECK_AUDIT_LOG: path.join(auditDir, 'audit.log')}, nobody);
		expect(vacuum.err).toContain(`cannot write ${temp.path}: permission denied (owner root:root (0:0), mode 0644; opsdeck runs as nobody (65534))`);
		expect(vacuum.code).toBe(1);
	});

	it('a backup folder it may not create: the parent is named with its owner, no "(EACCES)"', () => {
		const backup = opsdeck(['backup', 'create'], {BACKUP_DIR: path.join(temp.dir, 'new-backups')}, nobody);
		expect(backup.err).toBe(`opsdeck: cannot create ${path.join(temp.dir, 'new-backups')} in ${temp.dir}: permission denied (owner root:root (0:0), mode 0755; opsdeck runs as nobody (65534))\n`);
		expect(backup.code).toBe(2);
	});
});

describe('no raw errno line', () => {
	it.each([
		['audit, the log a folder', ['audit'], {OPSDECK_AUDIT_LOG: '{dir}'}, 'cannot read the audit log {dir}: it is a folder (--audit-log or OPSDECK_AUDIT_LOG)'],
		['a --config file that is not there', ['status', '--config', '{dir}/nope.json'], {}, 'cannot read config file {dir}/nope.json: it does not exist'],
		['backup list, BACKUP_DIR a file', ['backup', 'list'], {BACKUP_DIR: '{dir}/app.db'}, 'cannot list {dir}/app.db: it is not a folder'],
		['export into a folder that is not there', ['sqlite', 'export', 'chats', '--output', '/nonexistent-opsdeck/x.csv'], {}, 'export to /nonexistent-opsdeck/x.csv failed: cannot write to /nonexistent-opsdeck: it does not exist; nothing was changed'],
		// found by the hostile tester: /proc exists, it just makes no new files
		['export into a folder that makes no files (/proc)', ['sqlite', 'export', 'chats', '--output', '/proc/x.json'], {}, 'export to /proc/x.json failed: cannot create a file in /proc: that folder does not allow new files (no such file or directory); nothing was changed'],
	])('%s', (_name, args, env, expected) => {
		const fill = (text: string) => text.replaceAll('{dir}', temp.dir);
		const run = opsdeck(args.map(fill), Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)])));
		expect(run.err).toBe(`opsdeck: ${fill(expected)}\n`);
		expect(run.err).not.toMatch(rawCode);
		expect(run.code).not.toBe(0);
	});
});
