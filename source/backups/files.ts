// The backup folder on disk: sidecar JSON files, durable writes (fsync, rename, fsync the folder),
// and the listing (newest first).
import fs from 'node:fs';
import path from 'node:path';
import {parseBackupName, sidecarName, type ListedKind} from './names.js';
import type {TableCounts} from './worker.js';
import {forgetTemp, trackTemp} from '../system/temp-files.js';
import {formatBytes} from '../text/format.js';
import {fsReason} from '../text/fs-reason.js';
import {deniedText} from '../system/file-owner.js';

export type Verification = {
	readonly at: string;
	readonly ok: boolean;
	readonly mode: 'quick' | 'integrity';
	/** what was wrong (checksum mismatch, quick_check output, unreadable file) */
	readonly error?: string;
};

/** `NAME.json` beside each backup. */
export type BackupMeta = {
	readonly name: string;
	readonly kind: ListedKind;
	readonly sizeBytes: number;
	readonly sha256: string;
	readonly pageCount: number;
	readonly pageSize: number;
	readonly tables: TableCounts;
	/** the data file it was taken from */
	readonly source: string;
	readonly createdAt: string;
	readonly durationMs?: number;
	readonly verified: Verification | null;
	/** per remote (its id, BACKUP_REMOTE with passwords masked): the last upload there (backups/remote/offsite.ts) */
	readonly offsite?: Readonly<Record<string, OffsiteUpload>>;
	/** the last restore drill of this backup (drill.ts) */
	readonly drill?: DrillRecord;
};

/** How the last upload of a backup to one remote went. */
export type OffsiteUpload = {
	readonly at: string;
	readonly ok: boolean;
	readonly attempts: number;
	/** the sha256 of the bytes sent (equal to the sidecar's when ok) */
	readonly sha256?: string;
	/** why it failed, without the remote's id (the record is under it; its readers say it once), masked */
	readonly error?: string;
};

/** a restore drill's result, in the sidecar and the drill log */
export type DrillRecord = {
	readonly at: string;
	readonly backup: string;
	readonly ok: boolean;
	readonly durationMs: number;
	readonly findings: readonly string[];
	/** a file drilled by path (a downloaded copy), not a backup of the folder */
	readonly file?: string;
	/** a remote copy drilled (`backup drill --remote`): the remote's id; `backup` is its name there */
	readonly remote?: string;
};

export type BackupEntry = {
	readonly name: string;
	readonly path: string;
	readonly kind: ListedKind;
	readonly sizeBytes: number;
	/** ms since the epoch: the sidecar's when it agrees with the name (or mtime), else the name, else the file's mtime */
	readonly createdAt: number;
	readonly meta: BackupMeta | undefined;
	/** the sidecar's verification when it is credible for the file as it is now, else null */
	readonly verified: Verification | null;
	/** what the sidecar claims that is not believed (a date in the future, an "ok" for other bytes) */
	readonly claims?: readonly string[];
	/** why the sidecar that is there cannot be read: whether it was verified is unknown */
	readonly sidecarError?: string;
};

