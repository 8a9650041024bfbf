// One interface for every kind of off-site store: list, upload (file + its sidecar), download, delete.
// s3.ts and sftp.ts implement it; openRemote picks by the spec's kind. Every byte that goes up or
// comes down is hashed on the way (hashing()), so "the sha256 of what was uploaded" is the sha256 of
// the bytes read for the upload, not of the file read again later.
import crypto from 'node:crypto';
import {Transform, Writable} from 'node:stream';
import type {Config} from '../../config/config.js';
import {parseBackupName} from '../names.js';
import type {RemoteSpec} from './spec.js';
import {capLine, errorMessage, mask} from '../../text/mask.js';
import {quote} from '../../text/sanitize.js';

export type RemoteObject = {
	/** the backup's file name (`manual_2026-…db`), as the store has it (untrusted: sanitize to show) */
	readonly name: string;
	readonly sizeBytes: number;
	/** ms since the epoch, the store's modification time */
	readonly modifiedAt: number;
	/** its `NAME.json` sidecar is there too */
	readonly hasSidecar: boolean;
};

/**
 * The order of a remote listing, newest first: by the time in the backup's name, as local backups
 * are (the store's modification time says when it was uploaded, not when the backup was taken: an
 * old copy uploaded late is not the newest); a name opsdeck did not give goes by its mtime.
 */
export function newestFirst(list: RemoteObject[]): RemoteObject[] {
	const time = (o: RemoteObject) => parseBackupName(o.name)?.createdAt.getTime() ?? o.modifiedAt;
	return list.sort((a, b) => time(b) - time(a) || b.modifiedAt - a.modifiedAt || b.name.localeCompare(a.name));
}

export type Transfer = {readonly sha256: string; readonly sizeBytes: number};
export type TransferProgress = (doneBytes: number, totalBytes: number) => void;

export interface Remote {
	readonly spec: RemoteSpec;
	/** the `.db` files in the remote folder, newest first (newestFirst) */
	list(): Promise<RemoteObject[]>;
	/**
	 * Uploads `file` as its base name, then its sidecar (a path, or undefined); resolves with the
	 * sha256 and size of the bytes sent. The file is complete under its name only when this resolves.
	 */
	upload(file: string, sidecar: string | undefined, onProgress?: TransferProgress, expectedSha256?: string): Promise<Transfer>;
	/**
	 * Downloads backup `name` to `dest` (created, 0600); resolves with the sha256 of the bytes received.
	 * With `maxBytes` (the size its sidecar records) the download stops as soon as more bytes arrive
	 * (TooBigError; the caller removes `dest`).
	 */
	download(name: string, dest: string, onProgress?: TransferProgress, maxBytes?: number): Promise<Transfer>;
	/** The sidecar's text (at most sidecarMaxBytes: a bigger one is refused), or undefined when there is none. */
	readSidecar(name: string): Promise<string | undefined>;
	/** Deletes backup `name` and its sidecar. */
	delete(name: string): Promise<void>;
	close(): Promise<void>;
}

/**
 * Something went wrong with a remote: which remote (`remote`, its id; undefined for a refusal that is
 * not about a remote, such as a name that is not a backup's) and why (`reason`), kept apart, so that
 * a reader that names the remote itself (the sidecar's record, shipText, the Backups tab, list
 * --remote, prune) takes the reason and says the remote once. `message` is `remote: reason`, for a
 * reader that prints the error whole (a command's stderr line). The reason may hold a server's words
 * and file names: take it through remoteReason (one masked line), and sanitize to show.
 */
export class RemoteError extends Error {
	readonly remote: string | undefined;
	readonly reason: string;
	/** false: trying again will not change it (a wrong host key, a missing key file, a refused name) */
	readonly retryable: boolean;
	constructor(remote: string | undefined, reason: string, options: {readonly retryable?: boolean; readonly cause?: unknown} = {}) {
		super(remote ? `${remote}: ${reason}` : reason, options.cause === undefined ? undefined : {cause: options.cause});
		this.name = 'RemoteError';
		this.remote = remote;
		this.reason = reason;
		this.retryable = options.retryable ?? true;
	}
}

/**
 * Why a remote operation failed, without the remote's id (the reader names the remote): a
 * RemoteError's reason, any other error's own words (a plain Error, a string); one line, masked.
 * Never empty: an error with nothing to say (undefined, '') is "no reason given".
 */
