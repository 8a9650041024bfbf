// Backups of the app's SQLite file: create (a consistent snapshot, off the main thread), list,
// verify, delete, prune, and the overview the Backups tab shows. Restore is in restore.ts.
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {formatCount} from '../text/format.js';
import {fsReason} from '../text/fs-reason.js';
import {deniedText} from '../system/file-owner.js';
import {BackupNameError, newBackupName, partialName, resolveBackupName, sidecarName, type BackupKind} from './names.js';
import {diskSpace, fsyncDir, isLiveFile, listBackups, readBackupFolder, readSidecar, sidecarUnreadable, sourceProblem, storageProblem, writeSidecar, type BackupEntry, type BackupMeta, type RefusedEntry, type Verification} from './files.js';
import {ensureDir, EnsureDirError} from '../system/ensure-dir.js';
import {forgetTemp, trackTemp, wasAbandoned} from '../system/temp-files.js';
import {runWorkerTask, startWorkerTask, WorkerTaskError, type FollowResult, type HashResult, type InspectResult, type SnapshotResult, type WorkerHandle} from './worker.js';
import {planPrune} from './prune.js';
import {formatRetentionRules} from './retention.js';
import {listLeftovers} from './leftovers.js';
import {runMutation} from '../mutations/registry.js';
import {assertDataFile} from '../backends/sqlite.js';
import {prunable} from './leftovers.js';

export {listBackups, readBackupFolder, diskSpace, type BackupEntry, type BackupMeta, type RefusedEntry, type Verification} from './files.js';
export {planPrune, type PrunePlan} from './prune.js';
export {applyRetention, planRetention, parseRetentionRules, formatRetentionRules, type RetentionRules, type RetentionStore, type RetentionEntry, type RetentionPlan} from './retention.js';
export {listLeftovers, type Leftover} from './leftovers.js';
export {resolveBackupName, BackupNameError, parseBackupName, type BackupKind} from './names.js';

type BackupConfig = Pick<Config, 'sqlitePath' | 'backupDir'>;
type MutatingConfig = BackupConfig & Pick<Config, 'readOnly' | 'auditLog' | 'backupRetention'> & Partial<Pick<Config, 'backupKeep'>>;

export type BackupPhase = 'copy' | 'count' | 'hash' | 'check';
/** ratio 0..1 of the whole job, and what it is doing now */
export type ProgressFn = (ratio: number, phase: BackupPhase) => void;

export class BackupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupError';
	}
}

/** The backup folder cannot be made or used where it is configured (a refusal, exit 2). */
export class BackupDirError extends BackupError {
	constructor(message: string) {
		super(message);
		this.name = 'BackupDirError';
	}
}

const phaseRatio: Record<BackupPhase, number> = {copy: 0, count: 0.9, hash: 0.94, check: 0.97};

/** how long the copy must have gone unwritten (at its full length) before the follower hashes it */
const followQuietMs = 20;

/**
 * Takes a consistent snapshot of the data file while the app keeps writing, in a worker thread, into
 * a hidden `.NAME.partial`: the file copied byte for byte under one read transaction when its bytes
 * are the snapshot (no WAL frames waiting for a checkpoint), else all pages copied in one step of
 * SQLite's backup API; fsynced and counted, its sha256 taken by a second worker at the same time,
 * then the sidecar is written and the file renamed into place. Never overwrites a backup.
 */
