// Restore a backup over the live data file, so that a crash at any moment leaves the live file
// either the old database or the new one, never a mix:
//   1. the backup is copied to a hidden temp file beside the live one, fsynced, and that copy is
//      verified (sha256 against the sidecar, quick_check) — a bad backup stops here, nothing touched;
//   2. a safety_ backup of the live file is taken;
//   3. the live WAL is folded into the file (checkpoint TRUNCATE), then the -wal/-shm/-journal files
//      are removed — an old WAL left beside the new file would be replayed into it;
//   4. rename(temp → live) (atomic), fsync the folder, quick_check the result.
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config.js';
import {createBackup, verifyBackup, BackupError, type VerifyResult} from './backups.js';
import {fsyncDir, fsyncPath, readSidecar} from './backup-files.js';
import {newBackupName, resolveBackupName} from './backup-names.js';
import {runWorkerTask, type InspectResult, type SettleResult, type TableCounts} from './backup-worker.js';
import {findHolders, type Holder} from './db-holders.js';
import {runMutation} from './mutations.js';

export {findHolders, type Holder} from './db-holders.js';

type RestoreConfig = Pick<Config, 'sqlitePath' | 'backupDir' | 'readOnly' | 'auditLog'>;

/** The restore cannot go ahead as asked (exit 2 in a command): nothing was changed. */
export class RestoreRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RestoreRefusedError';
	}
}

export type PlanRow = {readonly table: string; readonly now: number | null | undefined; readonly backup: number | null | undefined};

export type RestorePlan = {
	readonly name: string;
	readonly backupPath: string;
	readonly live: string;
	readonly liveExists: boolean;
	/** why the live file's rows could not be counted (unreadable, corrupt) */
	readonly liveError: string | undefined;
	readonly rows: readonly PlanRow[];
	readonly holders: readonly Holder[];
	readonly verify: VerifyResult;
};

function planRows(now: TableCounts, backup: TableCounts): PlanRow[] {
	const tables = [...new Set([...Object.keys(now), ...Object.keys(backup)])].sort();
	return tables.map(table => ({table, now: now[table], backup: backup[table]}));
}

async function countLive(live: string): Promise<{tables: TableCounts; error: string | undefined}> {
	if (!fs.existsSync(live)) return {tables: {}, error: undefined};
	try {
		const result = await runWorkerTask<InspectResult>({kind: 'inspect', file: live, counts: true});
		return {tables: result.tables, error: result.error};
	} catch (error) {
		return {tables: {}, error: (error as Error).message};
	}
}

/**
 * Everything the operator is shown before confirming: the backup verified (refused when it fails),
 * the row counts per table now and in the backup, and the processes that hold the live file open.
 */
export async function planRestore(config: Pick<Config, 'sqlitePath' | 'backupDir'>, name: string): Promise<RestorePlan> {
	const backupPath = resolveBackupName(config.backupDir, name);
	const verify = await verifyBackup(config, name, {counts: true});
	if (!verify.ok) throw new RestoreRefusedError(`backup ${name} failed verification (${verify.problems.join('; ')}): nothing was changed`);
	const live = config.sqlitePath;
	const [current, holders] = await Promise.all([countLive(live), findHolders(live)]);
	return {name, backupPath, live, liveExists: fs.existsSync(live), liveError: current.error, rows: planRows(current.tables, verify.tables), holders, verify};
}

export type RestoreStep = 'copy' | 'verify' | 'safety' | 'swap' | 'check';

export type RestoreResult = {
	readonly name: string;
	readonly live: string;
	/** the safety backup of the state before the restore (undefined when there was no live file) */
	readonly safety: string | undefined;
	readonly check: string;
	readonly durationMs: number;
};

function describeHolders(holders: readonly Holder[]): string {
	return holders.map(h => `pid ${h.pid}${h.command ? ` (${h.command})` : ''}`).slice(0, 5).join(', ');
}

async function removeFiles(files: readonly string[]): Promise<void> {
	for (const file of files) await fs.promises.rm(file, {force: true});
}

