// Passwords never reach the screen, a log or JSON output. mask() hides the password part of any
// URL inside a text, and any secret registered at start-up (passwords taken from the config),
// so driver error messages that quote a connection string are safe too.
const secrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
	if (secret && secret.length >= 3) secrets.add(secret);
}

const urlPassword = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi;

export function mask(text: string): string {
	// the regex costs as much as the rest of `opsdeck keys` on a long batch of key names: only run it when a URL can be there
	let out = text.includes('://') ? text.replace(urlPassword, '$1***$3') : text;
	for (const secret of secrets) {
		if (out.includes(secret)) out = out.split(secret).join('***');
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join('***');
	}
	return out;
}

/** An error, any kind, as one masked line. */
export function errorMessage(error: unknown): string {
	let message: string;
	if (error instanceof Error) {
		message = error.message || (error as NodeJS.ErrnoException).code || error.name;
		// AggregateError from net (IPv4 + IPv6 attempts) carries the useful text in its parts.
		if (!error.message && error instanceof AggregateError && error.errors.length > 0) {
			message = errorMessage(error.errors[0]);
		}
	} else {
		message = String(error);
	}
	return mask(friendly(message.split('\n')[0]!.trim()));
}

// ioredis' words for "the connection went away" describe its options, not what happened.
function friendly(message: string): string {
	if (/^Reached the max retries per request limit/.test(message)) return 'connection lost (the command was not sent again)';
	if (/^Stream isn't writeable and enableOfflineQueue options is false/.test(message)) return 'connection lost';
	if (/^Connection is closed\.?$/.test(message)) return 'connection closed';
	return message;
}
