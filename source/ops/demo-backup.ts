// The demo's one backup of its SQLite file, made by the backups op so it looks exactly like an
// operator's manual backup in the Backups tab.
import type {Config} from '../config.js';

export type DemoBackup = {
	readonly created: boolean;
	/** the backup's name (e.g. manual_...), when created */
	readonly name?: string;
	readonly sizeBytes?: number;
	/** why none was made */
	readonly note?: string;
};

// TODO(demo): wire source/ops/backups.ts's create function here (it was being written when the
// demo landed): make one `manual_` backup of config.sqlitePath into config.backupDir.
export async function makeDemoBackup(_config: Config): Promise<DemoBackup> {
	return {created: false, note: 'backups op not wired into the demo yet (TODO in source/ops/demo-backup.ts)'};
}
