import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, it} from 'vitest';
import {createBackup, listBackups} from '../../source/backups/backups.js';
import {ReadOnlyError} from '../../source/mutations/registry.js';
import {planRestore, restoreBackup, RestoreRefusedError} from '../../source/backups/restore.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {backupConfig, rowCount, sha256} from './backup-helpers.js';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');
let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

function addMessages(file: string, n: number): void {
	const db = new Database(file);
	const insert = db.prepare("insert into messages (chat_code, username, content, created_at) values ('lobby', 'late', 'after the backup', 0)");
	db.transaction(() => {
		for (let i = 0; i < n; i++) insert.run();
	})();
	db.close();
}

describe('restore', () => {
	it('round trip: the data is back, a safety backup holds the state before, nothing stale is left', async () => {
		temp = tempSqlite({messages: 20});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		addMessages(temp.path, 5);
		// a reader left the WAL mode files around, as the app would
		expect(rowCount(temp.path, 'messages')).toBe(25);

		const plan = await planRestore(config, backup.name);
		expect(plan.rows.find(r => r.table === 'messages')).toEqual({table: 'messages', now: 25, backup: 20});
		expect(plan.holders).toEqual([]);

		const steps: string[] = [];
		const result = await restoreBackup(config, backup.name, {onStep: s => steps.push(s)});
		expect(steps).toEqual(['copy', 'verify', 'safety', 'swap', 'check']);
		expect(result.check).toBe('ok');
		expect(rowCount(temp.path, 'messages')).toBe(20);
		expect(result.safety).toMatch(/^safety_/);
		const safety = (await listBackups(config.backupDir)).find(e => e.name === result.safety)!;
		expect(safety.kind).toBe('safety');
		expect(rowCount(safety.path, 'messages')).toBe(25);
		expect(safety.meta).toMatchObject({sha256: sha256(safety.path), tables: {messages: 25}});
		// no temp file left beside the live one
		expect(fs.readdirSync(temp.dir).filter(f => f.includes('restore'))).toEqual([]);
		const audit = fs.readFileSync(config.auditLog, 'utf8').trim().split('\n').map(line => JSON.parse(line));
		expect(audit.at(-1)).toMatchObject({action: 'restore', result: 'ok'});
	});

	it('refuses a truncated or corrupted backup before touching anything', async () => {
		temp = tempSqlite({messages: 300});
		const config = backupConfig(temp.dir, temp.path);
		const truncated = await createBackup(config);
		fs.truncateSync(truncated.path, Math.floor(fs.statSync(truncated.path).size / 2));
		const corrupted = await createBackup(config, {now: new Date(Date.now() + 1500)});
		const fd = fs.openSync(corrupted.path, 'r+');
		fs.writeSync(fd, Buffer.alloc(2048, 0xab), 0, 2048, 4096);
		fs.closeSync(fd);
		addMessages(temp.path, 3);
		const before = sha256(temp.path);
		const backupsBefore = fs.readdirSync(config.backupDir).filter(f => f.endsWith('.db')).sort();

		for (const name of [truncated.name, corrupted.name]) {
			await expect(planRestore(config, name)).rejects.toThrow(RestoreRefusedError);
			await expect(restoreBackup(config, name)).rejects.toThrow(/nothing was changed/);
		}
		expect(sha256(temp.path)).toBe(before);
		expect(rowCount(temp.path, 'messages')).toBe(303);
		// no safety backup was taken either
		expect(fs.readdirSync(config.backupDir).filter(f => f.endsWith('.db')).sort()).toEqual(backupsBefore);
	});

	it('refuses while another process holds the database open, unless forced', async () => {
		temp = tempSqlite();
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const code = `const D = require(${JSON.stringify(driver)}); const db = new D(${JSON.stringify(temp.path)}); db.prepare('select 1 from chats').get(); console.log('open'); setInterval(() => {}, 1000);`;
		const holder = spawn(process.execPath, ['-e', code], {stdio: ['ignore', 'pipe', 'inherit']});
		try {
			await new Promise<void>(resolve => holder.stdout.once('data', () => resolve()));
			const plan = await planRestore(config, backup.name);
			expect(plan.holders.map(h => h.pid)).toContain(holder.pid);
			const error = await restoreBackup(config, backup.name).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RestoreRefusedError);
			expect(String(error)).toContain(`pid ${holder.pid}`);
			expect(String(error)).toMatch(/--force/);
			expect(rowCount(temp.path, 'chats')).toBeGreaterThan(0);
			expect(fs.readdirSync(temp.dir).filter(f => f.includes('restore'))).toEqual([]);
			expect(fs.readdirSync(config.backupDir).filter(f => f.startsWith('safety_'))).toEqual([]);
			const forced = await restoreBackup(config, backup.name, {force: true});
			expect(forced.check).toBe('ok');
		} finally {
			holder.kill('SIGKILL');
		}
	});

	it('shows the backup\'s row counts from its sidecar or, for a file copied in by hand, counted by SQLite', async () => {
		temp = tempSqlite({messages: 20});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		addMessages(temp.path, 4);
		fs.copyFileSync(backup.path, path.join(config.backupDir, 'by-hand.db'));
		for (const name of [backup.name, 'by-hand.db', 'by-hand.db']) {
			const plan = await planRestore(config, name);
			expect(plan.rows.find(r => r.table === 'messages'), name).toEqual({table: 'messages', now: 24, backup: 20});
			expect(plan.verify).toMatchObject({ok: true, checkOk: true});
		}
	});

	it('folds a live WAL into the safety backup, and its sidecar matches the file', async () => {
		temp = tempSqlite({messages: 10, keepOpen: true});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		// the app (here: this process, which the holder check leaves out) wrote into the WAL, not yet folded in
		temp.db!.pragma('wal_autocheckpoint = 0');
		temp.db!.prepare("insert into messages (chat_code, username, content, created_at) values ('lobby', 'x', 'in the wal', 0)").run();
		expect(fs.statSync(`${temp.path}-wal`).size).toBeGreaterThan(0);
		// the connection stays open (idle): closing it would fold the WAL in itself
		const result = await restoreBackup(config, backup.name);
		const safety = (await listBackups(config.backupDir)).find(e => e.name === result.safety)!;
		expect(rowCount(safety.path, 'messages')).toBe(11);
		expect(safety.meta?.tables.messages).toBe(11);
		expect(safety.meta?.sha256).toBe(sha256(safety.path));
		expect(rowCount(temp.path, 'messages')).toBe(10);
	});

	it('restores where there is no live file yet, and through a symlinked data path (the link stays)', async () => {
		temp = tempSqlite({messages: 7});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		fs.rmSync(temp.path);
		const first = await restoreBackup(config, backup.name);
		expect(first.safety).toBeUndefined();
		expect(rowCount(temp.path, 'messages')).toBe(7);

		const link = path.join(temp.dir, 'current.db');
		fs.symlinkSync(temp.path, link);
		addMessages(temp.path, 2);
		const viaLink = await restoreBackup({...config, sqlitePath: link}, backup.name);
		expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
		expect(rowCount(temp.path, 'messages')).toBe(7);
		expect(rowCount(path.join(config.backupDir, viaLink.safety!), 'messages')).toBe(9);
	});

	it('takes a real copy as the safety backup when the backup folder is on another filesystem', async () => {
		const shm = '/dev/shm';
		if (!fs.existsSync(shm) || fs.statSync(shm).dev === fs.statSync(os.tmpdir()).dev) return; // nothing to cross here
		temp = tempSqlite({messages: 5});
		const backupDir = fs.mkdtempSync(path.join(shm, 'opsdeck-backups-'));
		try {
			const config = {...backupConfig(temp.dir, temp.path), backupDir};
			const backup = await createBackup(config);
			addMessages(temp.path, 4);
			const result = await restoreBackup(config, backup.name);
			expect(rowCount(temp.path, 'messages')).toBe(5);
			const safety = (await listBackups(backupDir)).find(e => e.name === result.safety)!;
			expect(rowCount(safety.path, 'messages')).toBe(9);
			expect(safety.meta?.sha256).toMatch(/^[0-9a-f]{64}$/);
		} finally {
			fs.rmSync(backupDir, {recursive: true, force: true});
		}
	});

	it('is refused in read-only mode and bad names are refused', async () => {
		temp = tempSqlite();
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		await expect(restoreBackup({...config, readOnly: true}, backup.name)).rejects.toThrow(ReadOnlyError);
		await expect(restoreBackup(config, '../../etc/passwd')).rejects.toThrow(/is a path/);
		await expect(planRestore(config, '/etc/passwd')).rejects.toThrow(/is a path/);
	});
});