export async function createBackup(
	config: BackupConfig,
	options: {readonly kind?: BackupKind; readonly onProgress?: ProgressFn; readonly now?: Date; /** the backup has its name (from here on an interruption leaves it, unverified) */ readonly onCreated?: (name: string) => void} = {},
): Promise<BackupEntry> {
	const kind = options.kind ?? 'manual';
	const source = config.sqlitePath;
	try {
		// before existsSync: a folder on the way that cannot be entered looks like a missing file
		assertDataFile(source);
	} catch (error) {
		throw new BackupError((error as Error).message);
	}
	if (!fs.existsSync(source)) throw new BackupError(`no SQLite data file at ${source}`);
	const dir = config.backupDir;
	try {
		await ensureDir(dir);
	} catch (error) {
		if (error instanceof EnsureDirError) throw new BackupDirError(error.message);
		throw error;
	}
	const started = options.now ?? new Date();
	await removeStalePartials(dir, started.getTime());
	// Claim the name at once (an empty partial file, exclusive create): a second backup in the same
	// second, in this process or another, picks another name. SQLite takes an empty file as a new database.
	let name: string;
	for (;;) {
		name = newBackupName(dir, kind, started);
		try {
			fs.closeSync(fs.openSync(path.join(dir, partialName(name)), 'wx', 0o600));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new BackupError(`backup of ${source} failed: ${await storageProblem(error, dir) ?? (error as Error).message}`);
		}
	}
	const partial = path.join(dir, partialName(name));
	trackTemp(partial); // Ctrl-C from here on removes it (and its -wal/-shm/-journal)

	const onProgress = options.onProgress;
	let totalBytes = 0;
	let copying = false;
	let pollTimer: NodeJS.Timeout | undefined;
	const poll = () => {
		// the copy is one step inside SQLite: its progress is how much of the file is written so far
		fs.stat(partial, (error, stat) => {
			if (!copying) return;
			if (!error && totalBytes > 0) onProgress?.(Math.min(0.89, (stat.size / totalBytes) * 0.9), 'copy');
			pollTimer = setTimeout(poll, 100);
		});
	};
	onProgress?.(0, 'copy');
	// Two workers: the snapshot (copy, row counts, fsync) and one that hashes. When the source file is
	// itself the snapshot under a read transaction (no WAL frames left to checkpoint), the snapshot
	// copies it byte for byte and the hash task, started alongside so its start-up overlaps, hashes
	// the same bytes of the source at the same time; the snapshot holds its read transaction until the
	// hash is done (released below). Otherwise SQLite's backup API copies the pages and a follower
	// hashes the copy: it starts as soon as SQLite has written the last page and only its fsync is left,
	// and proves afterwards that it hashed the final bytes (else it hashes them again).
	let follower: WorkerHandle<FollowResult> | undefined;
	const follow = (expectedBytes: number) => {
		follower = startWorkerTask<FollowResult>({kind: 'follow', file: partial, expectedBytes, quietMs: followQuietMs});
		follower.result.catch(() => undefined);
		return follower;
	};
	let rawHasher: WorkerHandle<HashResult> | undefined = startWorkerTask<HashResult>({kind: 'hash', file: source, waitForGo: true});
	rawHasher.result.catch(() => undefined);
	let rawHash: Promise<HashResult> | undefined;
	let hashError: unknown;
	let snapshotter: WorkerHandle<SnapshotResult> | undefined;
	let result: SnapshotResult;
	let sha256: string;
	try {
		const snapshotting = startWorkerTask<SnapshotResult>({kind: 'snapshot', source, dest: partial, raw: true}, progress => {
			if (progress.phase === 'copy') {
				totalBytes = progress.totalBytes ?? 0;
				if (progress.raw && rawHasher) {
					const hasher = rawHasher;
					hasher.post({type: 'go', bytes: totalBytes, fd: progress.fd});
					// the hash done, the snapshot may end its read transaction; a failed hash stops it
					rawHash = hasher.result.then(hashed => {
						snapshotter?.post({type: 'release'});
						return hashed;
					}, (error: unknown) => {
						// EBADF: the snapshot ended (failed: it closes its descriptor only after the hash
						// otherwise) and tells why itself; any other failure of the hash stops it
						if ((error as {code?: unknown}).code !== 'EBADF') {
							hashError ??= error;
							snapshotter?.stop();
						}
						throw error;
					});
					rawHash.catch(() => undefined);
				} else {
					rawHasher?.stop();
					rawHasher = undefined;
					follower ??= follow(totalBytes);
				}
				copying = true;
				if (onProgress) poll();
			} else {
				copying = false;
				onProgress?.(phaseRatio[progress.phase], progress.phase);
			}
		});
		snapshotter = snapshotting;
		const snapshot = await snapshotting.result.catch((error: unknown) => {
			// stopped because the hash failed: that is the error to tell; one the snapshot reported
			// itself (a full disk, say) is the first cause
			throw error instanceof WorkerTaskError ? error : hashError ?? error;
		});
		onProgress?.(phaseRatio.hash, 'hash');
		let hashed: {sha256: string; sizeBytes: number};
		if (snapshot.raw && rawHash) hashed = await rawHash;
		else {
			rawHasher?.stop();
			const hasher = follower ?? follow(-1);
			hasher.post({type: 'final'});
			hashed = await hasher.result;
		}
		if (hashed.sizeBytes !== snapshot.sizeBytes) throw new Error(`the copy is ${hashed.sizeBytes} bytes after hashing, ${snapshot.sizeBytes} before`);
		result = snapshot;
		sha256 = hashed.sha256;
	} catch (error) {
		follower?.stop();
		rawHasher?.stop();
		snapshotter?.stop();
		await removeQuietly([partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]);
		forgetTemp(partial);
		const named = sourceProblem(error, source) ?? await storageProblem(error, dir, totalBytes > 0 ? totalBytes : fs.statSync(source).size);
		throw new BackupError(`backup of ${source} failed: ${named ?? (error as Error).message}`);
	} finally {
		copying = false;
		clearTimeout(pollTimer);
	}
	if (wasAbandoned(partial)) {
		// interrupted (the console got a signal): its partial was removed; what the workers wrote since goes too
		await removeQuietly([partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]);
		throw new BackupError('backup interrupted: nothing was changed');
	}
	const meta: BackupMeta = {
		name,
		kind,
		sizeBytes: result.sizeBytes,
		pageCount: result.pageCount,
		pageSize: result.pageSize,
		tables: result.tables,
		sha256,
		source,
		createdAt: started.toISOString(),
		durationMs: Math.round(Date.now() - started.getTime()),
		verified: null,
	};
	// sidecar first: a crash between the two leaves an orphan sidecar (ignored), never a nameless backup
	try {
		await writeSidecar(dir, meta);
		await fs.promises.rename(partial, path.join(dir, name));
	} catch (error) {
		await removeQuietly([partial, path.join(dir, sidecarName(name))]);
		forgetTemp(partial);
		throw new BackupError(`backup of ${source} failed: ${await storageProblem(error, dir) ?? (error as Error).message}`);
	}
	forgetTemp(partial);
	options.onCreated?.(name);
	await fsyncDir(dir);
	onProgress?.(1, 'hash');
	return {name, path: path.join(dir, name), kind, sizeBytes: result.sizeBytes, createdAt: started.getTime(), meta, verified: null};
}

