// Restore a backup over the live data file, so that a crash at any moment leaves the live file
// either the old database or the new one, never a mix:
//   1. the backup is copied to a hidden temp file beside the live one and fsynced; meanwhile the
//      backup's bytes are checked (sha256 against the sidecar, quick_check; a passed verification
//      recorded minutes ago stands), holders of the live file are looked for and the live file is
//      described for its safety sidecar — a bad backup or a holder stops here, nothing touched;
//   2. the live WAL is folded into the file (checkpoint TRUNCATE) and the live file kept as the
//      safety_ backup (hard link, or a real backup);
//   3. the -wal/-shm/-journal files are removed — an old WAL left beside the new file would be
//      replayed into it — then rename(temp → live) (atomic) and fsync the folder;
//   4. the result opens, its schema reads and its size is what its pages say.
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config.js';
import {verifyBackup, BackupError, type VerifyResult} from './backups.js';
import {keepSafety, type Safety} from './restore-safety.js';
import {fsyncDir, fsyncPath, readSidecar} from './backup-files.js';
import {resolveBackupName} from './backup-names.js';
import {runWorkerTask, startWorkerTask, type InspectResult, type SettleResult, type TableCounts} from './backup-worker.js';
import {findHolders, type Holder} from './db-holders.js';
import {MutationRefusedError, runMutation} from './mutations.js';

export {findHolders, type Holder} from './db-holders.js';

type RestoreConfig = Pick<Config, 'sqlitePath' | 'backupDir' | 'readOnly' | 'auditLog'>;

/** The restore cannot go ahead as asked (exit 2 in a command): nothing was changed. */
export class RestoreRefusedError extends MutationRefusedError {
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
	const live = config.sqlitePath;
	// all at once: the backup verified (sha256 and quick_check, each in a worker), the live file
	// counted, its holders found; only reading, so a failed verification throws away the rest
	const [verify, current, holders] = await Promise.all([verifyBackup(config, name, {counts: true}), countLive(live), findHolders(live)]);
	if (!verify.ok) throw new RestoreRefusedError(`backup ${name} failed verification (${verify.problems.join('; ')}): nothing was changed`);
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
		const dir = path.dirname(live);
		await fs.promises.mkdir(dir, {recursive: true});
		await removeStaleTemps(dir, path.basename(live));
		const temp = path.join(dir, `.${path.basename(live)}.restore-${process.pid}.tmp`);
		// the workers for the settle and the final check start now (thread up, SQLite loaded) and run
		// their task when told: no thread start-up on the way from the copy to the swap
		const settler = liveExists ? startWorkerTask<SettleResult>({kind: 'settle', file: live, busyTimeoutMs: 250, waitForGo: true}) : undefined;
		const checker = startWorkerTask<InspectResult>({kind: 'inspect', file: live, check: 'open', waitForGo: true});
		settler?.result.catch(() => undefined);
		checker.result.catch(() => undefined);
		let safety: Safety | undefined;
		try {
			// 1. copy to a temp file beside the live one; meanwhile: who holds the live file (refused
			//    below, before anything is touched), the backup's bytes checked in worker threads (unless
			//    a verification recorded minutes ago still holds), the live file described for its
			//    safety sidecar
			options.onStep?.('copy');
			const holders = liveExists && !options.force ? findHolders(live) : Promise.resolve([]);
			const checks = verifyBytes(config.backupDir, name, backupPath);
			const liveBefore = liveExists ? await fileKey(live) : undefined;
			const described = liveExists ? runWorkerTask<InspectResult>({kind: 'inspect', file: live, hash: true, counts: true}) : undefined;
			holders.catch(() => undefined);
			checks.catch(() => undefined);
			described?.catch(() => undefined);
			await fs.promises.copyFile(backupPath, temp);
			await fsyncPath(temp);
			const held = await holders;
			if (held.length > 0) {
				throw new RestoreRefusedError(`${live} is open in another process (${describeHolders(held)}): stop it first, or use --force; nothing was changed`);
			}
			options.onStep?.('verify');
			await checks;
			// (before the settle below opens the live file: the two must not overlap)
			const liveInfo = await described?.catch(() => undefined);

			// 2. the live file's WAL folded in, then kept as the safety backup
			if (liveExists && settler) {
				settler.post({type: 'go'});
				const settled = await settler.result;
				if (settled.busy && !options.force) {
					throw new RestoreRefusedError(`${live} is locked by another connection (a write in progress): stop the app first, or use --force; nothing was changed`);
				}
				options.onStep?.('safety');
				// the description holds only if the file is what was described: folding the WAL in did
				// not change it, nor did anything else meanwhile (same inode, size, mtime, ctime)
				const unchanged = !settled.changed && liveBefore !== undefined && liveBefore === await fileKey(live);
				const known = unchanged && !liveInfo?.error ? liveInfo : undefined;
				safety = await keepSafety(config, live, {linkable: settled.checkpointed && !settled.error, known});
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
			checker.post({type: 'go'});
			const [after] = await Promise.all([checker.result, safety?.describe()]);
			if (after.error || after.check !== 'ok') throw new BackupError(`the restored file does not check out: ${after.error ?? after.check ?? 'no answer'}`);
			return {name, live, safety: safetyName, check: after.check, durationMs: Date.now() - started};
		} finally {
			settler?.stop();
			checker.stop();
			await safety?.abandon();
			await removeFiles([temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]).catch(() => undefined);
		}
	});
}

/** identity and last change of a file: equal keys, same bytes (as far as the filesystem tells) */
async function fileKey(file: string): Promise<string | undefined> {
	try {
		const st = await fs.promises.stat(file, {bigint: true});
		return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
	} catch {
		return undefined;
	}
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
