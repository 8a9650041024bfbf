// What the commands do with remote copies: pick a remote (`--from`), list every remote, download a
// backup to a temp file with its sha256 and quick_check verified (downloadToTemp: shared by
// `backup restore --from` and `backup drill --remote`), adopt that download as a local backup, and
// delete a remote copy through the mutation guard.
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../../config/config.js';
import {runMutation, type MutationRequest} from '../../mutations/registry.js';
import {errorMessage} from '../../text/mask.js';
import {quote, sanitize} from '../../text/sanitize.js';
import {ensureDir} from '../../system/ensure-dir.js';
import {forgetTemp, trackTemp} from '../../system/temp-files.js';
import {fsyncDir, readSidecar, writeSidecar, type BackupMeta} from '../files.js';
import {runWorkerTask, type InspectResult} from '../worker.js';
import {assertRemoteName, openRemote, RemoteError, remoteFile, remoteReason, TooBigError, type RemoteConfig, type RemoteObject, type TransferProgress} from './remote.js';
import {parseRemote, type RemoteSpec} from './spec.js';

/** `--from` does not name a remote (a usage error, exit 2). */
export class RemoteChoiceError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RemoteChoiceError';
	}
}

/**
 * The remote `given` names: a configured remote's URL (as written or as shown), its kind (`s3`,
 * `sftp`) when only one has it, its number in BACKUP_REMOTE (1, 2...), or another s3:// / sftp:// URL
 * reached with the same settings.
 */
export function findRemote(config: Pick<Config, 'backupRemotes'>, given: string | undefined): RemoteSpec {
	const remotes = config.backupRemotes;
	const list = remotes.length > 0 ? remotes.map((r, i) => `${i + 1}: ${r.id}`).join(', ') : 'none (set BACKUP_REMOTE)';
	if (given === undefined || given === '' || typeof given !== 'string') {
		if (remotes.length === 1) return remotes[0]!;
		throw new RemoteChoiceError(`name a remote with --from REMOTE (configured: ${sanitize(list)})`);
	}
	const byNumber = /^\d+$/.test(given) ? remotes[Number(given) - 1] : undefined;
	if (byNumber) return byNumber;
	const byKind = remotes.filter(r => r.kind === given.toLowerCase());
	if (byKind.length === 1) return byKind[0]!;
	if (byKind.length > 1) throw new RemoteChoiceError(`more than one ${sanitize(given)} remote: give its URL or number (configured: ${sanitize(list)})`);
	if (/^(s3|sftp):\/\//i.test(given)) {
		let spec: RemoteSpec;
		try {
			spec = parseRemote(given, '--from');
		} catch (error) {
			throw new RemoteChoiceError((error as Error).message);
		}
		return remotes.find(r => r.id === spec.id) ?? spec;
	}
	throw new RemoteChoiceError(`--from ${quote(given.slice(0, 60))} is not a remote (configured: ${sanitize(list)})`);
}

export type RemoteListing = {
	readonly remote: string;
	readonly kind: RemoteSpec['kind'];
	readonly backups: readonly RemoteObject[];
	/** why it could not be listed, whole (`s3://b/p/: cannot list: …`), one masked line: JSON's `error` */
	readonly error?: string;
	/** the same without the remote's id (remoteReason), for a reader that names the remote itself */
	readonly reason?: string;
};

/** Every backup on each remote (or why a remote could not be listed); never throws. */
export async function listRemoteBackups(config: RemoteConfig & Pick<Config, 'backupRemotes'>, specs: readonly RemoteSpec[] = config.backupRemotes): Promise<RemoteListing[]> {
	return Promise.all(specs.map(async spec => {
		try {
			const remote = await openRemote(config, spec);
			try {
				return {remote: spec.id, kind: spec.kind, backups: await remote.list()};
			} finally {
				await remote.close();
			}
		} catch (error) {
			return {remote: spec.id, kind: spec.kind, backups: [], error: errorMessage(error), reason: remoteReason(error)};
		}
	}));
}

export type Downloaded = {
	/** the temp file (hidden, 0600); the caller owns it: cleanup() removes it */
	readonly file: string;
	readonly name: string;
	readonly remote: string;
	readonly sha256: string;
	readonly sizeBytes: number;
	/** the remote sidecar, when there is one */
	readonly meta: BackupMeta | undefined;
	/** the sha256 received matches the remote sidecar's (undefined: no sidecar to compare with) */
	readonly checksumOk: boolean | undefined;
	readonly quickCheck: 'ok';
	cleanup(): Promise<void>;
};

/** The download is not the backup it claims to be (sha256, size or quick_check): nothing was kept. */
export class DownloadVerifyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DownloadVerifyError';
	}
}

/**
 * Downloads backup `name` from `spec` into a hidden temp file in `dir` (default the backup folder),
 * hashing the bytes as they arrive; refuses (DownloadVerifyError, temp removed) a file whose sha256
 * or size differs from the remote sidecar's or that fails quick_check.
 */
