// After each backup (manual, automatic, safety): the file and its sidecar go to every BACKUP_REMOTE,
// with retries and a doubling wait between them; the sha256 of the bytes sent must be the one the
// sidecar recorded. The outcome per remote is written into the sidecar (`offsite`): a backup whose
// last upload to a remote failed is "not off-site" (the verdict turns degraded past
// thresholds.notOffsiteBackups), and the next successful upload to that remote takes it along.
import {setTimeout as sleep} from 'node:timers/promises';
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../../config/config.js';
import {listBackups, readSidecar, writeSidecar, type BackupEntry, type BackupMeta, type OffsiteUpload} from '../files.js';
import {sidecarName} from '../names.js';
import {openRemote, RemoteError, remoteReason, type Remote} from './remote.js';
import type {RemoteSpec} from './spec.js';

export type OffsiteConfig = Pick<Config, 'backupDir' | 'backupRemotes' | 'backupS3' | 'backupSftp' | 'backupUploadRetries' | 'backupUploadBackoffMs'>;

export type UploadResult = {
	readonly name: string;
	/** the remote's id */
	readonly remote: string;
	readonly ok: boolean;
	readonly at: string;
	readonly attempts: number;
	readonly durationMs: number;
	readonly sizeBytes?: number;
	readonly sha256?: string;
	/** why it failed, without the remote's id (remoteReason): each reader names the remote itself */
	readonly error?: string;
};

export type UploadProgress = {
	readonly name: string;
	readonly remote: string;
	readonly doneBytes: number;
	readonly totalBytes: number;
	readonly attempt: number;
	/** the backup folder it is uploaded from: the environment it belongs to */
	readonly dir: string;
};

export type ShipResult = {
	readonly name: string;
	/** this backup, one result per remote */
	readonly uploads: readonly UploadResult[];
	/** earlier backups that were not off-site and were tried again */
	readonly pending: readonly UploadResult[];
	/** every upload of this backup went through */
	readonly ok: boolean;
};

// every upload running in this process, one entry each (an environment switched away from keeps
// uploading while another environment's backup starts)
const running = new Map<symbol, UploadProgress>();
const recent: UploadResult[] = [];

/**
 * The upload running now from backup folder `dir` (the Backups tab of that environment shows it), if
 * any: another environment's upload is not this one's (hostile defect W4).
 */
export function currentUpload(dir: string): UploadProgress | undefined {
	let found: UploadProgress | undefined;
	for (const upload of running.values()) if (upload.dir === dir) found = upload;
	return found;
}

/** Every upload running in this process now, from any backup folder. */
export function runningUploads(): UploadProgress[] {
	return [...running.values()];
}

/** The last upload results in this process, newest last (at most 50): for metrics and the status. */
export function recentUploads(): readonly UploadResult[] {
	return recent;
}

/** The last upload result of backup `name` to each remote, from its sidecar ({} when never uploaded). */
export function offsiteRecord(meta: Pick<BackupMeta, 'offsite'> | undefined): Readonly<Record<string, OffsiteUpload>> {
	return meta?.offsite && typeof meta.offsite === 'object' ? meta.offsite : {};
}

/** The remotes (ids) whose last upload of this backup failed: it is "not off-site" there. */
export function notOffsiteRemotes(meta: Pick<BackupMeta, 'offsite'> | undefined): string[] {
	return Object.entries(offsiteRecord(meta)).filter(([, u]) => u && u.ok !== true).map(([id]) => id);
}

/** The local backups that are not off-site (their last upload to some remote failed), oldest first. */
export async function notOffsiteBackups(dir: string): Promise<BackupEntry[]> {
	const entries = await listBackups(dir).catch(() => [] as BackupEntry[]);
	return entries.filter(e => notOffsiteRemotes(e.meta).length > 0).reverse();
}


async function record(dir: string, result: UploadResult): Promise<void> {
	recent.push(result);
	if (recent.length > 50) recent.shift();
	const meta = readSidecar(dir, result.name);
	if (!meta) return;
	const upload: OffsiteUpload = {at: result.at, ok: result.ok, attempts: result.attempts, ...(result.sha256 ? {sha256: result.sha256} : {}), ...(result.error ? {error: result.error} : {})};
	// a full or read-only folder: the upload still happened (or not); it just is not written down
	await writeSidecar(dir, {...meta, offsite: {...offsiteRecord(meta), [result.remote]: upload}}).catch(() => undefined);
}

/**
 * Uploads backup `name` (and its sidecar) to one remote, trying again after a failure (1 + retries
 * attempts, waits of backoff, 2×backoff, ...; a refusal that will not change, such as a wrong host
 * key, is not retried). The outcome is recorded in the sidecar. Never throws.
 */
