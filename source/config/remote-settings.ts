// The off-site settings (issue 19): BACKUP_REMOTE and how each kind is reached, the upload retries,
// the heartbeat URL. Read by loadConfig with its own pick() (flag > env > .env > config file), so
// they follow the same precedence as every other setting. Secrets are registered for masking.
import os from 'node:os';
import path from 'node:path';
import {ConfigError} from './config-file.js';
import {parseRemotes, type RemoteSpec} from '../backups/remote/spec.js';
import {registerSecret, registerUrlSecrets} from '../text/mask.js';
import {quote} from '../text/sanitize.js';

export type S3Settings = {
	/** BACKUP_S3_ENDPOINT, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL; undefined: AWS itself */
	readonly endpoint: string | undefined;
	readonly region: string;
	/** bucket in the path (MinIO, s3rver, an IP): automatic for an IP or localhost endpoint */
	readonly forcePathStyle: boolean;
	/** both, or neither (then the SDK's own chain: ~/.aws/credentials, AWS_PROFILE, instance roles) */
	readonly accessKeyId: string | undefined;
	readonly secretAccessKey: string | undefined;
	readonly sessionToken: string | undefined;
	readonly profile: string | undefined;
	/** BACKUP_REMOTE_TIMEOUT_MS: a connection silent this long fails (retryable); connecting waits at most 5 s of it */
	readonly timeoutMs: number;
};

export type SftpSettings = {
	/** a private key file (OpenSSH or PEM) */
	readonly keyFile: string | undefined;
	readonly passphrase: string | undefined;
	readonly password: string | undefined;
	/** where host keys are looked up (default ~/.ssh/known_hosts) */
	readonly knownHosts: string;
	/** a host key accepted besides known_hosts: `SHA256:…` as ssh-keygen -l prints it */
	readonly hostKey: string | undefined;
	/** BACKUP_REMOTE_TIMEOUT_MS: the SSH handshake, and a connection that stops answering, fail after this */
	readonly timeoutMs: number;
};

export type RemoteSettings = {
	readonly backupRemotes: readonly RemoteSpec[];
	readonly backupS3: S3Settings;
	readonly backupSftp: SftpSettings;
	/** attempts after the first failed one, per file and remote */
	readonly backupUploadRetries: number;
	/** the first wait between attempts; doubled each time */
	readonly backupUploadBackoffMs: number;
	readonly backupHeartbeatUrl: string | undefined;
};

type Picked = {value: unknown; name: string};
type Pick = (flag: undefined, env: string | undefined, fileKey: string | undefined) => Picked;
type Env = Readonly<Record<string, string | undefined>>;

function first(...picks: Picked[]): Picked {
	return picks.find(p => p.value !== undefined && p.value !== '') ?? {value: undefined, name: picks[0]!.name};
}

function bool(p: Picked): boolean | undefined {
	if (p.value === undefined) return undefined;
	if (typeof p.value === 'boolean') return p.value;
	const v = String(p.value).trim().toLowerCase();
	if (['1', 'true', 'yes', 'on'].includes(v)) return true;
	if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
	throw new ConfigError(`${p.name} must be true or false (got ${quote(String(p.value).slice(0, 40))})`);
}

function int(p: Picked, fallback: number, min: number, max: number): number {
	if (p.value === undefined) return fallback;
	const n = typeof p.value === 'number' ? p.value : /^\s*\d+\s*$/.test(String(p.value)) ? Number(p.value) : Number.NaN;
	if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${p.name} must be a whole number from ${min} to ${max} (got ${quote(String(p.value).slice(0, 40))})`);
	return n;
}

function httpUrl(p: Picked): string | undefined {
	if (p.value === undefined) return undefined;
	const text = String(p.value);
	let ok = false;
	try {
		ok = ['http:', 'https:'].includes(new URL(text).protocol);
	} catch {
		ok = false;
	}
	if (!ok) throw new ConfigError(`${p.name} is not an http:// or https:// URL`);
	return text;
}

