// BACKUP_REMOTE: one or several comma-separated `s3://bucket/prefix` and `sftp://user@host[:port]/path`,
// parsed once by the config into RemoteSpecs. `id` is how a remote is named everywhere (sidecar
// records, lists, messages): the URL with any password masked. A name that holds control characters
// (percent-encoded ones too: they would be decoded into the id) or a bucket S3 cannot have is refused
// here, one line, before anything connects.
import {ConfigError} from '../../config/config-file.js';
import {mask} from '../../text/mask.js';
import {sanitize} from '../../text/sanitize.js';

export type S3Spec = {readonly kind: 's3'; readonly id: string; readonly bucket: string; /** '' or ending with `/` */ readonly prefix: string};
export type SftpSpec = {
	readonly kind: 'sftp';
	readonly id: string;
	readonly user: string;
	/** a password written in the URL (masked everywhere) */
	readonly password: string | undefined;
	readonly host: string;
	readonly port: number;
	/** absolute folder on the server, no trailing `/` (`/` for the root) */
	readonly path: string;
};
export type RemoteSpec = S3Spec | SftpSpec;

const controls = /[\u0000-\u001f\u007f-\u009f]/;

function refuse(name: string, value: string, why: string): never {
	throw new ConfigError(`${name}: ${sanitize(mask(value)).slice(0, 120)} ${why}`);
}

function decode(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}

/** One remote URL; `name` is the setting it came from, for the message. */
export function parseRemote(value: string, name = 'BACKUP_REMOTE'): RemoteSpec {
	const text = value.trim();
	if (controls.test(text)) refuse(name, text, 'contains control characters: refused');
	const s3 = /^s3:\/\/([^/]*)(?:\/(.*))?$/i.exec(text);
	if (s3) {
		const bucket = s3[1]!;
		// S3's rules (3-63 of a-z 0-9 . -, starting and ending with a letter or digit); s3rver and MinIO agree
		if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) refuse(name, text, 'does not name an S3 bucket (3-63 lowercase letters, digits, dots, hyphens)');
		const prefix = (s3[2] ?? '').split('/').filter(Boolean);
		if (prefix.some(p => p === '.' || p === '..')) refuse(name, text, 'has "." or ".." in its prefix: refused');
		const joined = prefix.length > 0 ? `${prefix.join('/')}/` : '';
		return {kind: 's3', id: `s3://${bucket}/${joined}`, bucket, prefix: joined};
	}
	if (/^sftp:\/\//i.test(text)) {
		let url: URL;
		try {
			url = new URL(text);
		} catch {
			refuse(name, text, 'is not an sftp://user@host[:port]/path URL');
		}
		const user = decode(url.username);
		if (!user) refuse(name, text, 'names no user (sftp://user@host/path)');
		if (!url.hostname) refuse(name, text, 'names no host');
		const folder = decode(url.pathname).split('/').filter(Boolean);
		// percent-encoded (`%1b`, `%0a`): decoded, it would be in the id every message names the remote by
		if (controls.test(user) || folder.some(p => controls.test(p))) refuse(name, text, 'contains control characters (percent-encoded): refused');
		if (folder.some(p => p === '.' || p === '..')) refuse(name, text, 'has "." or ".." in its path: refused');
		const port = url.port ? Number(url.port) : 22;
		if (!Number.isInteger(port) || port < 1 || port > 65535) refuse(name, text, 'has no usable port (1-65535)');
		const password = url.password ? decode(url.password) : undefined;
		const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
		const shown = `sftp://${user}@${url.host}/${folder.join('/')}`;
		return {kind: 'sftp', id: shown, user, password, host, port, path: `/${folder.join('/')}`};
	}
	return refuse(name, text, 'is not an s3://bucket/prefix or sftp://user@host/path URL');
}

/** BACKUP_REMOTE (comma-separated, or a list in the config file): each parsed; duplicates refused. */
export function parseRemotes(value: unknown, name = 'BACKUP_REMOTE'): RemoteSpec[] {
	if (value === undefined) return [];
	const items = (Array.isArray(value) ? (value as unknown[]).map(String) : String(value).split(',')).map(s => s.trim()).filter(Boolean);
	const specs = items.map(item => parseRemote(item, name));
	const ids = new Set<string>();
	for (const spec of specs) {
		if (ids.has(spec.id)) throw new ConfigError(`${name}: ${sanitize(spec.id)} is given twice`);
		ids.add(spec.id);
	}
	return specs;
}
