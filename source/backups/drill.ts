// Restore drills (issue 19): a backup is restored into a scratch file — never the live one — and the
// copy is checked as the app would need it: integrity_check, foreign_key_check, the row count of
// every table against the counts recorded in the sidecar when the backup was taken, the sha256
// against the sidecar's, and the operator's DRILL_CHECKS queries. The result (time, backup,
// duration, findings) goes into the sidecar and the drill log. The scratch copy is removed on every
// path, and by a signal too (a temp file of this operation).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {formatCount} from '../text/format.js';
import {BackupError} from './backups.js';
import {appendDrillLog} from './drill-log.js';
import {isLiveFile, listBackups, readSidecar, storageProblem, writeSidecar, type BackupMeta, type DrillRecord} from './files.js';
import {BackupNameError, resolveBackupName, sidecarName} from './names.js';
import {runWorkerTask, type DrillCheck, type DrillPartResult, type ForeignKeyProblem, type TableCounts} from './worker.js';
import {forgetTemp, trackTemp} from '../system/temp-files.js';
import {quote} from '../text/sanitize.js';

type DrillConfig = Pick<Config, 'backupDir' | 'sqlitePath' | 'drillChecks'>;

export type TableComparison = {readonly table: string; readonly recorded: number | null | undefined; readonly restored: number | null | undefined};

export type DrillResult = DrillRecord & {
	readonly integrity: string | undefined;
	readonly foreignKeys: {readonly count: number; readonly samples: readonly ForeignKeyProblem[]} | undefined;
	/** undefined: the sidecar recorded no counts (an old backup) */
	readonly tables: readonly TableComparison[] | undefined;
	readonly checks: readonly DrillCheck[];
	/** what the drill could not compare (no sidecar, no counts recorded): not findings */
	readonly notes: readonly string[];
	/** why the result could not be written to the sidecar or the drill log */
	readonly notRecorded: readonly string[];
};

export type DrillTarget = {
	readonly name?: string;
	readonly newest?: boolean;
	/** a file by path (a downloaded remote copy), its sidecar beside it */
	readonly file?: string;
	/** with `file`: the remote copy it was downloaded from (its name there and the remote's sidecar); recorded in the drill log only */
	readonly remote?: {readonly id: string; readonly name: string; readonly meta: BackupMeta | undefined};
};

/** the backup to drill: by name, the newest, or a file by path; with the folder its sidecar is in */
async function target(config: DrillConfig, which: DrillTarget): Promise<{name: string; file: string; dir: string; byPath: boolean}> {
	if (which.file !== undefined) {
		const file = path.resolve(which.file);
		if (!fs.existsSync(file)) throw new BackupNameError(`no file to drill at ${file}`);
		if (isLiveFile(file, config.sqlitePath)) throw new BackupNameError(`${file} is the live data file (SQLITE_PATH), not a backup: refused`);
		return {name: which.remote?.name ?? path.basename(file), file, dir: path.dirname(file), byPath: true};
	}
	if (which.name !== undefined) {
		const file = resolveBackupName(config.backupDir, which.name);
		if (isLiveFile(file, config.sqlitePath)) throw new BackupNameError(`${which.name} is the live data file (SQLITE_PATH), not a backup: refused`);
		return {name: which.name, file, dir: config.backupDir, byPath: false};
	}
	const newest = (await listBackups(config.backupDir, config.sqlitePath)).find(e => e.createdAt <= Date.now() + 2000);
	if (!newest) throw new BackupError(`no backup to drill in ${config.backupDir} (opsdeck backup create takes one)`);
	return {name: newest.name, file: newest.path, dir: config.backupDir, byPath: false};
}

/** A scratch file for the restored copy: hidden in the backup folder (its disk is sized for backups), else the temp folder. */
async function scratchFile(dir: string, name: string): Promise<string> {
	const base = `.drill_${process.pid}_${Date.now()}_${name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80)}.partial`;
	for (const folder of [dir, os.tmpdir()]) {
		const file = path.join(folder, base);
		try {
			fs.closeSync(fs.openSync(file, 'wx', 0o600));
			return file;
		} catch {
			// a read-only or full folder: the next one
		}
	}
	throw new BackupError(`cannot make a scratch file for the drill in ${dir} or ${os.tmpdir()}`);
}

function compareCounts(recorded: TableCounts | undefined, restored: TableCounts): {tables: TableComparison[] | undefined; findings: string[]} {
	const restoredNames = Object.keys(restored);
	if (!recorded || typeof recorded !== 'object' || (Object.keys(recorded).length === 0 && restoredNames.length > 0)) return {tables: undefined, findings: []};
	const names = [...new Set([...Object.keys(recorded), ...restoredNames])].sort();
	const tables = names.map(table => ({table, recorded: recorded[table], restored: restored[table]}));
	const findings: string[] = [];
	for (const t of tables) {
		if (t.restored === undefined) findings.push(`table ${t.table}: in the sidecar (${formatCount(t.recorded ?? undefined)} rows), missing from the restored copy`);
		else if (t.recorded === undefined) findings.push(`table ${t.table}: ${formatCount(t.restored ?? undefined)} rows restored, not in the sidecar`);
		else if (t.recorded !== null && t.restored !== null && t.recorded !== t.restored) findings.push(`row count of ${t.table}: ${formatCount(t.restored)} restored, ${formatCount(t.recorded)} recorded when the backup was taken`);
	}
	return {tables, findings};
}

