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
import {verifyBackup, BackupError, type VerifyResult} from './backups.js';
import {keepSafety, type Safety} from './restore-safety.js';
import {fsyncDir, fsyncPath, readSidecar} from './backup-files.js';
import {resolveBackupName} from './backup-names.js';
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
	return runMutation(config, {action: 'restore', target: `${config.sqlitePath} from ${name}`}, async () => {
		const started = Date.now();
		// the real file: a symlinked data path keeps its symlink, the file it points to is replaced
		const live = realOrSelf(config.sqlitePath);
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
		let safety: Safety | undefined;
		try {
			// 1. copy; meanwhile, in worker threads: check the backup's bytes (unless a verification
			//    recorded minutes ago still holds) and describe the live file for its safety sidecar
			options.onStep?.('copy');
			const checks = verifyBytes(config.backupDir, name, backupPath);
			const described = liveExists ? runWorkerTask<InspectResult>({kind: 'inspect', file: live, hash: true, counts: true}) : undefined;
			checks.catch(() => undefined);
			described?.catch(() => undefined);
			await fs.promises.copyFile(backupPath, temp);
			await fsyncPath(temp);
			options.onStep?.('verify');
			await checks;
			// (before the settle below opens the live file: the two must not overlap)
			const liveInfo = await described?.catch(() => undefined);

			// 2. the live file's WAL folded in, then kept as the safety backup
			if (liveExists) {
				const settled = await runWorkerTask<SettleResult>({kind: 'settle', file: live, busyTimeoutMs: 250});
				if (settled.busy && !options.force) {
					throw new RestoreRefusedError(`${live} is locked by another connection (a write in progress): stop the app first, or use --force; nothing was changed`);
				}
				options.onStep?.('safety');
				// the description holds only if folding the WAL in did not change the file
				const known = settled.changed ? undefined : liveInfo;
				safety = await keepSafety(config, live, {linkable: settled.checkpointed && !settled.error, known: known?.error ? undefined : known});
			}

			// 3. the swap: stale WAL files out first (an old WAL would be replayed into the new file), then rename
			options.onStep?.('swap');
			await removeFiles([`${live}-wal`, `${live}-shm`, `${live}-journal`]);
			await fs.promises.rename(temp, live);
			await fsyncDir(dir);
			const safetyName = await safety?.commit();

			// 4. the result: these bytes passed quick_check above; here it opens, its schema reads,
			//    its size is what its pages say (and the safety sidecar is written meanwhile)
			options.onStep?.('check');
			const [after] = await Promise.all([
				runWorkerTask<InspectResult>({kind: 'inspect', file: live, check: 'open'}),
				safety?.describe(),
			]);
			if (after.error || after.check !== 'ok') throw new BackupError(`the restored file does not check out: ${after.error ?? after.check ?? 'no answer'}`);
			return {name, live, safety: safetyName, check: after.check, durationMs: Date.now() - started};
		} finally {
			await safety?.abandon();
			await removeFiles([temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]).catch(() => undefined);
		}
	});
}

function realOrSelf(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return path.resolve(file);
	}
}

const trustVerifiedForMs = 15 * 60_000;

/**
 * The backup's bytes are what was backed up (same size and sha256 as the sidecar) and SQLite reads
 * them (quick_check): both in worker threads at once, while the caller copies the file. A passed
 * verification recorded in the last minutes (the plan shown before the confirm makes one) stands,
 * as long as the file has not been modified since.
 */
async function verifyBytes(backupDir: string, name: string, file: string): Promise<void> {
	const meta = readSidecar(backupDir, name);
	const stat = await fs.promises.stat(file);
	const at = meta?.verified?.ok ? Date.parse(meta.verified.at) : Number.NaN;
	if (meta?.sha256 && meta.sizeBytes === stat.size && at >= stat.mtimeMs && Date.now() - at < trustVerifiedForMs) return;
	const refuse = (why: string) => new RestoreRefusedError(`backup ${name} ${why}: nothing was changed`);
	const [hashed, checked] = await Promise.all([
		meta?.sha256 ? runWorkerTask<InspectResult>({kind: 'inspect', file, hash: true}) : undefined,
		runWorkerTask<InspectResult>({kind: 'inspect', file, check: 'quick'}),
	]);
	if (meta?.sha256 && hashed && (hashed.sha256 !== meta.sha256 || hashed.sizeBytes !== meta.sizeBytes)) throw refuse('does not match its recorded sha256 (truncated or changed)');
	if (checked.error) throw refuse(`cannot be read by SQLite (${checked.error})`);
	if (checked.check !== 'ok') throw refuse(`failed quick_check (${checked.check ?? 'no answer'})`);
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
