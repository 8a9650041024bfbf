// Is this the host key we expect? OpenSSH's known_hosts format: `host[,host...] type base64` lines,
// `[host]:port` for a port other than 22, hashed names `|1|salt|hash` (HMAC-SHA1), `*`/`?` patterns,
// `!` negations, `@revoked` keys; plus one fingerprint from the settings (BACKUP_SFTP_HOST_KEY).
// A key that differs from a known one is refused (a man in the middle, or a reinstalled server the
// operator must confirm); an unknown host is refused unless one of the two names it.
import crypto from 'node:crypto';
import fs from 'node:fs';

export type HostKeyVerdict =
	| {readonly ok: true; readonly how: string}
	| {readonly ok: false; readonly reason: string};

/** `SHA256:…` as ssh-keygen -l prints it (base64 without padding). */
export function fingerprint(key: Buffer): string {
	return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function keyType(key: Buffer): string {
	if (key.length < 4) return '?';
	const length = key.readUInt32BE(0);
	return key.subarray(4, 4 + length).toString('latin1');
}

function globMatch(pattern: string, text: string): boolean {
	const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
	return re.test(text);
}

function hostMatches(field: string, names: readonly string[]): boolean {
	if (field.startsWith('|1|')) {
		const [, , salt, hash] = field.split('|');
		if (!salt || !hash) return false;
		return names.some(name => crypto.createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash);
	}
	let matched = false;
	for (const pattern of field.split(',')) {
		if (pattern.startsWith('!')) {
			if (names.some(n => globMatch(pattern.slice(1), n))) return false;
		} else if (names.some(n => globMatch(pattern, n))) matched = true;
	}
	return matched;
}

/** Checks `key` (the server's, as offered) for host:port against known_hosts and a configured fingerprint. */
export function checkHostKey(key: Buffer, host: string, port: number, options: {readonly knownHosts: string; readonly fingerprint?: string}): HostKeyVerdict {
	const offered = fingerprint(key);
	const where = port === 22 ? host : `[${host}]:${port}`;
	if (options.fingerprint && options.fingerprint.replace(/=+$/, '') === offered) return {ok: true, how: 'BACKUP_SFTP_HOST_KEY'};
	let text = '';
	try {
		text = fs.readFileSync(options.knownHosts, 'utf8');
	} catch {
		// no file: every host is unknown
	}
	const names = port === 22 ? [host] : [`[${host}]:${port}`];
	const blob = key.toString('base64');
	const type = keyType(key);
	const others: string[] = [];
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		const line = raw.trim();
		if (!line || line.startsWith('#')) continue;
		const fields = line.split(/\s+/);
		const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
		const [hosts, lineType, lineKey] = fields;
		if (!hosts || !lineType || !lineKey || marker === '@cert-authority') continue;
		if (!hostMatches(hosts, names)) continue;
		if (marker === '@revoked') {
			if (lineKey === blob) return {ok: false, reason: `the host key of ${where} (${offered}) is marked @revoked in ${options.knownHosts} line ${index + 1}: refused`};
			continue;
		}
		if (lineKey === blob && lineType === type) return {ok: true, how: `${options.knownHosts} line ${index + 1}`};
		others.push(`${lineType} at line ${index + 1}`);
	}
	if (others.length > 0) {
		return {ok: false, reason: `HOST KEY MISMATCH for ${where}: it offers ${type} ${offered}, ${options.knownHosts} has another key (${others.join(', ')}); refused (a man in the middle, or a reinstalled server: check, then fix known_hosts)`};
	}
	const given = options.fingerprint ? ` nor BACKUP_SFTP_HOST_KEY (${options.fingerprint})` : '';
	return {ok: false, reason: `unknown host ${where}: its ${type} key ${offered} is not in ${options.knownHosts}${given}; refused (add it with ssh-keyscan -p ${port} ${host} >> ${options.knownHosts} after checking, or set BACKUP_SFTP_HOST_KEY)`};
}