function fkFinding(fk: NonNullable<DrillPartResult['foreignKeys']>): string {
	const first = fk.samples[0];
	const example = first ? ` (e.g. ${first.table} rowid ${first.rowid ?? '-'} -> ${first.parent})` : '';
	return `foreign_key_check: ${formatCount(fk.count)} ${fk.count === 1 ? 'row points at a missing parent' : 'rows point at missing parents'}${example}`;
}

function checkFinding(check: DrillCheck): string {
	const sql = check.sql.length > 80 ? `${check.sql.slice(0, 77)}...` : check.sql;
	if (check.error) return `check ${quote(sql)}: ${check.value === null && check.error === 'returned no row' ? 'returned no row' : `error: ${check.error}`}`;
	return `check ${quote(sql)}: returned ${typeof check.value === 'string' ? quote(check.value) : JSON.stringify(check.value ?? null)}`;
}

async function removeScratch(file: string): Promise<void> {
	await Promise.all(['', '-wal', '-shm', '-journal'].map(s => fs.promises.rm(file + s, {force: true}).catch(() => undefined)));
	forgetTemp(file);
}

/**
 * Drills one backup: copies it into a scratch file, runs the checks on the copy in two worker
 * threads at once, records the result. A backup that fails is an answer (ok: false, findings),
 * not a throw; a backup that cannot be found or a scratch file that cannot be made is a throw.
 */
export async function drillBackup(config: DrillConfig, which: DrillTarget = {newest: true}, options: {readonly now?: () => number} = {}): Promise<DrillResult> {
	const now = options.now ?? Date.now;
	const started = now();
	const {name, file, dir, byPath} = await target(config, which);
	const meta: BackupMeta | undefined = which.remote && which.file !== undefined ? which.remote.meta : readSidecar(dir, name);
	const scratch = await scratchFile(byPath ? dir : config.backupDir, name);
	trackTemp(scratch);
	const findings: string[] = [];
	const notes: string[] = [];
	let parts: [DrillPartResult | undefined, DrillPartResult | undefined] = [undefined, undefined];
	try {
		try {
			await fs.promises.copyFile(file, scratch, fs.constants.COPYFILE_FICLONE);
		} catch (error) {
			throw new BackupError(`drill of ${name}: cannot restore it into ${scratch}: ${(await storageProblem(error, path.dirname(scratch))) ?? (error as Error).message}`);
		}
		const settled = await Promise.allSettled([
			runWorkerTask<DrillPartResult>({kind: 'drill', file: scratch, integrity: true}),
			runWorkerTask<DrillPartResult>({kind: 'drill', file: scratch, hash: true, relations: true, counts: true, checks: config.drillChecks}),
		]);
		for (const [i, s] of settled.entries()) {
			if (s.status === 'fulfilled') parts[i as 0 | 1] = s.value;
			else findings.push(`the restored copy cannot be read: ${(s.reason as Error).message}`);
		}
	} finally {
		await removeScratch(scratch);
	}
	const [integrityPart, rest] = parts;
	parts = [undefined, undefined];
	if (integrityPart && integrityPart.integrity !== 'ok') findings.push(`integrity_check: ${integrityPart.integrity ?? 'no answer'}`);
	if (rest?.foreignKeys && rest.foreignKeys.count > 0) findings.push(fkFinding(rest.foreignKeys));
	if (meta?.sha256 && rest?.sha256 && meta.sha256 !== rest.sha256) findings.unshift('sha256 of the backup does not match the one recorded when it was taken (the file changed)');
	if (!meta) notes.push('no sidecar: no sha256 or row counts to compare');
	const compared = rest?.tables ? compareCounts(meta?.tables, rest.tables) : {tables: undefined, findings: []};
	if (meta && rest?.tables && !compared.tables) notes.push('no counts recorded');
	findings.push(...compared.findings);
	for (const check of rest?.checks ?? []) if (!check.ok) findings.push(checkFinding(check));
	const record: DrillRecord = {at: new Date(started).toISOString(), backup: name, ok: findings.length === 0, durationMs: Math.round(now() - started), findings, ...(which.remote ? {remote: which.remote.id} : byPath ? {file} : {})};
	const notRecorded: string[] = [];
	// a remote copy's sidecar is the remote's: only the drill log records its drill
	if (meta && !which.remote) {
		// read again: a verify that ran meanwhile keeps its result
		await writeSidecar(dir, {...(readSidecar(dir, name) ?? meta), drill: record}).catch(async (error: unknown) => notRecorded.push(`sidecar ${path.join(dir, sidecarName(name))}: ${(await storageProblem(error, dir)) ?? (error as Error).message}`));
	}
	await appendDrillLog(config.backupDir, record).catch(async (error: unknown) => notRecorded.push(`drill log in ${config.backupDir}: ${(await storageProblem(error, config.backupDir)) ?? (error as Error).message}`));
	return {...record, integrity: integrityPart?.integrity, foreignKeys: rest?.foreignKeys, tables: compared.tables, checks: rest?.checks ?? [], notes, notRecorded};
}