export function remoteSettings(pick: Pick, env: Env, cwd: string): RemoteSettings {
	const remote = pick(undefined, 'BACKUP_REMOTE', 'backupRemote');
	if (typeof remote.value === 'string') registerUrlSecrets(remote.value);
	if (Array.isArray(remote.value)) for (const item of remote.value) registerUrlSecrets(String(item));
	const backupRemotes = parseRemotes(remote.value, remote.name);

	const endpointPick = first(pick(undefined, 'BACKUP_S3_ENDPOINT', 'backupS3Endpoint'), pick(undefined, 'AWS_ENDPOINT_URL_S3', undefined), pick(undefined, 'AWS_ENDPOINT_URL', undefined));
	const endpoint = httpUrl(endpointPick);
	const region = first(pick(undefined, 'BACKUP_S3_REGION', 'backupS3Region'), pick(undefined, 'AWS_REGION', undefined), pick(undefined, 'AWS_DEFAULT_REGION', undefined));
	const pathStyle = bool(first(pick(undefined, 'BACKUP_S3_PATH_STYLE', 'backupS3PathStyle'), pick(undefined, 'BACKUP_S3_FORCE_PATH_STYLE', undefined)));
	const host = endpoint ? new URL(endpoint).hostname : '';
	const local = /^(localhost|\d+\.\d+\.\d+\.\d+|\[.*\])$/.test(host);
	const keyId = first(pick(undefined, 'AWS_ACCESS_KEY_ID', 'backupS3AccessKeyId'));
	const secret = first(pick(undefined, 'AWS_SECRET_ACCESS_KEY', 'backupS3SecretAccessKey'));
	if ((keyId.value === undefined) !== (secret.value === undefined)) {
		throw new ConfigError(`${keyId.value === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is missing: give both, or neither (then ~/.aws and AWS_PROFILE are used)`);
	}
	const token = env.AWS_SESSION_TOKEN || undefined;
	registerSecret(secret.value === undefined ? undefined : String(secret.value));
	registerSecret(token);

	const keyFile = pick(undefined, 'BACKUP_SFTP_KEY', 'backupSftpKey').value;
	const password = pick(undefined, 'BACKUP_SFTP_PASSWORD', 'backupSftpPassword').value;
	const passphrase = pick(undefined, 'BACKUP_SFTP_PASSPHRASE', 'backupSftpPassphrase').value;
	for (const s of [password, passphrase]) registerSecret(s === undefined ? undefined : String(s));
	for (const spec of backupRemotes) if (spec.kind === 'sftp') registerSecret(spec.password);
	const knownHosts = pick(undefined, 'BACKUP_SFTP_KNOWN_HOSTS', 'backupSftpKnownHosts').value;
	const hostKey = pick(undefined, 'BACKUP_SFTP_HOST_KEY', 'backupSftpHostKey');
	if (hostKey.value !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(String(hostKey.value).trim())) {
		throw new ConfigError(`${hostKey.name} must be a host key fingerprint as ssh-keygen -lf prints it (SHA256:…)`);
	}
	const home = env.HOME || os.homedir();
	const timeoutMs = int(pick(undefined, 'BACKUP_REMOTE_TIMEOUT_MS', 'backupRemoteTimeoutMs'), 30_000, 100, 600_000);
	return {
		backupRemotes,
		backupS3: {
			endpoint,
			region: String(region.value ?? 'us-east-1'),
			forcePathStyle: pathStyle ?? local,
			accessKeyId: keyId.value === undefined ? undefined : String(keyId.value),
			secretAccessKey: secret.value === undefined ? undefined : String(secret.value),
			sessionToken: token,
			profile: env.AWS_PROFILE || undefined,
			timeoutMs,
		},
		backupSftp: {
			keyFile: keyFile === undefined ? undefined : path.resolve(cwd, String(keyFile)),
			passphrase: passphrase === undefined ? undefined : String(passphrase),
			password: password === undefined ? undefined : String(password),
			knownHosts: path.resolve(cwd, String(knownHosts ?? path.join(home, '.ssh', 'known_hosts'))),
			hostKey: hostKey.value === undefined ? undefined : String(hostKey.value).trim(),
			timeoutMs,
		},
		backupUploadRetries: int(pick(undefined, 'BACKUP_UPLOAD_RETRIES', 'backupUploadRetries'), 3, 0, 20),
		backupUploadBackoffMs: int(pick(undefined, 'BACKUP_UPLOAD_BACKOFF_MS', 'backupUploadBackoffMs'), 1000, 0, 600_000),
		backupHeartbeatUrl: (() => {
			const p = pick(undefined, 'BACKUP_HEARTBEAT_URL', 'backupHeartbeatUrl');
			if (typeof p.value === 'string') registerUrlSecrets(p.value);
			return httpUrl(p);
		})(),
	};
}
