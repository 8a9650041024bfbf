// After a copy-truncate rotation (logrotate's `copytruncate`) the lines the follower had not read
// yet are no longer in the log: they are in the copy (app.log.1, app.log-20240501, app-20240501.log).
// The copy is the file beside it that starts with the same bytes as the log did and holds the same
// bytes just before the offset the follower had reached. (Lines written between logrotate's copy and
// its truncate are in neither file: lost for every reader, as logrotate's manual says.)
import {constants as fsConstants} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export type Fingerprint = {
	/** the device and inode of the live log (the copy is another file) */
	readonly dev: number;
	readonly ino: number;
	/** the log's first bytes (up to 64) */
	readonly head: Buffer;
	/** the bytes just before `offset` (up to 64) */
	readonly mark: Buffer;
	readonly offset: number;
};

const compressed = /\.(gz|bz2|xz|zst|lz4|z|zip)$/i;

/** Up to `length` bytes at `position` (fewer at the end of the file). */
export async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
	const buf = Buffer.alloc(length);
	const {bytesRead} = await handle.read(buf, 0, length, position);
	return buf.subarray(0, bytesRead);
}

/** The rotated copy of `log` that continues where the follower was, open; undefined when there is none. */
export async function findRotatedCopy(log: string, print: Fingerprint): Promise<{path: string; handle: fs.FileHandle; size: number} | undefined> {
	const dir = path.dirname(log);
	const base = path.basename(log);
	const stem = base.replace(/\.[^.]*$/, '');
	let names: string[];
	try {
		names = await fs.readdir(dir);
	} catch {
		return undefined;
	}
	const candidates: Array<{file: string; mtimeMs: number; size: number}> = [];
	for (const name of names) {
		if (name === base || compressed.test(name) || !(name.startsWith(base) || (stem !== base && name.startsWith(stem)))) continue;
		const file = path.join(dir, name);
		const stat = await fs.stat(file).catch(() => undefined);
		if (!stat?.isFile() || (stat.ino === print.ino && stat.dev === print.dev) || stat.size < print.offset) continue;
		candidates.push({file, mtimeMs: stat.mtimeMs, size: stat.size});
	}
	candidates.sort((a, b) => b.mtimeMs - a.mtimeMs);
	for (const candidate of candidates) {
		// non-blocking: a name that became a FIFO since the stat above must not hang the follower
		const handle = await fs.open(candidate.file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK).catch(() => undefined);
		if (handle && !(await handle.stat()).isFile()) {
			await handle.close();
			continue;
		}
		if (!handle) continue;
		const head = await readAt(handle, 0, print.head.length);
		const mark = await readAt(handle, print.offset - print.mark.length, print.mark.length);
		if (head.equals(print.head) && mark.equals(print.mark)) return {path: candidate.file, handle, size: candidate.size};
		await handle.close();
	}
	return undefined;
}
