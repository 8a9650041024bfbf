// The Backups tab's off-site words (issue 19): the selected backup's uploads in the note line, and
// an upload running outside the tab's own jobs (an automatic backup's) as a progress line.
import type {BackupEntry} from '../../../backups/backups.js';
import {currentUpload, notOffsiteRemotes, offsiteRecord} from '../../../backups/remote/offsite.js';
import type {Job} from './use-backup-jobs.js';

/** "NAME: NOT off-site (s3://b/p: reason)" or "NAME: off-site (s3://b/p)"; undefined without remotes. */
export function offsiteNote(entry: BackupEntry | undefined, remotes: boolean): string | undefined {
	if (!entry || !remotes) return undefined;
	const record = offsiteRecord(entry.meta);
	const failed = notOffsiteRemotes(entry.meta);
	if (failed.length > 0) return `${entry.name}: NOT off-site (${failed.map(id => `${id}: ${record[id]?.error ?? 'failed'}`).join('; ')}); the next backup tries again`;
	const ok = Object.entries(record).filter(([, u]) => u.ok).map(([id]) => id);
	return ok.length > 0 ? `${entry.name}: off-site (${ok.join(', ')})` : `${entry.name}: not uploaded`;
}

/** An upload from this environment's backup folder in progress that no tab job started. */
export function backgroundUpload(dir: string): Job | undefined {
	const upload = currentUpload(dir);
	if (!upload) return undefined;
	return {label: `upload ${upload.name} to ${upload.remote}`, ratio: upload.totalBytes > 0 ? upload.doneBytes / upload.totalBytes : 0, phase: upload.attempt > 1 ? `attempt ${upload.attempt}` : ''};
}