export async function fsyncPath(file: string): Promise<void> {
	const handle = await fs.promises.open(file, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Makes a rename or unlink in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
	try {
		await fsyncPath(dir);
	} catch {
		// some filesystems refuse fsync on a directory; the rename is still atomic
	}
}

/** Writes a small file atomically: temp name, fsync, rename. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
	const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
	trackTemp(temp);
	try {
		const handle = await fs.promises.open(temp, 'w', 0o600);
		try {
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.promises.rename(temp, file);
	} catch (error) {
		await fs.promises.rm(temp, {force: true}).catch(() => undefined);
		throw error;
	} finally {
		forgetTemp(temp);
	}
}

export function readSidecar(dir: string, name: string): BackupMeta | undefined {
	try {
		const parsed = JSON.parse(fs.readFileSync(path.join(dir, sidecarName(name)), 'utf8')) as BackupMeta;
		return parsed && typeof parsed === 'object' && typeof parsed.sha256 === 'string' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Why a sidecar that is there cannot be read (a 0600 file of another user), or undefined: then
 * whether the backup was verified is unknown, not "no" (defect 10).
 */
export function sidecarUnreadable(dir: string, name: string): string | undefined {
	const file = path.join(dir, sidecarName(name));
	try {
		fs.accessSync(file, fs.constants.R_OK);
		return undefined;
	} catch (error) {
		const reason = fsReason(error);
		if (reason === undefined || reason === 'it does not exist') return undefined;
		return `cannot read ${file}: ${reason === 'permission denied' ? deniedText(file) : reason}`;
	}
}

export async function writeSidecar(dir: string, meta: BackupMeta): Promise<void> {
	await writeFileAtomic(path.join(dir, sidecarName(meta.name)), JSON.stringify(meta, null, 2) + '\n');
}

/** A `.db` entry in the folder that is not used as a backup, and why (issue 14, point 6). */
export type RefusedEntry = {readonly name: string; readonly reason: string};

/** how far a sidecar's date may be from the name's (or the file's mtime) before it is not believed */
const claimSlackMs = 2000;

/**
 * What of the sidecar can be believed. A sidecar is a plain file anyone who can write to the folder
 * can write: its date must agree with the backup's name (or, for a file copied in by hand, its
 * mtime) and not lie in the future; an "ok" counts only for the file as it is now (same size, not
 * modified after the check, the check not in the future). The rest is shown as a claim.
 */
function credible(meta: BackupMeta | undefined, stat: fs.Stats, nameTime: number | undefined, now: number): {createdAt: number; verified: Verification | null; claims: string[]} {
	const fallback = nameTime ?? stat.mtimeMs;
	const claims: string[] = [];
	if (!meta) return {createdAt: fallback, verified: null, claims};
	let createdAt = fallback;
	const claimed = Date.parse(meta.createdAt);
	if (Number.isFinite(claimed) && Math.abs(claimed - fallback) <= claimSlackMs && claimed <= now + claimSlackMs) createdAt = claimed;
	else claims.push(`sidecar claims it was created ${String(meta.createdAt).slice(0, 40)}`);
	let verified = meta.verified && typeof meta.verified === 'object' ? meta.verified : null;
	if (verified?.ok === true) {
		const at = Date.parse(verified.at);
		const why = !Number.isFinite(at) || at > now + claimSlackMs
			? `a check dated ${String(verified.at).slice(0, 40)}`
			: meta.sizeBytes !== stat.size
				? `a file of ${meta.sizeBytes} bytes (it has ${stat.size})`
				: at + claimSlackMs < stat.mtimeMs
					? 'the file as it was before it last changed'
					: undefined;
		if (why) {
			claims.push(`sidecar claims "verified ok" for ${why}: not verified`);
			verified = null;
		}
	}
	return {createdAt, verified, claims};
}

/** Every backup in the folder, newest first. Hidden and unfinished files are not backups. */
export async function listBackups(dir: string, live?: string): Promise<BackupEntry[]> {
	return (await readBackupFolder(dir, Date.now(), live)).backups;
}

/** dev:ino of a file (following symlinks), or undefined when it does not exist. */
export function fileId(file: string): string | undefined {
	try {
		const stat = fs.statSync(file);
		return `${stat.dev}:${stat.ino}`;
	} catch {
		return undefined;
	}
}

/**
 * Whether `file` is the live data file itself (by inode, so a symlink or another name for it
 * counts): with BACKUP_DIR the data folder, `app.db` was listed as a backup, and `backup delete
 * app.db` and `prune --manual` deleted the live database.
 */
export function isLiveFile(file: string, live: string): boolean {
	const id = fileId(file);
	return id !== undefined && id === fileId(live);
}

/**
 * The backups in the folder (newest first) and the `.db` entries that are refused: a symlink that is
 * broken or leads outside the folder, anything that is not a regular file. Refused entries are
 * never used; `backup list` and the Backups tab show them with the reason.
 */
export async function readBackupFolder(dir: string, now = Date.now(), live?: string): Promise<{backups: BackupEntry[]; refused: RefusedEntry[]}> {
	const liveId = live === undefined ? undefined : fileId(live);
	let names: string[];
	try {
		names = await fs.promises.readdir(dir);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {backups: [], refused: []};
		throw error;
	}
	let realDir: string | undefined;
	const entries: BackupEntry[] = [];
	const refused: RefusedEntry[] = [];
	for (const name of names) {
		if (name.startsWith('.') || !name.endsWith('.db')) continue;
		const file = path.join(dir, name);
		let stat: fs.Stats;
		try {
			stat = await fs.promises.lstat(file);
			if (stat.isSymbolicLink()) {
				let real: string;
				try {
					real = await fs.promises.realpath(file);
				} catch {
					refused.push({name, reason: 'a broken symlink'});
					continue;
				}
				realDir ??= await fs.promises.realpath(dir);
				if (path.dirname(real) !== realDir) {
					refused.push({name, reason: 'a symlink leading outside the backup folder'});
					continue;
				}
				stat = await fs.promises.stat(file);
			}
		} catch {
			continue; // deleted meanwhile
		}
		if (!stat.isFile()) {
			refused.push({name, reason: 'not a regular file'});
			continue;
		}
		if (liveId !== undefined && `${stat.dev}:${stat.ino}` === liveId) {
			refused.push({name, reason: 'the live data file (SQLITE_PATH), never a backup'});
			continue;
		}
		const meta = readSidecar(dir, name);
		const sidecarError = meta ? undefined : sidecarUnreadable(dir, name);
		const parsed = parseBackupName(name);
		const {createdAt, verified, claims} = credible(meta, stat, parsed?.createdAt.getTime(), now);
		entries.push({
			name,
			path: file,
			kind: parsed?.kind ?? 'other',
			sizeBytes: stat.size,
			createdAt,
			meta,
			verified,
			...(claims.length > 0 ? {claims} : {}),
			...(sidecarError ? {sidecarError} : {}),
		});
	}
	return {backups: entries.sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name)), refused: refused.sort((a, b) => a.name.localeCompare(b.name))};
}

