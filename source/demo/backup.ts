// The demo's one backup of its SQLite file, made by the backups op so it looks exactly like an
// operator's manual backup in the Backups tab. A failed backup does not undo the seed: it is reported.
import type {Config} from '../config/config.js';
import {errorMessage} from '../text/mask.js';
import {createBackup} from '../backups/backups.js';

export type DemoBackup = {
	readonly created: boolean;
	/** the backup's name (manual_...), when created */
	readonly name?: string;
	readonly path?: string;
	readonly sizeBytes?: number;
	/** why none was made */
	readonly note?: string;
};

export async function makeDemoBackup(config: Pick<Config, 'sqlitePath' | 'backupDir'>): Promise<DemoBackup> {
	try {
		const entry = await createBackup(config, {kind: 'manual'});
		return {created: true, name: entry.name, path: entry.path, sizeBytes: entry.sizeBytes};
	} catch (error) {
		return {created: false, note: `backup failed: ${errorMessage(error)}`};
	}
}
