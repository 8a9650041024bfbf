// P10b: a restore drill of a ~500 MB backup (issue 19) vs `sqlite3 FILE 'pragma integrity_check'`.
import fs from 'node:fs';
import path from 'node:path';
import {createBackup} from '../../../build/backups/backups.js';
import {drillBackup} from '../../../build/backups/drill.js';
import {mustRun} from '../lib/proc.mjs';
import {alternate, median, now} from '../lib/stats.mjs';

export const P10b = {
	id: 'P10b',
	work: 'restore drill of a ~500 MB backup',
	opsdeckCommand: 'drillBackup() (the op behind `opsdeck backup drill` and serve\'s DRILL_INTERVAL_HOURS): the backup copied into a scratch file, then in two workers at once integrity_check, and the sha256 of the copy, foreign_key_check, the row count of every table against the sidecar; the result written to the sidecar and the drill log; the scratch copy removed',
	baselineCommand: "sqlite3 BACKUP 'pragma integrity_check' (on the backup itself: no copy, no other check)",
	target: {kind: 'ratio', max: 1.2},
	async run(ctx) {
		const data = ctx.dataFile();
		const live = path.join(ctx.tmp, 'p10b-live.db');
		const dir = path.join(ctx.tmp, 'p10b-backups');
		fs.rmSync(dir, {recursive: true, force: true});
		fs.copyFileSync(data.file, live);
		const backup = await createBackup({sqlitePath: live, backupDir: dir});
		const config = {sqlitePath: live, backupDir: dir, drillChecks: []};
		const copy = [];
		const samples = await alternate(ctx.reps, async () => {
			const t = now();
			const result = await drillBackup(config, {name: backup.name});
			if (!result.ok) throw new Error(`drill failed: ${result.findings.join('; ')}`);
			return now() - t;
		}, async () => {
			const r = await mustRun('sqlite3', [backup.path, 'pragma integrity_check'], {keep: true});
			if (r.stdout.trim() !== 'ok') throw new Error(`integrity_check: ${r.stdout.trim().slice(0, 200)}`);
			return r.ms;
		}, {log: ctx.log});
		const t = now();
		fs.copyFileSync(backup.path, path.join(ctx.tmp, 'p10b-copy.db'));
		copy.push(now() - t);
		fs.rmSync(path.join(ctx.tmp, 'p10b-copy.db'), {force: true});
		for (const file of [live, `${live}-wal`, `${live}-shm`, dir]) fs.rmSync(file, {recursive: true, force: true});
		return {...samples, note: `${(data.sizeBytes / 1048576).toFixed(0)} MB backup; the copy into the scratch file alone took ${median(copy).toFixed(0)} ms once; the drill does integrity_check plus the other checks on two cores`};
	},
};