/** Restores backup `name` over the live data file (through the mutation guard; confirm first). */
export async function restoreBackup(
	config: RestoreConfig,
	name: string,
	options: {readonly force?: boolean; readonly onStep?: (step: RestoreStep) => void} = {},
): Promise<RestoreResult> {
	const backupPath = resolveBackupName(config.backupDir, name);
	const live = config.sqlitePath;
	return runMutation(config, {action: 'restore', target: `${live} from ${name}`}, async () => {
		const started = Date.now();
		const liveExists = fs.existsSync(live);
		if (liveExists && !options.force) {
			const holders = await findHolders(live);
			if (holders.length > 0) {
				throw new RestoreRefusedError(`${live} is open in another process (${describeHolders(holders)}): stop it first, or use --force; nothing was changed`);
			}
		}
		const dir = path.dirname(live);
		await fs.promises.mkdir(dir, {recursive: true});
		await removeStaleTemps(dir, path.basename(live));
		const temp = path.join(dir, `.${path.basename(live)}.restore-${process.pid}.tmp`);
		try {
			options.onStep?.('copy');
			await fs.promises.copyFile(backupPath, temp);
			await fsyncPath(temp);
			options.onStep?.('verify');
			await verifyCopy(config.backupDir, name, temp);

			let safety: string | undefined;
			if (liveExists) {
				const settled = await runWorkerTask<SettleResult>({kind: 'settle', file: live, busyTimeoutMs: 250});
				if (settled.busy && !options.force) {
					throw new RestoreRefusedError(`${live} is locked by another connection (a write in progress): stop the app first, or use --force; nothing was changed`);
				}
				options.onStep?.('safety');
				safety = await takeSafety(config, live);
			}
			options.onStep?.('swap');
			await removeFiles([`${live}-wal`, `${live}-shm`, `${live}-journal`]);
			await fs.promises.rename(temp, live);
			await fsyncDir(dir);
			options.onStep?.('check');
			const after = await runWorkerTask<InspectResult>({kind: 'inspect', file: live, check: 'quick'});
			if (after.check !== 'ok') throw new BackupError(`restored file failed quick_check: ${after.error ?? after.check ?? 'no answer'}`);
			return {name, live, safety, check: after.check, durationMs: Date.now() - started};
		} finally {
			await removeFiles([temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]).catch(() => undefined);
		}
	});
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Temp copies left by a restore that was killed (its process is gone). */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
	const pattern = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.restore-(\\d+)\\.tmp(-wal|-shm|-journal)?$`);
	for (const name of await fs.promises.readdir(dir).catch(() => [] as string[])) {
		const m = pattern.exec(name);
		if (m && !alive(Number(m[1]))) await fs.promises.rm(path.join(dir, name), {force: true}).catch(() => undefined);
	}
}

/** The copy about to be installed is what was backed up: same size and sha256, and SQLite reads it. */
async function verifyCopy(backupDir: string, name: string, temp: string): Promise<void> {
	const meta = readSidecar(backupDir, name);
	let result: InspectResult;
	try {
		result = await runWorkerTask<InspectResult>({kind: 'inspect', file: temp, check: 'quick', hash: Boolean(meta?.sha256)});
	} catch (error) {
		throw new RestoreRefusedError(`backup ${name} cannot be read by SQLite (${(error as Error).message}): nothing was changed`);
	}
	if (meta?.sha256 && (result.sha256 !== meta.sha256 || result.sizeBytes !== meta.sizeBytes)) {
		throw new RestoreRefusedError(`backup ${name} does not match its recorded sha256 (truncated or changed): nothing was changed`);
	}
	if (result.error) throw new RestoreRefusedError(`backup ${name} cannot be read by SQLite (${result.error}): nothing was changed`);
	if (result.check !== 'ok') throw new RestoreRefusedError(`backup ${name} failed quick_check (${result.check ?? 'no answer'}): nothing was changed`);
}

/** A safety_ backup of the live file; when SQLite cannot read it (that may be why we restore), its raw bytes. */
async function takeSafety(config: Pick<Config, 'sqlitePath' | 'backupDir'>, live: string): Promise<string> {
	try {
		return (await createBackup(config, {kind: 'safety'})).name;
	} catch {
		await fs.promises.mkdir(config.backupDir, {recursive: true});
		const name = newBackupName(config.backupDir, 'safety');
		const target = path.join(config.backupDir, name);
		await fs.promises.copyFile(live, target, fs.constants.COPYFILE_EXCL);
		await fsyncPath(target);
		await fsyncDir(config.backupDir);
		return name;
	}
}
