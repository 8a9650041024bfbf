import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createBackup, listBackups, planPrune, pruneBackups, verifyBackup, type BackupEntry} from '../../source/backups/backups.js';
import {ReadOnlyError} from '../../source/mutations/registry.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {backupConfig} from './backup-helpers.js';

const hour = 3_600_000;
const now = Date.parse('2025-12-10T12:00:00Z');

function entry(name: string, kind: BackupEntry['kind'], hoursAgo: number, verified = false): BackupEntry {
	return {name, path: `/b/${name}`, kind, sizeBytes: 1, createdAt: now - hoursAgo * hour, meta: undefined, verified: verified ? {at: '', ok: true, mode: 'quick'} : null};
}

describe('planPrune', () => {
	it('keeps the newest N', () => {
		const entries = [1, 2, 3, 4, 5].map(h => entry(`auto_${h}.db`, 'auto', h));
		const plan = planPrune(entries, 3, now);
		expect(plan.keep.map(e => e.name)).toEqual(['auto_1.db', 'auto_2.db', 'auto_3.db']);
		expect(plan.remove.map(e => e.name)).toEqual(['auto_4.db', 'auto_5.db']);
	});

	it('never removes the newest verified backup, a safety backup younger than a day, nor the newest verified one before the oldest kept; manual ones are not counted', () => {
		const entries = [
			entry('manual_1.db', 'manual', 1),
			entry('auto_2.db', 'auto', 2),
			entry('safety_3.db', 'safety', 3),
			entry('auto_4.db', 'auto', 4),
			entry('auto_5.db', 'auto', 50, true), // old but the newest verified one
			entry('auto_6.db', 'auto', 60, true),
			entry('safety_7.db', 'safety', 30), // older than a day: no protection
			entry('other.db', 'other', 100), // not ours: neither counted nor touched
		];
		const plan = planPrune(entries, 3, now);
		// automatic: auto_5 (newest verified) and safety_3 (young) protected, auto_2 the newest other;
		// auto_6 is the newest verified one older than the oldest kept (auto_5); manual_1 not counted
		expect(plan.keep.map(e => e.name)).toEqual(['manual_1.db', 'auto_2.db', 'safety_3.db', 'auto_5.db', 'auto_6.db']);
		expect(plan.remove.map(e => e.name)).toEqual(['auto_4.db', 'safety_7.db']);
	});

	// issue 13, case 11
	it('automatic backups never push out a manual one (two restarts after an app bug pruned the last good manual backup)', () => {
		const entries = [
			entry('auto_1.db', 'auto', 1, true), // restarts: each verified, each holds the bad state
			entry('auto_2.db', 'auto', 2, true),
			entry('auto_3.db', 'auto', 3, true),
			entry('manual_4.db', 'manual', 4, true), // the last good one
			entry('manual_5.db', 'manual', 40),
		];
		const plan = planPrune(entries, 3, now);
		expect(plan.keep.map(e => e.name)).toEqual(['auto_1.db', 'auto_2.db', 'auto_3.db', 'manual_4.db', 'manual_5.db']);
		expect(plan.remove).toEqual([]);
		// prune --manual: the retention applies to the manual ones, counted apart from the automatic
		const manual = planPrune([...entries, entry('manual_6.db', 'manual', 50), entry('manual_7.db', 'manual', 60)], 2, now, {manual: true});
		expect(manual.keep.map(e => e.name)).toEqual(['auto_1.db', 'auto_2.db', 'manual_4.db', 'manual_5.db']);
		expect(manual.remove.map(e => e.name)).toEqual(['auto_3.db', 'manual_6.db', 'manual_7.db']);
	});

	// issue 13, case 11
	it('keeps the newest verified backup older than every kept one (a good state before what the kept ones hold)', () => {
		const entries = [entry('auto_1.db', 'auto', 1), entry('auto_2.db', 'auto', 2), entry('auto_3.db', 'auto', 3, true), entry('auto_4.db', 'auto', 4, true), entry('auto_5.db', 'auto', 5, true)];
		const plan = planPrune(entries, 2, now);
		// auto_3 is the newest verified (kept), auto_1 the newest: auto_4 is the good one before them
		expect(plan.keep.map(e => e.name)).toEqual(['auto_1.db', 'auto_3.db', 'auto_4.db']);
		expect(plan.remove.map(e => e.name)).toEqual(['auto_2.db', 'auto_5.db']);
	});

	it('keeps every protected backup even when they alone exceed the retention', () => {
		const entries = [entry('safety_1.db', 'safety', 1), entry('safety_2.db', 'safety', 2), entry('auto_3.db', 'auto', 3, true), entry('auto_4.db', 'auto', 4)];
		const plan = planPrune(entries, 2, now);
		expect(plan.keep.map(e => e.name)).toEqual(['safety_1.db', 'safety_2.db', 'auto_3.db']);
		expect(plan.remove.map(e => e.name)).toEqual(['auto_4.db']);
	});
});

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

describe('pruneBackups', () => {
	it('deletes files and sidecars down to the retention on disk; read-only refuses', async () => {
		temp = tempSqlite();
		const config = backupConfig(temp.dir, temp.path, {backupRetention: 2});
		const base = Date.now() - 10 * hour;
		const names: string[] = [];
		for (let i = 0; i < 5; i++) names.push((await createBackup(config, {kind: 'auto', now: new Date(base + i * hour)})).name);
		await verifyBackup(config, names[0]!); // the oldest is the only verified one
		await expect(pruneBackups({...config, readOnly: true})).rejects.toThrow(ReadOnlyError);
		expect((await listBackups(config.backupDir)).length).toBe(5);

		const result = await pruneBackups(config);
		expect(result.kept).toEqual([names[4], names[0]]);
		expect(result.removed.sort()).toEqual([names[1], names[2], names[3]].sort());
		const files = fs.readdirSync(config.backupDir).sort();
		expect(files).toEqual([names[0], `${names[0]}.json`, names[4], `${names[4]}.json`].sort());
		// nothing left to prune: nothing happens
		expect((await pruneBackups(config)).removed).toEqual([]);
		expect(fs.existsSync(path.join(config.backupDir, names[4]!))).toBe(true);
	});
});

// issue 13, case 10 (and 9): the automatic clean-up of stale partials never deletes a safety backup's partial
describe('a new backup and the partials killed operations left', () => {
	it('removes a stale backup partial but keeps a safety partial (it may be the only copy of the state before a restore)', async () => {
		temp = tempSqlite();
		const config = backupConfig(temp.dir, temp.path);
		fs.mkdirSync(config.backupDir, {recursive: true});
		const backupPartial = path.join(config.backupDir, '.manual_2025-01-01T00-00-00.db.partial');
		const safetyPartial = path.join(config.backupDir, '.safety_2025-01-01T00-00-00.db.partial');
		fs.writeFileSync(backupPartial, 'x');
		fs.writeFileSync(safetyPartial, 'y');
		// two hours on: both are stale by their ctime
		await createBackup(config, {kind: 'manual', now: new Date(Date.now() + 2 * hour)});
		expect(fs.existsSync(backupPartial)).toBe(false);
		expect(fs.readFileSync(safetyPartial, 'utf8')).toBe('y');
	});
});