export function remoteReason(error: unknown): string {
	const text = error instanceof RemoteError ? capLine(mask(error.reason.split('\n')[0]!.trim())) : error === undefined || error === null ? '' : errorMessage(error);
	return text || 'no reason given';
}

/** A download that brought more bytes than its sidecar records: stopped there, not retryable. */
export class TooBigError extends RemoteError {
	/** `announced`: the store gave the size before any byte came (nothing was downloaded) */
	readonly announced: boolean;
	/** the reason without the name, for a reader that names the file itself */
	readonly detail: string;
	constructor(remote: string, name: string, maxBytes: number, gotBytes: number, announced = false) {
		const detail = announced ? `is ${gotBytes} bytes there, its sidecar records ${maxBytes}: not downloaded` : `sends more bytes than the ${maxBytes} its sidecar records: the download was stopped after ${gotBytes}`;
		super(remote, `${name} ${detail}`, {retryable: false});
		this.name = 'TooBigError';
		this.announced = announced;
		this.detail = detail;
	}
}

/** The most of a sidecar that is read (a real one is a few KB); a bigger one is refused. */
export const sidecarMaxBytes = 1024 * 1024;

/** The sidecar of `name` is bigger than sidecarMaxBytes: refused, one line. */
export function sidecarTooBig(remote: string, name: string): RemoteError {
	return new RemoteError(remote, `the sidecar of ${name} is bigger than ${sidecarMaxBytes / (1024 * 1024)} MB (a real one is a few KB): refused`, {retryable: false});
}

/**
 * Where a sidecar's bytes are written as they come: at most sidecarMaxBytes are kept (one more and it
 * fails with sidecarTooBig, whatever size the server gave before); text() is the UTF-8 of what came.
 */
export function sidecarSink(remote: string, name: string): Writable & {text(): string} {
	const chunks: Buffer[] = [];
	let size = 0;
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			size += chunk.length;
			if (size > sidecarMaxBytes) return callback(sidecarTooBig(remote, name));
			chunks.push(chunk);
			callback();
		},
	}) as Writable & {text(): string};
	sink.text = () => Buffer.concat(chunks).toString('utf8');
	return sink;
}

/** A file on a remote, for messages and the audit log: the remote's id and the name joined by exactly one `/`. */
export function remoteFile(id: string, name: string): string {
	return `${id.replace(/\/+$/, '')}/${name}`;
}

export type RemoteConfig = Pick<Config, 'backupS3' | 'backupSftp'>;

/**
 * A stream that passes bytes through and hashes them; `done()` gives the sha256 and byte count. With
 * `tooMany`, the stream fails with its error as soon as more than its `maxBytes` have come.
 */
export function hashing(onBytes?: (total: number) => void, tooMany?: {readonly maxBytes: number; error(gotBytes: number): Error}): Transform & {done(): Transfer} {
	const hash = crypto.createHash('sha256');
	let size = 0;
	const stream = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			if (tooMany && size + chunk.length > tooMany.maxBytes) {
				callback(tooMany.error(size + chunk.length));
				return;
			}
			hash.update(chunk);
			size += chunk.length;
			onBytes?.(size);
			callback(null, chunk);
		},
	}) as Transform & {done(): Transfer};
	let digest: string | undefined;
	stream.done = () => ({sha256: (digest ??= hash.digest('hex')), sizeBytes: size});
	return stream;
}

/** A backup file name as it may be stored remotely: a plain `.db` name, nothing that climbs or hides. */
export function assertRemoteName(name: string): void {
	if (typeof name !== 'string' || !name.endsWith('.db') || name.startsWith('.') || /[/\\\0]/.test(name) || name.includes('..') || /[\u0000-\u001f\u007f]/.test(name)) {
		throw new RemoteError(undefined, `${quote(name.slice(0, 60))} is not a backup name (a plain NAME.db): refused`, {retryable: false});
	}
}

export async function openRemote(config: RemoteConfig, spec: RemoteSpec): Promise<Remote> {
	if (spec.kind === 's3') return (await import('./s3.js')).openS3(config.backupS3, spec);
	return (await import('./sftp.js')).openSftp(config.backupSftp, spec);
}