/** A partial file no one has written to (nor linked) for this long is what a killed backup left. */
const stalePartialMs = 60 * 60_000;

/**
 * The hidden `.NAME.partial` files (and their -wal/-shm/-journal) of backups or restores that were
 * killed half-way: removed once unchanged for an hour (ctime: a running copy writes to its file
 * all the time, a restore's hard link is seconds old), so a killed 500 MB backup does not hold its
 * disk space for ever.
 */
async function removeStalePartials(dir: string, now: number): Promise<void> {
	for (const name of await fs.promises.readdir(dir).catch(() => [] as string[])) {
		if (!/^\..+\.partial(-wal|-shm|-journal)?$/.test(name)) continue;
		// a safety backup's partial may be the only copy of the state before a restore: never removed
		// here, only listed (issue 13, case 9)
		if (name.startsWith('.safety_')) continue;
		const file = path.join(dir, name);
		const stat = await fs.promises.lstat(file).catch(() => undefined);
		if (stat?.isFile() && now - stat.ctimeMs > stalePartialMs) await fs.promises.rm(file, {force: true}).catch(() => undefined);
	}
}

async function removeQuietly(files: readonly string[]): Promise<void> {
	await Promise.all(files.map(file => fs.promises.rm(file, {force: true}).catch(() => undefined)));
}

export type VerifyResult = {
	readonly name: string;
	readonly ok: boolean;
	readonly mode: 'quick' | 'integrity';
	/** quick_check / integrity_check said ok */
	readonly checkOk: boolean;
	/** undefined when there is no sidecar to compare with */
	readonly checksumOk: boolean | undefined;
	readonly problems: readonly string[];
	readonly verified: Verification;
	/** row count per table in the backup (when asked) */
	readonly tables: BackupMeta['tables'];
	readonly sizeBytes: number;
	/** why the result could not be written to the sidecar (read-only or full folder) */
	readonly notRecorded?: string;
};

/**
 * quick_check (integrity_check with mode 'integrity') plus the sha256 against the sidecar, in two
 * worker threads at once; the result is recorded in the sidecar. Row counts (when asked) come from
 * the sidecar when the sha256 matches (the same bytes were counted when the backup was taken), else
 * SQLite counts them. A file that SQLite cannot even open is a failed verification, not a throw.
 */
