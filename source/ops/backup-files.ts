// The backup folder on disk: sidecar JSON files, durable writes (fsync, rename, fsync the folder),
// and the listing (newest first).
import fs from 'node:fs';
import path from 'node:path';
import {parseBackupName, sidecarName, type ListedKind} from './backup-names.js';
import type {TableCounts} from './backup-worker.js';
import {forgetTemp, trackTemp} from './temp-files.js';
import {formatBytes} from '../text/format.js';

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
};

export type BackupEntry = {
	readonly name: string;
	readonly path: string;
	readonly kind: ListedKind;
	readonly sizeBytes: number;
	/** ms since the epoch: from the sidecar, else the name, else the file's mtime */
	readonly createdAt: number;
	readonly meta: BackupMeta | undefined;
	readonly verified: Verification | null;
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

export async function writeSidecar(dir: string, meta: BackupMeta): Promise<void> {
	await writeFileAtomic(path.join(dir, sidecarName(meta.name)), JSON.stringify(meta, null, 2) + '\n');
}

/** Every backup in the folder, newest first. Hidden and unfinished files are not backups. */
export async function listBackups(dir: string): Promise<BackupEntry[]> {
	let names: string[];
	try {
		names = await fs.promises.readdir(dir);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const entries: BackupEntry[] = [];
	for (const name of names) {
		if (name.startsWith('.') || !name.endsWith('.db')) continue;
		const file = path.join(dir, name);
		let stat: fs.Stats;
		try {
			stat = await fs.promises.stat(file);
		} catch {
			continue; // a dangling symlink, or deleted meanwhile
		}
		if (!stat.isFile()) continue;
		const meta = readSidecar(dir, name);
		const parsed = parseBackupName(name);
		const created = meta ? Date.parse(meta.createdAt) : Number.NaN;
		entries.push({
			name,
			path: file,
			kind: parsed?.kind ?? 'other',
			sizeBytes: stat.size,
			createdAt: Number.isFinite(created) ? created : parsed?.createdAt.getTime() ?? stat.mtimeMs,
			meta,
			verified: meta?.verified ?? null,
		});
	}
	return entries.sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
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
	if (code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_READONLY') || /permission denied/i.test(message)) return `permission denied: cannot write to ${dir}`;
	if (code.startsWith('SQLITE_IOERR') || /disk I\/O error/i.test(message)) return `disk I/O error writing to ${dir} (${free}${need})`;
	return undefined;
}
