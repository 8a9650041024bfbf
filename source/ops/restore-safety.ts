// The safety_ backup a restore takes of the live file. Fast path: the live file, its WAL folded in
// (checkpoint TRUNCATE), IS that backup — it is hard-linked into the backup folder under a hidden
// name, the restore renames the new file over the live path (the old inode lives on through the
// link), and only then the link gets its safety_ name and sidecar. No 500 MB copy. When a link is
// not possible (another filesystem) or the WAL could not be folded in, a real backup is taken.
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config.js';
import {createBackup} from './backups.js';
import {fsyncDir, fsyncPath, writeSidecar} from './backup-files.js';
import {newBackupName, partialName} from './backup-names.js';
import {runWorkerTask, type InspectResult} from './backup-worker.js';

export type Safety = {
	/** after the swap: gives the kept file its safety_ name; returns the name */
	commit(): Promise<string>;
	/** writes the sidecar (sha256, row counts) */
	describe(): Promise<void>;
	/** the restore did not happen: drop what commit() would have kept (never the live file) */
	abandon(): Promise<void>;
};

const done = (name: string): Safety => ({commit: async () => name, describe: async () => undefined, abandon: async () => undefined});

export async function keepSafety(
	config: Pick<Config, 'backupDir'>,
	live: string,
	options: {readonly linkable: boolean; /** the live file described already (sha256, counts) */ readonly known?: InspectResult | undefined},
): Promise<Safety> {
	const dir = config.backupDir;
	await fs.promises.mkdir(dir, {recursive: true});
	const createdAt = new Date();
	if (options.linkable) {
		for (;;) {
			const name = newBackupName(dir, 'safety', createdAt);
			const partial = path.join(dir, partialName(name));
			try {
				await fs.promises.link(live, partial);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
				break; // EXDEV, EPERM, ...: copy instead
			}
			const final = path.join(dir, name);
			let committed = false;
			return {
				async commit() {
					await fs.promises.rename(partial, final);
					committed = true;
					await fsyncDir(dir);
					return name;
				},
				async describe() {
					const info = options.known?.sha256 ? options.known : await runWorkerTask<InspectResult>({kind: 'inspect', file: final, hash: true, counts: true});
					await writeSidecar(dir, {
						name, kind: 'safety', sizeBytes: info.sizeBytes, sha256: info.sha256 ?? '', pageCount: info.pageCount, pageSize: info.pageSize,
						tables: info.tables, source: live, createdAt: createdAt.toISOString(), verified: null,
					});
				},
				async abandon() {
					if (!committed) await fs.promises.rm(partial, {force: true});
				},
			};
		}
	}
	try {
		return done((await createBackup({sqlitePath: live, backupDir: dir}, {kind: 'safety'})).name);
	} catch {
		// SQLite cannot read the live file (that may be why we restore): keep its raw bytes
		const name = newBackupName(dir, 'safety');
		const target = path.join(dir, name);
		await fs.promises.copyFile(live, target, fs.constants.COPYFILE_EXCL);
		await fsyncPath(target);
		await fsyncDir(dir);
		return done(name);
	}
}
