import {afterEach, describe, expect, it} from 'vitest';
import {loadConfig} from '../../source/config/config.js';
import {autoBackupState, startAutoBackups} from '../../source/backups/auto.js';
import {createBackup, listBackups} from '../../source/backups/backups.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

function config(dir: string, env: Record<string, string>) {
	return loadConfig({flags: {sqlite: `${dir}/app.db`, backupDir: `${dir}/backups`, auditLog: `${dir}/audit.log`}, env: {BACKUP_ENABLED: '1', ...env}, cwd: dir});
}

describe('startAutoBackups', () => {
	it('takes one at start, schedules the next an interval later, takes one at stop; verifies them and prunes to the retention', async () => {
		temp = tempSqlite();
		// 0.01 h = 36 s is the shortest interval: the test checks the schedule, not the wait
		const c = config(temp.dir, {BACKUP_INTERVAL_HOURS: '0.01', BACKUP_RETENTION: '1'});
		const auto = startAutoBackups({config: c});
		expect(startAutoBackups({config: c})).toBe(auto); // one scheduler per process
		await waitFor(async () => (await listBackups(c.backupDir)).length === 1);
		await waitFor(() => autoBackupState()?.nextAt !== undefined);
		const state = autoBackupState()!;
		expect(state.nextAt! - Date.now()).toBeGreaterThan(30_000);
		expect(state.lastName).toMatch(/^auto_/);
		const [first] = await listBackups(c.backupDir);
		expect(first!.verified?.ok).toBe(true);

		await auto.stop();
		const after = await listBackups(c.backupDir);
		// the shutdown backup was taken; the one from the start is kept beyond the retention (1) as
		// the newest verified backup older than every kept one (issue 13, case 11)
		expect(after.map(e => e.name)).toEqual([expect.not.stringMatching(first!.name), first!.name]);
		expect(after[0]!.kind).toBe('auto');
		expect(autoBackupState()).toBeUndefined();
	});

	// issue 13, case 11
	it('skips the start-up backup when the newest backup is younger than the interval (each restart took one)', async () => {
		temp = tempSqlite();
		const c = config(temp.dir, {BACKUP_INTERVAL_HOURS: '1', BACKUP_RETENTION: '1'});
		const recent = await createBackup(c, {kind: 'manual', now: new Date(Date.now() - 10 * 60_000)});
		const auto = startAutoBackups({config: c});
		await waitFor(() => autoBackupState()?.nextAt !== undefined);
		const state = autoBackupState()!;
		expect(state.skippedStart).toBe(recent.name);
		// the next one is due an interval after the recent backup, not after this start
		expect(Math.abs(state.nextAt! - (recent.createdAt + 3_600_000))).toBeLessThan(5_000);
		expect((await listBackups(c.backupDir)).map(e => e.name)).toEqual([recent.name]);
		await auto.stop(); // the shutdown backup is still taken, and the manual one is not pruned
		const after = await listBackups(c.backupDir);
		expect(after.map(e => e.kind).sort()).toEqual(['auto', 'manual']);
	});

	it('does nothing when BACKUP_ENABLED is off', async () => {
		temp = tempSqlite();
		const c = config(temp.dir, {BACKUP_ENABLED: '0'});
		const auto = startAutoBackups({config: c});
		expect(autoBackupState()).toMatchObject({enabled: false, nextAt: undefined});
		await auto.stop();
		expect(await listBackups(c.backupDir)).toEqual([]);
	});
});