export async function uploadBackup(config: OffsiteConfig, spec: RemoteSpec, name: string, onProgress?: (p: UploadProgress) => void): Promise<UploadResult> {
	const file = path.join(config.backupDir, name);
	const started = Date.now();
	const meta = readSidecar(config.backupDir, name);
	let attempts = 0;
	let error = '';
	for (let attempt = 0; attempt <= config.backupUploadRetries; attempt++) {
		if (attempt > 0) await sleep(config.backupUploadBackoffMs * 2 ** (attempt - 1));
		attempts++;
		let remote: Remote | undefined;
		const token = Symbol(name);
		const progress = (doneBytes: number, totalBytes: number) => {
			const current = {name, remote: spec.id, doneBytes, totalBytes, attempt: attempts, dir: config.backupDir};
			running.set(token, current);
			onProgress?.(current);
		};
		try {
			// shown from its start: an S3 upload of one part says nothing more until it is done
			progress(0, fs.statSync(file, {throwIfNoEntry: false})?.size ?? 0);
			remote = await openRemote(config, spec);
			const sidecar = meta ? path.join(config.backupDir, sidecarName(name)) : undefined;
			const sent = await remote.upload(file, sidecar, progress, meta?.sha256 || undefined);
			const result: UploadResult = {name, remote: spec.id, ok: true, at: new Date().toISOString(), attempts, durationMs: Date.now() - started, sizeBytes: sent.sizeBytes, sha256: sent.sha256};
			await record(config.backupDir, result);
			return result;
		} catch (caught) {
			// the reason only: every reader of this error (the sidecar's record, shipText, the Backups
			// tab) says the remote before it (hostile report: "NOT off-site (s3://bkt/pre/:
			// s3://bkt/pre/: upload of … failed: …)")
			error = remoteReason(caught);
			if (caught instanceof RemoteError && !caught.retryable) break;
		} finally {
			running.delete(token);
			await remote?.close();
		}
	}
	const result: UploadResult = {name, remote: spec.id, ok: false, at: new Date().toISOString(), attempts, durationMs: Date.now() - started, error};
	await record(config.backupDir, result);
	return result;
}

/**
 * Ships backup `name` to every remote, then (where that worked) the backups still not off-site
 * there, oldest first. undefined when no BACKUP_REMOTE is set.
 */
export async function shipBackup(config: OffsiteConfig, name: string, options: {readonly onProgress?: (p: UploadProgress) => void; readonly pending?: boolean} = {}): Promise<ShipResult | undefined> {
	if (config.backupRemotes.length === 0) return undefined;
	const uploads: UploadResult[] = [];
	const pending: UploadResult[] = [];
	for (const spec of config.backupRemotes) {
		const result = await uploadBackup(config, spec, name, options.onProgress);
		uploads.push(result);
		if (!result.ok || options.pending === false) continue;
		for (const entry of await notOffsiteBackups(config.backupDir)) {
			if (entry.name === name || !notOffsiteRemotes(entry.meta).includes(spec.id)) continue;
			const again = await uploadBackup(config, spec, entry.name, options.onProgress);
			pending.push(again);
			if (!again.ok) break; // the remote failed again: the rest wait for the next backup
		}
	}
	return {name, uploads, pending, ok: uploads.every(u => u.ok)};
}

/** One line for the operator: "off-site: s3://b/p ok" / "NOT off-site: sftp://… (reason)". */
export function shipText(result: ShipResult): string {
	const parts = result.uploads.map(u => (u.ok ? `${u.remote} ok${u.attempts > 1 ? ` (attempt ${u.attempts})` : ''}` : `${u.remote} FAILED after ${u.attempts} attempt${u.attempts === 1 ? '' : 's'}: ${u.error ?? ''}`));
	const pendingOk = result.pending.filter(p => p.ok).length;
	const extra = result.pending.length > 0 ? `; ${pendingOk} of ${result.pending.length} earlier backups not off-site uploaded` : '';
	return `${result.ok ? 'off-site' : 'NOT off-site'}: ${parts.join('; ')}${extra}`;
}

/** The backup folder's health with the names of the backups not off-site (only with BACKUP_REMOTE). */
export async function withOffsite<T extends object>(health: T, config: Pick<Config, 'backupDir' | 'backupRemotes'>): Promise<T & {notOffsite?: readonly string[]}> {
	if (config.backupRemotes.length === 0) return health;
	return {...health, notOffsite: (await notOffsiteBackups(config.backupDir)).map(e => e.name)};
}
