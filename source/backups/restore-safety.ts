// The safety_ backup a restore takes of the live file, under its final name BEFORE the swap (issue
// 13, case 9: a restore killed after the swap must not leave the previous state only in a hidden
// file). Fast path: the live file, its WAL folded in (checkpoint TRUNCATE) and its write lock held,
// IS that backup — it is hard-linked into the backup folder as safety_*.db (a link is atomic: the
// name exists whole or not at all), the restore renames the new file over the live path and the old
// inode lives on through the link. No 500 MB copy. When a link is not possible (another filesystem)
// or the WAL could not be folded in, a real backup is taken (renamed into place when complete).
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {createBackup} from './backups.js';
import {fsyncDir, fsyncPath, writeSidecar} from './files.js';
import {newBackupName, partialName, sidecarName} from './names.js';
import {runWorkerTask, type InspectResult} from './worker.js';

export type Safety = {
	/** the safety_ backup's name (the file exists under it already) */
	readonly name: string;
	/** writes the sidecar (sha256, row counts) when it was not written already */
	describe(): Promise<void>;
	/** the restore did not happen: removes the safety backup this restore made (never the live file) */
	abandon(): Promise<void>;
};

export async function keepSafety(
	config: Pick<Config, 'backupDir'>,
	live: string,
	options: {readonly linkable: boolean; /** the live file described already (sha256, counts) */ readonly known?: InspectResult | undefined},
): Promise<Safety> {
	const dir = config.backupDir;
	await fs.promises.mkdir(dir, {recursive: true});
	const createdAt = new Date();
	const drop = (name: string) => async () => {
		await fs.promises.rm(path.join(dir, name), {force: true});
		await fs.promises.rm(path.join(dir, sidecarName(name)), {force: true});
		await fsyncDir(dir);
	};
	if (options.linkable) {
		for (;;) {
			const name = newBackupName(dir, 'safety', createdAt);
			const final = path.join(dir, name);
			try {
				await fs.promises.link(live, final);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
				break; // EXDEV, EPERM, ...: copy instead
			}
			await fsyncDir(dir);
			const write = async (info: InspectResult) => writeSidecar(dir, {
				name, kind: 'safety', sizeBytes: info.sizeBytes, sha256: info.sha256 ?? '', pageCount: info.pageCount, pageSize: info.pageSize,
				tables: info.tables, source: live, createdAt: createdAt.toISOString(), verified: null,
			});
			// described already: the sidecar now, before the swap (no hashing left for later)
			const known = options.known?.sha256 ? options.known : undefined;
			if (known) await write(known);
			return {
				name,
				async describe() {
					if (!known) await write(await runWorkerTask<InspectResult>({kind: 'inspect', file: final, hash: true, counts: true}));
				},
				abandon: drop(name),
			};
		}
	}
	let name: string;
	try {
		name = (await createBackup({sqlitePath: live, backupDir: dir}, {kind: 'safety'})).name;
	} catch {
		// SQLite cannot read the live file (that may be why we restore): keep its raw bytes, copied
		// under a hidden name and renamed when complete
		name = newBackupName(dir, 'safety');
		const partial = path.join(dir, partialName(name));
		try {
			await fs.promises.copyFile(live, partial, fs.constants.COPYFILE_EXCL);
			await fsyncPath(partial);
			await fs.promises.rename(partial, path.join(dir, name));
		} catch (error) {
			await fs.promises.rm(partial, {force: true});
			throw error;
		}
		await fsyncDir(dir);
	}
	return {name, describe: async () => undefined, abandon: drop(name)};
}