export async function verifyBackup(
	config: Pick<Config, 'backupDir' | 'sqlitePath'>,
	name: string,
	options: {readonly mode?: 'quick' | 'integrity'; readonly counts?: boolean; readonly onProgress?: ProgressFn} = {},
): Promise<VerifyResult> {
	const mode = options.mode ?? 'quick';
	const dir = config.backupDir;
	const file = resolveBackupName(dir, name);
	// a backup this user may not read is not a corrupt one: say whose it is, verify nothing (defect 10)
	assertReadable(file);
	const meta = readSidecar(dir, name);
	const sidecarError = meta ? undefined : sidecarUnreadable(dir, name);
	const problems: string[] = [];
	const recordedCounts = options.counts && meta?.sha256 && meta.tables && Object.keys(meta.tables).length > 0 ? meta.tables : undefined;
	let finished = 0;
	const step = (phase: BackupPhase) => () => options.onProgress?.(++finished === 1 ? 0.5 : 0.9, phase);
	options.onProgress?.(0, 'check');
	const [hashed, checked] = await Promise.allSettled([
		runWorkerTask<InspectResult>({kind: 'inspect', file, hash: true}).finally(step('hash')),
		runWorkerTask<InspectResult>({kind: 'inspect', file, check: mode, counts: Boolean(options.counts) && !recordedCounts}).finally(step('check')),
	]);
	let inspected: InspectResult | undefined;
	if (hashed.status === 'rejected') problems.push(`cannot read it: ${(hashed.reason as Error).message}`);
	if (checked.status === 'rejected') problems.push(`SQLite cannot read it: ${(checked.reason as Error).message}`);
	else {
		const hash = hashed.status === 'fulfilled' ? hashed.value : undefined;
		// the sha256 and size as read by the hashing worker, the rest as SQLite saw it
		inspected = {...checked.value, sha256: hash?.sha256, sizeBytes: hash?.sizeBytes ?? checked.value.sizeBytes};
	}
	if (inspected?.error) problems.push(`SQLite cannot read it: ${inspected.error}`);
	const checkOk = inspected?.check === 'ok';
	if (inspected && !inspected.error && !checkOk) problems.push(`${mode === 'integrity' ? 'integrity_check' : 'quick_check'}: ${inspected.check ?? 'no answer'}`);
	let checksumOk: boolean | undefined;
	if (meta?.sha256 && inspected?.sha256) {
		checksumOk = meta.sha256 === inspected.sha256 && meta.sizeBytes === inspected.sizeBytes;
		if (!checksumOk) {
			problems.unshift(meta.sizeBytes === inspected.sizeBytes
				? 'sha256 does not match the one recorded when it was taken (the file changed)'
				: `size ${formatCount(inspected.sizeBytes)} bytes, ${formatCount(meta.sizeBytes)} recorded when it was taken (truncated or changed)`);
		}
	} else if (meta?.sha256) {
		checksumOk = false; // the file could not be read to the end
	}
	const ok = problems.length === 0 && checkOk;
	const verified: Verification = {at: new Date().toISOString(), ok, mode, ...(ok ? {} : {error: problems.join('; ')})};
	const stat = fs.statSync(file);
	const updated: BackupMeta = meta
		? {...meta, verified}
		: {
			// a file copied in by hand: record what it is now, so later checks have a checksum to compare
			name, kind: 'other', sizeBytes: stat.size, sha256: ok && inspected?.sha256 ? inspected.sha256 : '',
			pageCount: inspected?.pageCount ?? 0, pageSize: inspected?.pageSize ?? 0, tables: inspected?.tables ?? {},
			source: '', createdAt: new Date(stat.mtimeMs).toISOString(), verified,
		};
	// a read-only or full folder: the check still stands, it just cannot be written down
	// a sidecar that is there but unreadable is not replaced by one that forgets what it recorded
	const notRecorded = sidecarError ?? await writeSidecar(dir, updated).then(() => undefined, async (error: unknown) => (await storageProblem(error, dir)) ?? (error as Error).message);
	options.onProgress?.(1, 'check');
	return {name, ok, mode, checkOk, checksumOk, problems, verified, tables: (checksumOk && recordedCounts) || inspected?.tables || {}, sizeBytes: stat.size, ...(notRecorded ? {notRecorded} : {})};
}

