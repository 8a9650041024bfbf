// One backup job as cron, `serve` and the console run it: heartbeat /start, the snapshot, its
// quick_check, the uploads to every BACKUP_REMOTE (with the backups still not off-site), then the
// heartbeat's success or /fail. The local backup stands whatever happens to the uploads or the pings.
import type {Config} from '../../config/config.js';
import {errorMessage} from '../../text/mask.js';
import {BackupDirError, createBackup, verifyBackup, type BackupEntry, type VerifyResult} from '../backups.js';
import type {BackupKind} from '../names.js';
import {heartbeat, newRunId, type PingResult} from './heartbeat.js';
import {shipBackup, shipText, type OffsiteConfig, type ShipResult, type UploadProgress} from './offsite.js';

export type JobConfig = Pick<Config, 'sqlitePath' | 'backupDir' | 'backupHeartbeatUrl'> & OffsiteConfig;

export type BackupJobResult = {
	readonly entry: BackupEntry;
	readonly verify: VerifyResult;
	/** undefined when no BACKUP_REMOTE is set */
	readonly ship: ShipResult | undefined;
	/** the heartbeat pings that did not go through */
	readonly pingFailures: readonly PingResult[];
	/** the backup was verified and every upload went through */
	readonly ok: boolean;
};

/** A backup job that failed before it had a backup; carries the pings that did not go through. */
export class BackupJobError extends Error {
	constructor(override readonly cause: unknown, readonly pingFailures: readonly PingResult[]) {
		super(errorMessage(cause));
		this.name = 'BackupJobError';
	}
}

export type JobOptions = {
	readonly kind?: BackupKind;
	/** 0..1 over the whole job; phase: copy, count, hash, check, upload */
	readonly onProgress?: (ratio: number, phase: string) => void;
	readonly onUpload?: (progress: UploadProgress) => void;
	readonly onCreated?: (name: string) => void;
};

export async function runBackupJob(config: JobConfig, options: JobOptions = {}): Promise<BackupJobResult> {
	const runId = newRunId();
	const pings: PingResult[] = [];
	const ping = async (...args: Parameters<typeof heartbeat> extends [unknown, ...infer R] ? R : never) => {
		const result = await heartbeat(config, ...args);
		if (result && !result.ok) pings.push(result);
	};
	await ping('start', {runId});
	const remote = config.backupRemotes.length > 0;
	// the upload is most of the work when there is one
	const local = remote ? 0.5 : 1;
	const progress = options.onProgress;
	let entry: BackupEntry;
	let verify: VerifyResult;
	try {
		entry = await createBackup(config, {kind: options.kind ?? 'manual', onProgress: progress ? (r, phase) => progress(r * local * 0.85, phase) : undefined, onCreated: options.onCreated});
		verify = await verifyBackup(config, entry.name, {onProgress: progress ? (r, phase) => progress(local * (0.85 + r * 0.15), phase) : undefined});
	} catch (error) {
		await ping('fail', {runId, exitStatus: error instanceof BackupDirError ? 2 : 1, message: errorMessage(error)});
		throw new BackupJobError(error, pings);
	}
	const ship = await shipBackup(config, entry.name, {
		onProgress: p => {
			options.onUpload?.(p);
			if (progress && p.name === entry.name) progress(local + (1 - local) * (p.totalBytes > 0 ? p.doneBytes / p.totalBytes : 1), 'upload');
		},
	});
	const ok = verify.ok && (ship?.ok ?? true);
	if (ok) await ping('success', {runId, message: `${entry.name}${ship ? `; ${shipText(ship)}` : ''}`});
	else await ping('fail', {runId, exitStatus: 1, message: !verify.ok ? `${entry.name}: quick_check FAILED: ${verify.problems.join('; ')}` : `${entry.name}: ${shipText(ship!)}`});
	return {entry, verify, ship, pingFailures: pings, ok};
}
