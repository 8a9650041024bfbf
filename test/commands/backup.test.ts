// `opsdeck backup ...` as a user runs it: the built CLI, no terminal, a temp data file and folder.
// Needs `npm run build` first.
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
	temp = tempSqlite({messages: 30});
});
afterAll(() => temp?.cleanup());

function opsdeck(...args: string[]): {code: number | null; out: string; err: string} {
	const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: temp.path, BACKUP_DIR: path.join(temp.dir, 'backups'), BACKUP_RETENTION: '2'};
	delete env.OPSDECK_READ_ONLY;
	const result = spawnSync(process.execPath, [bin, ...args, '--audit-log', path.join(temp.dir, 'audit.log')], {cwd: temp.dir, env, encoding: 'utf8', timeout: 20_000});
	return {code: result.status, out: result.stdout, err: result.stderr};
}

function messages(): number {
	const db = new Database(temp.path, {readonly: true});
	try {
		return db.prepare('select count(*) from messages').pluck().get() as number;
	} finally {
		db.close();
	}
}

describe('opsdeck backup', () => {
	it('create, list, verify, restore (asks without --yes), prune, delete', () => {
		const created = opsdeck('backup', 'create', '--json');
		expect(created.err).toBe('');
		expect(created.code, created.err).toBe(0);
		const backup = JSON.parse(created.out) as {name: string; verified: {ok: boolean}; tables: Record<string, number>};
		expect(backup.name).toMatch(/^manual_.*\.db$/);
		expect(backup.verified.ok).toBe(true);
		expect(backup.tables.messages).toBe(30);

		const listed = opsdeck('backup', 'list');
		expect(listed.code, listed.err).toBe(0);
		expect(listed.out).toContain(backup.name);
		expect(listed.out).toMatch(/manual +[\d.]+ KB/);

		expect(opsdeck('backup', 'verify', backup.name).out).toMatch(/: ok \(quick_check, sha256 matches\)/);
		expect(opsdeck('backup', 'verify', backup.name, '--integrity', '--json').out).toContain('"mode": "integrity"');

		const db = new Database(temp.path);
		db.exec("delete from messages where id > 10");
		db.close();
		const refused = opsdeck('backup', 'restore', backup.name);
		expect(refused.code, refused.err).toBe(2);
		expect(refused.out).toMatch(/messages +10 +30/); // the plan: now vs backup
		expect(refused.err).toMatch(/needs --yes/);
		expect(messages()).toBe(10);

		const restored = opsdeck('backup', 'restore', backup.name, '--yes');
		expect(restored.err).toBe('');
		expect(restored.code, restored.err).toBe(0);
		expect(restored.out).toMatch(/restored .*\(quick_check ok\).*safety_/);
		expect(messages()).toBe(30);

		// five backups now (manual, safety, and three more manual ones): manual ones are not pruned
		// without --manual (issue 13, case 11); with it, 2 are kept plus the young safety one and the
		// newest verified one older than all of them
		const more = [1, 2, 3].map(() => JSON.parse(opsdeck('backup', 'create', '--json').out) as {name: string});
		const nothing = opsdeck('backup', 'prune');
		expect(nothing.code, nothing.err).toBe(0);
		expect(nothing.out).toMatch(/nothing to prune: 5 backups, keep 2 automatic \(manual ones only with --manual\)/);
		const noYes = opsdeck('backup', 'prune', '--manual');
		expect(noYes.code, noYes.err).toBe(2);
		const pruned = opsdeck('backup', 'prune', '--manual', '--yes', '--json');
		expect(pruned.code, pruned.err).toBe(0);
		const result = JSON.parse(pruned.out) as {removed: string[]; kept: string[]};
		expect(result.removed).toEqual([more[0]!.name]);
		expect(result.kept).toHaveLength(4);
		expect(result.kept.some(n => n.startsWith('safety_'))).toBe(true);
		expect(result.kept).toContain(backup.name);

		const [keep] = result.kept;
		const deleteNoYes = opsdeck('backup', 'delete', keep!);
		expect(deleteNoYes.code, deleteNoYes.err).toBe(2);
		const deleted = opsdeck('backup', 'delete', keep!, '--yes');
		expect(deleted.code, deleted.err).toBe(0);
		expect(opsdeck('backup', 'list', '--json').out).not.toContain(keep);
	});

	it('refuses bad names and read-only mode with one line and exit 2', () => {
		for (const name of ['../../etc/passwd', '/etc/passwd', 'nope.db']) {
			const run = opsdeck('backup', 'restore', name, '--yes');
			expect(run.code, name).toBe(2);
			expect(run.err.trim().split('\n'), name).toHaveLength(1);
			expect(run.err).toMatch(/^opsdeck: (backup name .* is a path|no backup named)/);
		}
		const created = JSON.parse(opsdeck('backup', 'create', '--json').out) as {name: string};
		const before = fs.readFileSync(temp.path);
		const ro = opsdeck('backup', 'restore', created.name, '--yes', '--read-only');
		expect(ro.code).toBe(2);
		expect(ro.err).toMatch(/read-only mode: restore refused/);
		expect(opsdeck('backup', 'delete', created.name, '--yes', '--read-only').err).toMatch(/read-only mode: delete-backup refused/);
		expect(fs.readFileSync(temp.path).equals(before)).toBe(true);
		expect(opsdeck('backup', 'frobnicate').code).toBe(2);
		expect(opsdeck('backup', 'verify').err).toMatch(/needs a backup NAME/);
	});
});
