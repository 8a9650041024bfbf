// Writes an export: never over an existing file (the next free name, `keys-2.csv`, instead) and
// atomically — the rows go to a temp file in the same folder, flushed to disk, then linked to
// their name in one step (link fails on a name that exists, so nothing is ever replaced, even by a
// file made a moment before). A failure leaves no partial file behind and says why in one line.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {forgetTemp, trackTemp} from '../system/temp-files.js';
import {errorCode, fsErrorSentence, fsReason} from '../text/fs-reason.js';
import {serialize, type ExportFormat, type ExportTable} from './table.js';

export class ExportError extends Error {
	/** the reason without the path, for a narrow line: "permission denied", "the folder does not exist" */
	readonly reason: string;
	/** the file or folder it is about */
	readonly path: string;
	constructor(message: string, reason: string, where: string) {
		super(message);
		this.name = 'ExportError';
		this.reason = reason;
		this.path = where;
	}
}

export type ExportResult = {
	readonly file: string;
	readonly rows: number;
	readonly bytes: number;
	/** the name asked for existed: `file` is the next free one */
	readonly renamed: boolean;
};

/** How many numbered names are tried before giving up (`name-2.csv` … `name-999.csv`). */
const maxTries = 999;

/** `keys.csv`, then `keys-2.csv`, `keys-3.csv`, … */
export function numberedName(file: string, n: number): string {
	if (n <= 1) return file;
	const ext = path.extname(file);
	return `${file.slice(0, file.length - ext.length)}-${n}${ext}`;
}

function failure(error: unknown, where: string): ExportError {
	if (error instanceof ExportError) return error;
	const words = fsReason(error) ?? (error instanceof Error ? error.message : String(error));
	return new ExportError(fsErrorSentence(error) ?? words, words, where);
}

async function checkFolder(folder: string): Promise<void> {
	let stat;
	try {
		stat = await fs.stat(folder);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') throw new ExportError(`the folder ${folder} does not exist`, 'the folder does not exist', folder);
		throw failure(error, folder);
	}
	if (!stat.isDirectory()) throw new ExportError(`${folder} is not a folder`, 'that is not a folder', folder);
}

/** Puts `temp` at the first free numbered name of `file`; the name it got. */
async function place(temp: string, file: string): Promise<string> {
	for (let n = 1; n <= maxTries; n++) {
		const name = numberedName(file, n);
		try {
			await fs.link(temp, name);
			return name;
		} catch (error) {
			const code = errorCode(error);
			if (code === 'EEXIST') continue;
			// a filesystem without hard links (FAT, some network mounts): rename after a look, which
			// a file made in between could lose to — as close as such a filesystem allows
			if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
				if (await exists(name)) continue;
				await fs.rename(temp, name);
				return name;
			}
			throw error;
		}
	}
	throw new ExportError(`${path.basename(file)} and ${maxTries - 1} numbered names after it exist: choose another name`, 'that name and its numbered ones are taken', file);
}

async function exists(file: string): Promise<boolean> {
	try {
		await fs.lstat(file);
		return true;
	} catch {
		return false;
	}
}

/** Writes `table` to `file` (or the next free name) as `format`; throws ExportError with the reason. */
export async function writeExport(table: ExportTable, file: string, format: ExportFormat): Promise<ExportResult> {
	const folder = path.dirname(file);
	await checkFolder(folder);
	const text = serialize(table, format);
	const temp = path.join(folder, `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
	trackTemp(temp);
	try {
		// readable by the operator only: an export holds key names, queries, client addresses
		const handle = await fs.open(temp, 'wx', 0o600);
		try {
			await handle.writeFile(text, 'utf8');
			await handle.sync();
		} finally {
			await handle.close();
		}
		const name = await place(temp, file);
		return {file: name, rows: table.rows.length, bytes: Buffer.byteLength(text, 'utf8'), renamed: name !== file};
	} catch (error) {
		// the folder was there a moment ago: "no such file" for a file being created in it is a
		// filesystem that makes no new files (/proc, /sys), not a missing folder
		if (errorCode(error) === 'ENOENT' && (await fs.stat(folder).then(st => st.isDirectory(), () => false))) {
			throw new ExportError(`cannot create a file in ${folder}: that folder does not allow new files (no such file or directory)`, 'the folder does not allow new files', file);
		}
		throw failure(error, file);
	} finally {
		// after a link the temp is a second name of the file; after a failure it is a partial file
		await fs.rm(temp, {force: true}).catch(() => undefined);
		forgetTemp(temp);
	}
}