export async function downloadToTemp(config: RemoteConfig & Pick<Config, 'backupDir'>, spec: RemoteSpec, name: string, options: {readonly dir?: string; readonly onProgress?: TransferProgress} = {}): Promise<Downloaded> {
	assertRemoteName(name);
	const dir = options.dir ?? config.backupDir;
	await ensureDir(dir);
	const file = path.join(dir, `.${name}.remote-${process.pid}.partial`);
	trackTemp(file);
	const cleanup = async () => {
		await fs.promises.rm(file, {force: true}).catch(() => undefined);
		forgetTemp(file);
	};
	try {
		await fs.promises.rm(file, {force: true});
		const remote = await openRemote(config, spec);
		let meta: BackupMeta | undefined;
		let got;
		try {
			const text = await remote.readSidecar(name);
			try {
				meta = text ? (JSON.parse(text) as BackupMeta) : undefined;
			} catch {
				meta = undefined;
			}
			// the sidecar's size bounds the download: an object that sends more (an endless one) is stopped there
			const maxBytes = typeof meta?.sizeBytes === 'number' && Number.isSafeInteger(meta.sizeBytes) && meta.sizeBytes >= 0 ? meta.sizeBytes : undefined;
			try {
				got = await remote.download(name, file, options.onProgress, maxBytes);
			} catch (error) {
				if (error instanceof TooBigError) throw new DownloadVerifyError(`${remoteFile(spec.id, name)} ${error.detail}${error.announced ? '' : ' (the partial download was removed)'}: refused, nothing was changed`);
				throw error;
			}
		} finally {
			await remote.close();
		}
		const recorded = typeof meta?.sha256 === 'string' && meta.sha256 ? meta.sha256 : undefined;
		if (recorded && (recorded !== got.sha256 || (typeof meta?.sizeBytes === 'number' && meta.sizeBytes !== got.sizeBytes))) {
			throw new DownloadVerifyError(`${remoteFile(spec.id, name)}: the bytes received (${got.sizeBytes}) do not have the sha256 its sidecar records: refused, nothing was changed`);
		}
		const checked = await runWorkerTask<InspectResult>({kind: 'inspect', file, check: 'quick'});
		if (checked.error || checked.check !== 'ok') throw new DownloadVerifyError(`${remoteFile(spec.id, name)}: quick_check of the download: ${checked.error ?? checked.check ?? 'no answer'}: refused, nothing was changed`);
		return {file, name, remote: spec.id, sha256: got.sha256, sizeBytes: got.sizeBytes, meta, checksumOk: recorded ? true : undefined, quickCheck: 'ok', cleanup};
	} catch (error) {
		await cleanup();
		throw error;
	}
}

/**
 * Makes a verified download a local backup under its own name (so the normal restore path, with its
 * plan, safety backup and guard, takes it from there); an identical local copy is kept as it is, a
 * different one under that name is refused. Returns the local name.
 */
export async function adoptDownload(config: Pick<Config, 'backupDir'>, downloaded: Downloaded): Promise<string> {
	const dest = path.join(config.backupDir, downloaded.name);
	if (fs.existsSync(dest)) {
		const local = readSidecar(config.backupDir, downloaded.name);
		await downloaded.cleanup();
		if (local?.sha256 === downloaded.sha256) return downloaded.name;
		throw new DownloadVerifyError(`a different local backup is already named ${downloaded.name}: restore that one, or move it away first; nothing was changed`);
	}
	const meta: BackupMeta = {...(downloaded.meta ?? {name: downloaded.name, kind: 'other', pageCount: 0, pageSize: 0, tables: {}, source: '', createdAt: new Date().toISOString(), verified: null}), name: downloaded.name, sha256: downloaded.sha256, sizeBytes: downloaded.sizeBytes, offsite: {[downloaded.remote]: {at: new Date().toISOString(), ok: true, attempts: 0, sha256: downloaded.sha256}}};
	await writeSidecar(config.backupDir, meta);
	await fs.promises.rename(downloaded.file, dest);
	forgetTemp(downloaded.file);
	await fsyncDir(config.backupDir);
	return downloaded.name;
}

export function remoteDeleteRequest(spec: RemoteSpec, name: string): MutationRequest {
	return {action: 'delete-remote-backup', target: remoteFile(spec.id, name)};
}

/** Deletes backup `name` and its sidecar on the remote, through the guard (read-only refused, audited). */
export async function deleteRemoteBackup(config: RemoteConfig & Pick<Config, 'readOnly' | 'auditLog'>, spec: RemoteSpec, name: string): Promise<void> {
	assertRemoteName(name);
	await runMutation(config, remoteDeleteRequest(spec, name), async () => {
		const remote = await openRemote(config, spec);
		try {
			await remote.delete(name);
		} finally {
			await remote.close();
		}
	});
}

export {RemoteError};
