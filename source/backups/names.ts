// Backup file names: `manual_2025-12-04T10-30-00.db` (UTC), with milliseconds and a counter added
// only when another backup already took that second. And the one gate every operator-given name
// passes before a file is read, restored or deleted: a plain file name of a backup in the folder.
import fs from 'node:fs';
import path from 'node:path';
import {quote} from '../text/sanitize.js';

export const backupKinds = ['manual', 'auto', 'safety'] as const;
export type BackupKind = (typeof backupKinds)[number];
/** a `.db` file in the folder that opsdeck did not name (copied in by hand) */
export type ListedKind = BackupKind | 'other';

const namePattern = /^(manual|auto|safety)_(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(?:-(\d{3}))?(?:-(\d+))?\.db$/;

/** Work in progress: `.name.db.partial` (hidden, never listed). */
export function partialName(name: string): string {
	return `.${name}.partial`;
}

export function sidecarName(name: string): string {
	return `${name}.json`;
}

function stamp(date: Date): string {
	return date.toISOString().slice(0, 19).replace(/:/g, '-');
}

/** A name no existing backup (or backup in progress) has. */
export function newBackupName(dir: string, kind: BackupKind, date = new Date()): string {
	const taken = (name: string) => fs.existsSync(path.join(dir, name)) || fs.existsSync(path.join(dir, partialName(name)));
	const base = `${kind}_${stamp(date)}`;
	if (!taken(`${base}.db`)) return `${base}.db`;
	const withMs = `${base}-${String(date.getUTCMilliseconds()).padStart(3, '0')}`;
	if (!taken(`${withMs}.db`)) return `${withMs}.db`;
	for (let i = 2; ; i++) if (!taken(`${withMs}-${i}.db`)) return `${withMs}-${i}.db`;
}

/** Kind and time from a name opsdeck gave; undefined for any other name. */
export function parseBackupName(name: string): {kind: BackupKind; createdAt: Date} | undefined {
	const m = namePattern.exec(name);
	if (!m) return undefined;
	const createdAt = new Date(`${m[2]}T${m[3]}:${m[4]}:${m[5]}.${m[6] ?? '000'}Z`);
	if (Number.isNaN(createdAt.getTime())) return undefined;
	return {kind: m[1] as BackupKind, createdAt};
}

/** A name the operator typed is not acceptable (one line, says why). */
export class BackupNameError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupNameError';
	}
}

function show(name: string): string {
	// the name goes into a one-line message: keep it short and free of controls
	return quote(name.length > 60 ? `${name.slice(0, 57)}...` : name);
}

/**
 * The absolute path of backup `name` in `dir`, or a BackupNameError: the name must be a plain file
 * name (no `/`, `\`, `..`, NUL, not absolute, not hidden) of an existing regular file in the folder,
 * and a symlink must not lead outside the folder.
 */
export function resolveBackupName(dir: string, name: string): string {
	if (typeof name !== 'string' || name.trim() === '') throw new BackupNameError('a backup name is required (see `opsdeck backup list`)');
	if (name.includes('\0')) throw new BackupNameError(`backup name ${show(name)} contains a NUL byte: refused`);
	if (path.isAbsolute(name) || name.includes('/') || name.includes('\\')) {
		throw new BackupNameError(`backup name ${show(name)} is a path: give a plain file name from the backup folder`);
	}
	if (name === '.' || name === '..' || name.includes('..')) throw new BackupNameError(`backup name ${show(name)} contains "..": refused`);
	if (name.startsWith('.')) throw new BackupNameError(`backup name ${show(name)} is a hidden or unfinished file: refused`);
	if (!name.endsWith('.db')) throw new BackupNameError(`backup name ${show(name)} is not a backup (.db) file`);
	const file = path.join(dir, name);
	let stat: fs.Stats;
	try {
		stat = fs.lstatSync(file);
	} catch {
		throw new BackupNameError(`no backup named ${show(name)} in ${dir} (see \`opsdeck backup list\`)`);
	}
	if (stat.isSymbolicLink()) {
		let real: string;
		try {
			real = fs.realpathSync(file);
		} catch {
			throw new BackupNameError(`backup ${show(name)} is a broken symlink: refused`);
		}
		const realDir = fs.realpathSync(dir);
		if (path.dirname(real) !== realDir) throw new BackupNameError(`backup ${show(name)} is a symlink leading outside the backup folder: refused`);
		stat = fs.statSync(real);
	}
	if (!stat.isFile()) throw new BackupNameError(`backup ${show(name)} is not a regular file: refused`);
	return file;
}

/** The temp copy a restore writes beside the live file before the swap: `.LIVE.restore-PID.tmp`. */
export function restoreTempName(live: string, pid = process.pid): string {
	return `.${path.basename(live)}.restore-${pid}.tmp`;
}

/** Matches the temp copies (and their -wal/-shm/-journal) of restores of this live file; group 1 is the pid. */
export function restoreTempPattern(live: string): RegExp {
	const base = path.basename(live).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^\\.${base}\\.restore-(\\d+)\\.tmp(-wal|-shm|-journal)?$`);
}
