// P3: backup of the ~500 MB SQLite file (opsdeck's op) vs `sqlite3 FILE ".backup OUT"`.
// P4: restore of that backup over a live file, checks included, vs the careful manual restore (and
// P4b vs `cp && sync`, the durable floor).
import fs from 'node:fs';
import path from 'node:path';
import {createBackup} from '../../../build/backups/backups.js';
import {planRestore, restoreBackup} from '../../../build/backups/restore.js';
import {mustRun} from '../lib/proc.mjs';
import {alternate, alternateSides, median, now} from '../lib/stats.mjs';

function rmAll(files) {
	for (const file of files) fs.rmSync(file, {force: true, recursive: true});
}

/** a private copy of the cached data file (WAL mode), so nothing the bench does touches the cache */
function liveCopy(ctx, name) {
	const data = ctx.dataFile();
	const live = path.join(ctx.tmp, name);
	rmAll([live, `${live}-wal`, `${live}-shm`]);
	fs.copyFileSync(data.file, live);
	return {live, data};
}

export const P3 = {
	id: 'P3',
	work: 'backup of a ~500 MB SQLite file',
	opsdeckCommand: 'createBackup() (the op behind `opsdeck backup create` and `n` on the Backups tab): the file copied byte for byte under one read transaction in a worker (its WAL holds no frame waiting for a checkpoint; else the backup API in one step), row counts, fsync, sha256 of the same bytes by a second worker at the same time, sidecar',
	baselineCommand: 'sqlite3 FILE ".backup OUT"',
	target: {kind: 'ratio', max: 1.0},
	async run(ctx) {
		const {live, data} = liveCopy(ctx, 'p3-live.db');
		const dir = path.join(ctx.tmp, 'p3-backups');
		const out = path.join(ctx.tmp, 'p3-sqlite3.db');
		const samples = await alternate(ctx.reps, async () => {
			rmAll([dir]);
			const t = now();
			const entry = await createBackup({sqlitePath: live, backupDir: dir});
			const ms = now() - t;
			if (entry.sizeBytes < data.sizeBytes * 0.9) throw new Error(`backup is ${entry.sizeBytes} bytes`);
			rmAll([dir]);
			return ms;
		}, async () => {
			rmAll([out]);
			const r = await mustRun('sqlite3', [live, `.backup ${out}`]);
			rmAll([out]);
			return r.ms;
		}, {log: ctx.log});
		rmAll([live, `${live}-wal`, `${live}-shm`]);
		return {...samples, note: `${(data.sizeBytes / 1048576).toFixed(0)} MB, ${data.rows.toLocaleString('en-US')} messages, WAL mode with its WAL checkpointed (no -wal file: the byte-for-byte copy); both fsync the copy`};
	},
};

// P4's anchors are run by the bench as a person would type them, one process after another:
// (a) the careful manual restore — check the backup, hash it against its record, copy, flush, swap —
// and (b) the durable floor, a copy flushed to disk. `sync FILE` (fsync of that file) rather than a
// bare `sync`: the same durability for the file, without flushing what other jobs on a shared
// machine have written (which would only make the anchor slower).
async function carefulRestore(backup, sha256, temp, live) {
	const t = now();
	const check = await mustRun('sqlite3', [backup, 'pragma quick_check'], {keep: true});
	if (check.stdout.trim() !== 'ok') throw new Error(`quick_check: ${check.stdout.trim()}`);
	const hash = await mustRun('sha256sum', [backup], {keep: true});
	if (hash.stdout.split(' ')[0] !== sha256) throw new Error('sha256sum does not match the sidecar');
	await mustRun('cp', [backup, temp]);
	await mustRun('sync', [temp]);
	await mustRun('mv', [temp, live]);
	return now() - t;
}

async function durableCopy(backup, temp) {
	const t = now();
	await mustRun('cp', [backup, temp]);
	await mustRun('sync', [temp]);
	const ms = now() - t;
	rmAll([temp]);
	return ms;
}

export const P4 = {
	id: 'P4',
	work: 'restore of that backup, checks included',
	opsdeckCommand: 'what `opsdeck backup restore NAME --yes` does, over an existing live file: planRestore() (row counts from the sidecar; the live file counted; holders) then restoreBackup() (the copy into a temp file and its fsync, the copy hashed as it lands by a second worker and compared with the sidecar, the backup quick_checked meanwhile by a third, the live file described for its safety sidecar by a fourth; then the safety backup by hard link, swap, open check)',
	baselineCommand: "the careful manual restore, run by the bench: sqlite3 B 'pragma quick_check' && sha256sum B (compared with the sidecar) && cp B T && sync T && mv T LIVE",
	target: {kind: 'ratio', max: 1.0},
	async run(ctx) {
		const {live, data} = liveCopy(ctx, 'p4-live.db');
		const dir = path.join(ctx.tmp, 'p4-backups');
		rmAll([dir]);
		const backup = await createBackup({sqlitePath: live, backupDir: dir});
		const config = {sqlitePath: live, backupDir: dir, readOnly: false, auditLog: path.join(ctx.tmp, 'audit.log')};
		const manualLive = path.join(ctx.tmp, 'p4-manual-live.db');
		const temp = path.join(ctx.tmp, 'p4-temp.db');
		const split = {plan: [], restore: [], copy: []};
		const sides = await alternateSides(ctx.reps, {
			async opsdeck() {
				// a fresh live file each time (restored files would be identical, but the WAL state is not)
				liveCopy(ctx, 'p4-live.db');
				const t = now();
				// as `backup restore NAME --yes` plans it: the restore verifies the backup as it copies it
				const plan = await planRestore(config, backup.name, {verify: false});
				const planned = now();
				let copyStarted = 0;
				let copied = 0;
				const result = await restoreBackup(config, backup.name, {onStep: step => {
					if (step === 'copy') copyStarted = now();
					else if (step === 'verify') copied = now();
				}});
				const ms = now() - t;
				split.plan.push(planned - t);
				split.restore.push(now() - planned);
				split.copy.push(copied - copyStarted);
				if (plan.rows.length === 0 || result.check !== 'ok') throw new Error(`restore check: ${result.check}`);
				for (const name of fs.readdirSync(dir)) if (name.startsWith('safety_')) rmAll([path.join(dir, name)]);
				return ms;
			},
			careful: () => carefulRestore(backup.path, backup.meta.sha256, temp, manualLive),
			floor: () => durableCopy(backup.path, temp),
		}, {log: ctx.log});
		rmAll([live, `${live}-wal`, `${live}-shm`, dir, manualLive, temp]);
		const mb = (data.sizeBytes / 1048576).toFixed(0);
		return {
			opsdeck: sides.opsdeck,
			baseline: sides.careful,
			split,
			note: `${mb} MB backup restored over a live file of the same size; opsdeck's median plan ${median(split.plan).toFixed(0)} ms (counts, holders) + restore ${median(split.restore).toFixed(0)} ms (of which the copy to the temp file and its fsync, hashed as it lands, ${median(split.copy).toFixed(0)} ms, ${Math.min(...split.copy).toFixed(0)}-${Math.max(...split.copy).toFixed(0)} ms over the rounds)`,
			extra: [{
				id: 'P4b',
				work: 'restore of that backup, against the durable floor',
				opsdeckCommand: 'the same opsdeck restores as P4',
				baselineCommand: 'cp B T && sync T (a copy flushed to disk: no check, no swap), alternating with P4\'s sides',
				target: {kind: 'ratio', max: 2.0},
				result: {opsdeck: sides.opsdeck, baseline: sides.floor, note: `${mb} MB`},
			}],
		};
	},
};