/** Throws a BackupError when this user may not read `file`: "permission denied (owner …, mode 0600; …)". */
export function assertReadable(file: string): void {
	try {
		fs.closeSync(fs.openSync(file, 'r'));
	} catch (error) {
		// anything else (gone meanwhile, a fifo) is the verification's to report, as before
		if (fsReason(error) === 'permission denied') throw new BackupError(`cannot read ${file}: ${deniedText(file)}`);
	}
}

/** Deletes one backup and its sidecar (through the mutation guard: refused in read-only mode). */
export async function deleteBackup(config: MutatingConfig, name: string): Promise<void> {
	const dir = config.backupDir;
	const file = resolveBackupName(dir, name);
	if (isLiveFile(file, config.sqlitePath)) throw new BackupNameError(`${name} is the live data file (SQLITE_PATH), not a backup: refused, nothing was changed`);
	await runMutation(config, {action: 'delete-backup', target: file}, async () => {
		await fs.promises.rm(file);
		await fs.promises.rm(path.join(dir, sidecarName(name)), {force: true});
		await fsyncDir(dir);
	});
}

/**
 * Deletes what planPrune says (manual backups only with `manual`) and the leftovers of killed
 * operations that nothing is writing any more, through the mutation guard. Nothing to delete:
 * nothing happens.
 */
export async function pruneBackups(
	config: MutatingConfig & Pick<Config, 'sqlitePath'>,
	now = Date.now(),
	options: {readonly manual?: boolean; readonly leftovers?: boolean} = {},
): Promise<{removed: string[]; kept: string[]; leftovers: string[]}> {
	const entries = await listBackups(config.backupDir, config.sqlitePath);
	const plan = planPrune(entries, config.backupRetention, now, {...options, rules: config.backupKeep});
	const leftovers = options.leftovers ? (await listLeftovers(config, now)).filter(prunable) : [];
	const removed: string[] = [];
	const removedLeftovers: string[] = [];
	// nothing to do: nothing happens (in read-only mode the guard still refuses, and audits, the request)
	if (plan.remove.length === 0 && leftovers.length === 0 && !config.readOnly) return {removed, kept: plan.keep.map(e => e.name), leftovers: removedLeftovers};
	const what = `${plan.remove.length} of ${plan.keep.length + plan.remove.length} backups (keep ${keepText(config)}${options.manual ? ', manual ones too' : ' automatic'})${leftovers.length > 0 ? ` and ${leftovers.length} leftover temp files` : ''}`;
	await runMutation(config, {action: 'prune', target: `${config.backupDir}: ${what}`}, async () => {
		for (const entry of plan.remove) {
			// checked again right before: the live file is never removed, whatever its name
			if (isLiveFile(entry.path, config.sqlitePath)) continue;
			await fs.promises.rm(entry.path, {force: true});
			await fs.promises.rm(path.join(config.backupDir, sidecarName(entry.name)), {force: true});
			removed.push(entry.name);
		}
		for (const leftover of leftovers) {
			await fs.promises.rm(leftover.path, {force: true});
			removedLeftovers.push(leftover.name);
		}
		await fsyncDir(config.backupDir);
	});
	return {removed, kept: plan.keep.map(e => e.name), leftovers: removedLeftovers};
}

/** `7` or `last=7,daily=14` (BACKUP_KEEP wins over BACKUP_RETENTION) */
export function keepText(config: Pick<Config, 'backupRetention'> & Partial<Pick<Config, 'backupKeep'>>): string {
	return config.backupKeep ? formatRetentionRules(config.backupKeep) : String(config.backupRetention);
}

export type BackupOverview = {
	readonly dir: string;
	readonly backups: readonly BackupEntry[];
	/** `.db` entries that are not used as backups (a symlink leading outside the folder), with why */
	readonly refused: readonly RefusedEntry[];
	readonly retention: number;
	readonly freeBytes: number | undefined;
	readonly totalBytes: number | undefined;
};

/** What the Backups tab polls: the list plus the folder's free disk. */
export async function backupOverview(config: Pick<Config, 'backupDir' | 'backupRetention'> & Partial<Pick<Config, 'sqlitePath'>>): Promise<BackupOverview> {
	const [{backups, refused}, disk] = await Promise.all([readBackupFolder(config.backupDir, Date.now(), config.sqlitePath), diskSpace(config.backupDir)]);
	return {dir: config.backupDir, backups, refused, retention: config.backupRetention, freeBytes: disk?.freeBytes, totalBytes: disk?.totalBytes};
}
