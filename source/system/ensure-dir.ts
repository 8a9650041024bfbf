// Creating a folder opsdeck writes into (the backup folder; the audit log's folder): the nearest
// existing parent is checked first. Node's recursive mkdir under /proc spun at 100% CPU for ever
// (issue 13, case 15), and a parent that is a file or read-only gives errors that do not say which.
import fs from 'node:fs';
import path from 'node:path';
import {fsReason} from '../text/fs-reason.js';
import {deniedText} from './file-owner.js';

/** The folder cannot be made here: one line, saying which path and why. */
export class EnsureDirError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EnsureDirError';
	}
}

// statfs f_type of kernel pseudo filesystems: nothing opsdeck writes belongs there
const pseudoFilesystems = new Map<number, string>([
	[0x9f_a0, 'proc'],
	[0x62_65_65_72, 'sysfs'],
	[0x27_e0_eb, 'cgroup'],
	[0x63_67_72_70, 'cgroup2'],
	[0x64_62_67_20, 'debugfs'],
	[0x74_72_61_63, 'tracefs'],
	[0x73_63_66_73, 'securityfs'],
	[0x1c_d1, 'devpts'],
	[0xca_fe_4a_11, 'bpf'],
	[0x61_65_67_6c, 'pstore'],
	[0x62_65_65_70, 'configfs'],
	[0xde_5e_81_e0, 'efivarfs'],
]);

/** The deepest part of `dir` that exists (itself when it exists). */
function nearestExisting(dir: string): {at: string; stat: fs.Stats} {
	let at = path.resolve(dir);
	for (;;) {
		try {
			return {at, stat: fs.statSync(at)};
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			const parent = path.dirname(at);
			if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === at) {
				const why = code === 'EACCES' || code === 'EPERM' ? deniedText(at) : fsReason(error) ?? (error as Error).message;
				throw new EnsureDirError(`cannot create ${dir}: ${at} cannot be looked at: ${why}`);
			}
			at = parent;
		}
	}
}

/**
 * Makes `dir` (and its missing parents) or throws an EnsureDirError naming the path: the nearest
 * existing parent must be a writable directory on a real filesystem (not /proc, /sys, ...).
 */
export async function ensureDir(dir: string): Promise<void> {
	ensureDirSync(dir);
}

/** ensureDir for a caller that must not yield (the audit log's line before a mutation). */
export function ensureDirSync(dir: string, mode?: number): void {
	const {at, stat} = nearestExisting(dir);
	if (!stat.isDirectory()) throw new EnsureDirError(`cannot create ${dir}: ${at} is not a directory`);
	let type: number | undefined;
	try {
		type = Number(fs.statfsSync(at).type);
	} catch {
		// no statfs here: the access check below still applies
	}
	const pseudo = type === undefined ? undefined : pseudoFilesystems.get(type);
	if (pseudo) throw new EnsureDirError(`cannot create ${dir}: ${at} is on the kernel's ${pseudo} filesystem, not a place for files`);
	try {
		fs.accessSync(at, fs.constants.W_OK | fs.constants.X_OK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EROFS') throw new EnsureDirError(at === path.resolve(dir) ? `cannot write to ${dir}: it is on a read-only filesystem` : `cannot create ${dir}: ${at} is on a read-only filesystem`);
		const why = code === 'EACCES' || code === 'EPERM' ? deniedText(at) : fsReason(error) ?? (error as Error).message;
		throw new EnsureDirError(at === path.resolve(dir) ? `cannot write to ${dir}: ${why}` : `cannot create ${dir} in ${at}: ${why}`);
	}
	if (at === path.resolve(dir)) return;
	try {
		fs.mkdirSync(dir, {recursive: true, mode});
	} catch (error) {
		throw new EnsureDirError(`cannot create ${dir}: ${fsReason(error) ?? (error as Error).message}`);
	}
}
