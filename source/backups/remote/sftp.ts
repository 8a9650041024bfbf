// SFTP through ssh2-sftp-client: key or password, the host key checked against known_hosts (or
// BACKUP_SFTP_HOST_KEY) before anything is sent. A file goes up as a hidden `.NAME.partial` and is
// renamed into place once all of it is there, so a cut connection never leaves a short file under a
// backup's name; the size is read back and the sha256 of the bytes sent compared with the sidecar's.
import fs from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import SftpClient from 'ssh2-sftp-client';
import type {SftpSettings} from '../../config/remote-settings.js';
import {errorMessage} from '../../text/mask.js';
import {checkHostKey} from './known-hosts.js';
import {assertRemoteName, hashing, newestFirst, RemoteError, sidecarMaxBytes, sidecarSink, sidecarTooBig, TooBigError, type Remote, type RemoteObject} from './remote.js';
import type {SftpSpec} from './spec.js';
import {quote} from '../../text/sanitize.js';

/** the most entries a folder listing may bring (a backup folder holds tens); more is a listing that does not end */
export const sftpMaxListEntries = 50_000;

type Entry = {readonly type: string; readonly name: string; readonly size: number; readonly modifyTime: number};
type DirEntry = {filename: string; longname: string; attrs: {size?: number; mtime?: number}};
type RawSftp = {
	opendir(path: string, cb: (error: Error | undefined, handle: Buffer) => void): void;
	readdir(handle: Buffer, cb: (error: (Error & {code?: number}) | undefined, list: DirEntry[]) => void): void;
	close(handle: Buffer, cb: (error?: Error) => void): void;
};

/**
 * The folder's entries, as ssh2-sftp-client's list gives them, but bounded: its readdir loop asks
 * for more until the server says EOF, so a server that never does would keep it (and the entries it
 * gathers) growing for ever.
 */
function boundedList(client: SftpClient, folder: string, spec: SftpSpec): Promise<Entry[]> {
	const sftp = (client as unknown as {sftp?: RawSftp}).sftp;
	if (!sftp) return Promise.reject(new Error('not connected'));
	return new Promise((resolve, reject) => {
		sftp.opendir(folder, (error, handle) => {
			if (error) return reject(new Error(`${error.message} ${folder}`));
			const entries: Entry[] = [];
			const more = () => sftp.readdir(handle, (error, list) => {
				if (error && error.code === 1) return sftp.close(handle, () => resolve(entries));
				if (error) return sftp.close(handle, () => reject(new Error(`${error.message} ${folder}`)));
				for (const item of list) entries.push({type: item.longname.slice(0, 1), name: item.filename, size: item.attrs.size ?? 0, modifyTime: (item.attrs.mtime ?? 0) * 1000});
				if (entries.length > sftpMaxListEntries) {
					return sftp.close(handle, () => reject(new RemoteError(spec.id, `cannot list: the server's listing does not end (more than ${sftpMaxListEntries} entries)`)));
				}
				more();
			});
			more();
		});
	});
}

async function connect(settings: SftpSettings, spec: SftpSpec): Promise<SftpClient> {
	// its default global listeners print raw text ("Global error listener: …") to the terminal; the
	// errors that matter reach the call in progress and are reported from there, one line
	const quiet = () => undefined;
	const client = new SftpClient('opsdeck', {error: quiet, end: quiet, close: quiet});
	let refusal: string | undefined;
	const password = spec.password ?? settings.password;
	let privateKey: Buffer | undefined;
	if (settings.keyFile) {
		try {
			privateKey = await fs.promises.readFile(settings.keyFile);
		} catch (error) {
			throw new RemoteError(spec.id, `cannot read the key BACKUP_SFTP_KEY=${settings.keyFile}: ${errorMessage(error)}`, {retryable: false, cause: error});
		}
	}
	if (!privateKey && !password) throw new RemoteError(spec.id, 'no key (BACKUP_SFTP_KEY) and no password (BACKUP_SFTP_PASSWORD) to log in with', {retryable: false});
	try {
		await client.connect({
			host: spec.host,
			port: spec.port,
			username: spec.user,
			...(privateKey ? {privateKey, ...(settings.passphrase ? {passphrase: settings.passphrase} : {})} : {}),
			...(password ? {password} : {}),
			readyTimeout: settings.timeoutMs,
			// a server that stops answering after the handshake: ~timeoutMs of unanswered keepalives end it
			keepaliveInterval: Math.max(50, Math.round(settings.timeoutMs / 3)),
			keepaliveCountMax: 3,
			retries: 0,
			hostVerifier: (key: Buffer) => {
				const verdict = checkHostKey(key, spec.host, spec.port, {knownHosts: settings.knownHosts, fingerprint: settings.hostKey});
				if (!verdict.ok) refusal = verdict.reason;
				return verdict.ok;
			},
		});
	} catch (error) {
		await client.end().catch(() => undefined);
		if (refusal) throw new RemoteError(spec.id, refusal, {retryable: false});
		const text = errorMessage(error).replace(/^(connect: )?getConnection: /, '');
		throw new RemoteError(spec.id, `cannot connect: ${text}`, {retryable: !/authentication|auth methods/i.test(text), cause: error});
	}
	return client;
}