/** Free and total bytes on the filesystem of `dir` (or its nearest existing parent). */
export async function diskSpace(dir: string): Promise<{freeBytes: number; totalBytes: number} | undefined> {
	let at = path.resolve(dir);
	for (;;) {
		try {
			const s = await fs.promises.statfs(at);
			return {freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize};
		} catch {
			const parent = path.dirname(at);
			if (parent === at) return undefined;
			at = parent;
		}
	}
}

/**
 * A backup that failed on its SOURCE, named as such (never as the backup folder's fault): the
 * snapshot opens the data file read-only, and a read-only connection cannot do the repairs SQLite
 * does on the first read-write open. undefined for any other error.
 *  - SQLITE_READONLY_ROLLBACK: a hot journal (FILE-journal, left by a writer that stopped in the
 *    middle of a transaction) must be rolled back before anyone may read the file;
 *  - SQLITE_READONLY_RECOVERY: the WAL must be recovered (its index rebuilt) first;
 *  - SQLITE_READONLY_DBMOVED: the file was renamed or replaced under the open connection.
 * The backup does not write to the data file itself: the app (or any read-write open) does it.
 */
export function sourceProblem(error: unknown, source: string): string | undefined {
	const code = String((error as NodeJS.ErrnoException)?.code ?? '');
	const quoted = /^[\w./:@%+,=-]+$/.test(source) ? source : `'${source.replaceAll("'", "'\\''")}'`;
	const reopen = `open it read-write once to do that (start the app, or: sqlite3 ${quoted} 'pragma quick_check'), then back up again`;
	if (code === 'SQLITE_READONLY_ROLLBACK') return `${source} has a hot journal (${source}-journal: a writer stopped in the middle of a transaction) that must be rolled back, which a backup (it only reads) does not do; ${reopen}`;
	if (code === 'SQLITE_READONLY_RECOVERY') return `${source}'s WAL must be recovered first (a writer stopped without closing it), which a backup (it only reads) does not do; ${reopen}`;
	if (code === 'SQLITE_READONLY_DBMOVED') return `${source} was renamed or replaced while it was being read; back up again`;
	return undefined;
}

/**
 * A failed write into `dir` named for the operator: a full disk (with the free space and what was
 * needed), a read-only filesystem or a permission problem, with the path, instead of SQLite's bare
 * "disk I/O error" (issue 13, case 14). undefined when the error is none of these.
 */
export async function storageProblem(error: unknown, dir: string, neededBytes?: number): Promise<string | undefined> {
	const code = String((error as NodeJS.ErrnoException)?.code ?? '');
	const message = String((error as Error)?.message ?? '');
	const disk = await diskSpace(dir);
	const free = disk ? `${formatBytes(disk.freeBytes)} free` : 'free space unknown';
	const need = neededBytes === undefined ? '' : `, about ${formatBytes(neededBytes)} needed`;
	const full = code === 'ENOSPC' || code === 'SQLITE_FULL' || /disk is full|no space left/i.test(message);
	const lowOnSpace = disk !== undefined && neededBytes !== undefined && disk.freeBytes < neededBytes;
	if (full || (code.startsWith('SQLITE_IOERR') && lowOnSpace)) return `disk full: ${dir} (${free}${need})`;
	if (code === 'EROFS' || /read-only file ?system/i.test(message)) return `read-only filesystem: cannot write to ${dir}`;
	if (code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_READONLY') || /permission denied/i.test(message)) return `cannot write to ${dir}: ${deniedText(dir)}`;
	if (code === 'EIO' || code.startsWith('SQLITE_IOERR') || /disk I\/O error/i.test(message)) return `disk I/O error writing to ${dir} (${free}${need})`;
	// any other file error in words (the one errno map, text/fs-reason.ts), never a raw ENOENT line;
	// the folder is named, not the temp file inside it that the error was about
	const reason = fsReason(error);
	return reason ? `cannot write to ${dir}: ${reason}` : undefined;
}
