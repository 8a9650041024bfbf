import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {createBackends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {startAutoBackups} from '../../source/backups/auto.js';
import {createBackup} from '../../source/backups/backups.js';
import {keys, render, settle} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

function setup(extra: Record<string, string> = {}) {
	temp = tempSqlite({messages: 12});
	const config = loadConfig({
		env: {
			REDIS_URL: 'redis://127.0.0.1:1/0',
			DATABASE_URL: 'postgres://127.0.0.1:1/x',
			SQLITE_PATH: temp.path,
			BACKUP_DIR: path.join(temp.dir, 'backups'),
			POLL_INTERVAL_MS: '250',
			...extra,
		},
		flags: {auditLog: path.join(temp.dir, 'audit.log')},
		cwd: temp.dir,
	});
	const app = render(<App backends={createBackends(config)} startOnMount={false} initialTab={3} />);
	return {app, config};
}

function messages(file: string): number {
	const db = new Database(file, {readonly: true});
	try {
		return db.prepare('select count(*) from messages').pluck().get() as number;
	} finally {
		db.close();
	}
}

describe('Backups tab', () => {
	// issue 14, point 6
	it('a symlink leading outside the folder is shown as refused, a forged sidecar "ok" as a claim', async () => {
		const {app, config} = setup();
		await app.waitFor('no backups yet');
		const dir = config.backupDir;
		fs.mkdirSync(dir);
		const outside = path.join(temp!.dir, 'outside.db');
		fs.copyFileSync(temp!.path, outside);
		fs.symlinkSync(outside, path.join(dir, 'evil.db'));
		const forged = 'manual_2025-01-01T00-00-00.db';
		fs.writeFileSync(path.join(dir, forged), Buffer.alloc(4096, 7));
		fs.writeFileSync(path.join(dir, `${forged}.json`), JSON.stringify({name: forged, kind: 'manual', sizeBytes: 4096, sha256: 'x', pageCount: 1, pageSize: 4096, tables: {}, source: '', createdAt: '2999-01-01T00:00:00.000Z', verified: {at: '2999-01-01T00:00:00.000Z', ok: true, mode: 'quick'}}));
		await app.press('r');
		const screen = await app.waitFor(/manual_2025-01-01T00-00-00\.db .*claim\?/);
		expect(screen).not.toMatch(/evil\.db +/);
		expect(screen).not.toContain('2999-01-01 00:00');
		expect(screen).toMatch(/2025-01-01 00:00/);
		expect(screen).toMatch(/manual_2025-01-01T00-00-00\.db: sidecar claims it was created 2999/);
	});

	it('n creates a backup: the new row appears, verified, with the status line counting it', async () => {
		const {app} = setup();
		await app.waitFor('no backups yet');
		expect(app.screen()).toMatch(/auto: off · 0 backups, keep 7 · free /);
		await app.press('n');
		const screen = await app.waitFor(/manual_\S+\.db +manual .* ok/);
		expect(screen).toMatch(/1 backup, keep 7/);
		expect(screen).toMatch(/created manual_/);
	});

	it('with BACKUP_ENABLED the console takes an automatic backup at start and shows the next time', async () => {
		const {app, config} = setup({BACKUP_ENABLED: '1', BACKUP_INTERVAL_HOURS: '6'});
		try {
			const screen = await app.waitFor(/auto_\S+ +auto .* ok/);
			await app.waitFor(/auto: on, next \d\d-\d\d \d\d:\d\d UTC · 1 backup, keep 7/);
			expect(screen).not.toContain('manual_');
		} finally {
			// the scheduler is one per process: stop it (this takes the shutdown backup)
			await startAutoBackups({config}).stop();
		}
		expect(fs.readdirSync(config.backupDir).filter(f => f.startsWith('auto_') && f.endsWith('.db'))).toHaveLength(2);
	});

	it('Enter shows the plan and restores only after the word restore; x deletes after the word delete', async () => {
		const {app, config} = setup();
		const backup = await createBackup(config);
		const db = new Database(config.sqlitePath);
		db.exec('delete from messages where id > 2');
		db.close();
		await app.waitFor(backup.name);
		await app.press(keys.enter);
		await app.waitFor('Type restore and press Enter');
		await settle(50); // the dialog takes keys from its first effect on, a moment after it is drawn
		expect(app.screen()).toMatch(/messages: 2 rows now -> 12 in the backup/);
		await app.type('restor');
		await app.press(keys.enter);
		await app.waitFor('That is not "restore". Nothing was done.');
		expect(messages(config.sqlitePath)).toBe(2);
		await app.type('e');
		await settle(100); // Ink swaps the dialog's key handler in an effect: let it see the whole word
		await app.press(keys.enter);
		await app.waitFor(/restored manual_.*safety_/);
		expect(messages(config.sqlitePath)).toBe(12);
		await app.waitFor(/safety_\S+ +safety/);

		// the safety backup appeared above the restored one, which stays highlighted (the cursor
		// follows its backup): g goes to the newest row, the safety backup; delete it, after Esc once
		await app.press('g');
		await app.press('x');
		await app.waitFor(/Delete safety_/);
		await app.waitFor('Type delete and press Enter');
		await app.press(keys.escape);
		await app.waitFor('cancelled: nothing was done');
		expect(fs.readdirSync(config.backupDir).filter(f => f.startsWith('safety_') && f.endsWith('.db'))).toHaveLength(1);
		await app.press('x');
		await app.waitFor('Type delete and press Enter');
		await settle(50);
		await app.type('delete');
		await settle(100);
		await app.press(keys.enter);
		await app.waitFor(/deleted safety_/);
		await app.waitFor(s => !/safety_\S+ +safety/.test(s));
		expect(fs.readdirSync(config.backupDir).filter(f => f.startsWith('safety_'))).toEqual([]);
	});

	it('does not offer a restore while another process holds the data file open', async () => {
		const {app, config} = setup();
		const backup = await createBackup(config);
		const driver = createRequire(import.meta.url).resolve('better-sqlite3');
		const code = `const D = require(${JSON.stringify(driver)}); const db = new D(${JSON.stringify(config.sqlitePath)}); db.prepare('select 1').get(); console.log('open'); setInterval(() => {}, 1000);`;
		const holder = spawn(process.execPath, ['-e', code], {stdio: ['ignore', 'pipe', 'inherit']});
		try {
			await new Promise<void>(resolve => holder.stdout.once('data', () => resolve()));
			await app.waitFor(backup.name);
			await app.press(keys.enter);
			await app.waitFor(`is open in another process (pid ${holder.pid})`);
			expect(app.screen()).not.toContain('Type restore');
		} finally {
			holder.kill('SIGKILL');
		}
	});

	it('refuses restore and delete in read-only mode', async () => {
		const {app, config} = setup({OPSDECK_READ_ONLY: '1'});
		const backup = await createBackup(config);
		await app.waitFor(backup.name);
		await app.press(keys.enter);
		await app.waitFor('read-only mode: restore refused');
		await app.press('x');
		await app.waitFor('read-only mode: delete-backup refused');
		expect(fs.existsSync(backup.path)).toBe(true);
		expect(app.screen()).not.toContain('Type');
	});

	it('read-only mode: the bar does not offer restore and delete; the help says they are refused (hostile defect 15)', async () => {
		const bar = (screen: string) => screen.split('\n').filter(line => line.trim()).at(-1) ?? '';
		const {app, config} = setup({OPSDECK_READ_ONLY: '1'});
		const backup = await createBackup(config);
		const list = bar(await app.waitFor(s => s.includes(backup.name) && bar(s).includes('? help')));
		expect(list).toMatch(/n new backup/);
		expect(list).not.toMatch(/Enter restore|x delete/);
		await app.press('?');
		const help = await app.waitFor('Esc or ? closes this help');
		expect(help).toMatch(/restore the selected backup .*\(refused in read-only mode\)/);
		expect(help).toMatch(/delete the selected backup .*\(refused in read-only mode\)/);
		expect(help).not.toMatch(/take a backup now.*refused/);
		await app.press(keys.escape);
		// and pressed anyway: refused with a message (the test above: audited, nothing changed)
		await app.press('x');
		await app.waitFor('read-only mode: delete-backup refused');
		expect(fs.existsSync(backup.path)).toBe(true);
	});

	it('refuses a corrupted backup before any dialog; v shows the verification failing', async () => {
		const {app, config} = setup();
		const broken = await createBackup(config);
		fs.truncateSync(broken.path, 2048);
		await app.waitFor(broken.name);
		await app.press(keys.enter);
		await app.waitFor(/failed verification/);
		expect(app.screen()).not.toContain('Type restore');
		await app.press('v');
		await app.waitFor(/FAILED: size 2,048 bytes/);
		await app.waitFor(/manual +\S+ +\S+ +[\d-]+ [\d:]+ +FAILED/);
	});
});
