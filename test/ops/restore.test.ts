import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, it} from 'vitest';
import {createBackup, listBackups} from '../../source/ops/backups.js';
import {ReadOnlyError} from '../../source/ops/mutations.js';
import {planRestore, restoreBackup, RestoreRefusedError} from '../../source/ops/restore.js';
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
			const forced = await restoreBackup(config, backup.name, {force: true});
			expect(forced.check).toBe('ok');
		} finally {
			holder.kill('SIGKILL');
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