export async function openSftp(settings: SftpSettings, spec: SftpSpec): Promise<Remote> {
	const client = await connect(settings, spec);
	const at = (name: string) => path.posix.join(spec.path, name);
	const fail = (what: string, error: unknown, retryable = true): never => {
		if (error instanceof RemoteError) throw error;
		throw new RemoteError(spec.id, `${what}: ${errorMessage(error).replace(/^\w+: /, '')}`, {retryable, cause: error});
	};
	return {
		spec,
		async list() {
			let entries: Entry[];
			try {
				entries = await boundedList(client, spec.path, spec);
			} catch (error) {
				return fail('cannot list', error);
			}
			const names = new Set(entries.map(e => e.name));
			const list: RemoteObject[] = entries
				.filter(e => e.type === '-' && e.name.endsWith('.db') && !e.name.startsWith('.'))
				.map(e => ({name: e.name, sizeBytes: e.size, modifiedAt: e.modifyTime, hasSidecar: names.has(`${e.name}.json`)}));
			return newestFirst(list);
		},
		async upload(file, sidecar, onProgress, expectedSha256) {
			const name = path.basename(file);
			assertRemoteName(name);
			const total = (await fs.promises.stat(file)).size;
			const partial = at(`.${name}.partial`);
			const hasher = hashing(done => onProgress?.(done, total));
			try {
				await client.mkdir(spec.path, true).catch(async (error: unknown) => {
					if (!(await client.exists(spec.path))) throw error;
				});
				const source = fs.createReadStream(file, {highWaterMark: 1024 * 1024});
				source.on('error', error => hasher.destroy(error));
				await client.put(source.pipe(hasher), partial);
			} catch (error) {
				await client.delete(partial, true).catch(() => undefined);
				return fail(`upload of ${name} failed`, error);
			}
			const sent = hasher.done();
			try {
				const stat = await client.stat(partial);
				if (stat.size !== sent.sizeBytes) throw new RemoteError(spec.id, `${name} is ${stat.size} bytes there, ${sent.sizeBytes} were sent`);
				if (expectedSha256 && sent.sha256 !== expectedSha256) {
					await client.delete(partial, true).catch(() => undefined);
					throw new RemoteError(spec.id, `the bytes sent of ${name} do not have the sha256 its sidecar records (the file changed): the copy was removed`, {retryable: false});
				}
				await client.delete(at(name), true);
				await client.rename(partial, at(name));
				if (sidecar) await client.put(await fs.promises.readFile(sidecar), at(`${name}.json`));
			} catch (error) {
				return fail(`upload of ${name} failed`, error);
			}
			onProgress?.(total, total);
			return sent;
		},
		async download(name, dest, onProgress, maxBytes) {
			assertRemoteName(name);
			let total = 0;
			try {
				total = (await client.stat(at(name))).size;
			} catch (error) {
				return fail(`no backup named ${quote(name)}`, error, false);
			}
			if (maxBytes !== undefined && total > maxBytes) throw new TooBigError(spec.id, name, maxBytes, total, true);
			const hasher = hashing(done => onProgress?.(done, total), maxBytes === undefined ? undefined : {maxBytes, error: got => new TooBigError(spec.id, name, maxBytes, got)});
			const through = new PassThrough();
			try {
				await Promise.all([client.get(at(name), through), pipeline(through, hasher, fs.createWriteStream(dest, {mode: 0o600, flags: 'wx'}))]);
			} catch (error) {
				return fail(`download of ${name} failed`, error);
			}
			return hasher.done();
		},
		async readSidecar(name) {
			assertRemoteName(name);
			try {
				if (!(await client.exists(at(`${name}.json`)))) return undefined;
				if ((await client.stat(at(`${name}.json`))).size > sidecarMaxBytes) throw sidecarTooBig(spec.id, name);
				// read at most sidecarMaxBytes, whatever the size the server gave
				const sink = sidecarSink(spec.id, name);
				await client.get(at(`${name}.json`), sink);
				return sink.text();
			} catch (error) {
				return fail(`cannot read the sidecar of ${name}`, error);
			}
		},
		async delete(name) {
			assertRemoteName(name);
			try {
				if (!(await client.exists(at(name)))) throw new RemoteError(spec.id, `no backup named ${quote(name)}`, {retryable: false});
				await client.delete(at(name));
				await client.delete(at(`${name}.json`), true);
			} catch (error) {
				return fail(`cannot delete ${name}`, error);
			}
		},
		async close() {
			await client.end().catch(() => undefined);
		},
	};
}
