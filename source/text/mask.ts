// Passwords never reach the screen, a log or JSON output. mask() hides, in any text:
// - the password of every URL, read the way the drivers read it: the userinfo ends at the LAST `@`
//   of the authority (`redis://:p@ssW0rd@host` has the password `p@ssW0rd`), and the query
//   parameters that carry one (`?password=`, `sslpassword=`, any length, even a common word);
// - every secret registered at start-up (the config's passwords, PGPASSWORD, .pgpass), in each form
//   it can be printed in (as given, decoded, percent-encoded), wherever it appears — when it is long
//   enough not to be an ordinary word (a short one is masked in URL contexts only, above).
import {fsErrorSentence, socketErrorSentence} from './fs-reason.js';
import {netErrorSentence} from './net-reason.js';

const secrets = new Set<string>();

/** Shorter secrets are masked in URLs only: masking "chat" everywhere would mangle every key name. */
export const minFreeTextSecret = 6;

/** Query parameters that carry a password or a key's passphrase (libpq: password, sslpassword). */
const secretParams = ['password', 'pass', 'pwd', 'sslpassword', 'passphrase', 'sslpassphrase'];

let sorted: string[] | undefined;

function addForm(form: string | undefined): void {
	if (form && form.length >= minFreeTextSecret && !secrets.has(form)) {
		secrets.add(form);
		sorted = undefined;
	}
}

/** A secret and the forms it is printed in: as given, percent-encoded (URL component, userinfo, query). */
export function registerSecret(secret: string | undefined): void {
	if (!secret) return;
	addForm(secret);
	addForm(encodeURIComponent(secret));
	addForm(new URLSearchParams({p: secret}).toString().slice(2));
	try {
		const url = new URL('redis://h');
		url.password = secret;
		addForm(url.password);
	} catch {
		// not a form a URL can hold
	}
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

/**
 * The passwords a connection URL carries, as the drivers read it: the userinfo's (split at the
 * last `@`) and the query's (`password`, `sslpassword`, ...), raw and decoded. [] when none.
 */
export function urlSecrets(url: string): string[] {
	const found: string[] = [];
	const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
	const authority = m?.[1] ?? '';
	const at = authority.lastIndexOf('@');
	if (at !== -1) {
		const userinfo = authority.slice(0, at);
		const colon = userinfo.indexOf(':');
		if (colon !== -1 && colon < userinfo.length - 1) found.push(userinfo.slice(colon + 1), safeDecode(userinfo.slice(colon + 1)));
	}
	const query = /\?([^#]*)/.exec(url)?.[1];
	if (query) {
		for (const part of query.split('&')) {
			const eq = part.indexOf('=');
			const name = safeDecode(eq === -1 ? part : part.slice(0, eq)).toLowerCase();
			if (eq !== -1 && secretParams.includes(name) && part.length > eq + 1) {
				const raw = part.slice(eq + 1);
				found.push(raw, safeDecode(raw.replace(/\+/g, ' ')));
			}
		}
	}
	return [...new Set(found)];
}

/** Registers every password a connection URL carries (see urlSecrets). */
export function registerUrlSecrets(url: string | undefined): void {
	if (!url) return;
	for (const secret of urlSecrets(url)) registerSecret(secret);
}

// scheme://authority: the authority runs to the first / ? # or blank, or a character no URL has
// raw (a quote ends a JSON string: `"url":"redis://h","by":"a@b"` is two strings, not a userinfo);
// its userinfo runs to its last @. A password with such a character is masked as a registered secret.
// Found from each `://` outwards, not by one regex over the text: /([a-z][a-z0-9+.-]*:\/\/)(...)/gi
// tried a scheme at every letter of a long run of letters and read the run to its end each time
// (quadratic: an S3 error body of 100 KB of letters took 35 s to mask, 1 MB never ended).
const authorityAt = /[^\s/?#"<>`{}|\\^]*/y;
const queryPassword = new RegExp(`([?&;\\s]|^)(${secretParams.join('|')})=([^&\\s#;]*)`, 'gi');

/** A letter, a digit, + . or - (a scheme's characters after its first letter). */
function isSchemeChar(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 43 || code === 46 || code === 45;
}

function isLetter(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/**
 * Every scheme://authority with its userinfo's password masked: what text.replace(/([a-z][a-z0-9+.-]*:\/\/)
 * ([^\s/?#"<>`{}|\\^]*)/gi, maskAuthority) gives (the leftmost scheme, matches not overlapping), in
 * time linear in the text.
 */
function maskUrlAuthorities(text: string): string {
	let out = '';
	// where the last match ended (the next one starts here or after)
	let done = 0;
	for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', Math.max(at + 1, done))) {
		// the scheme: the run of scheme characters before `://`, from its first letter
		let start = at;
		while (start > done && isSchemeChar(text.charCodeAt(start - 1))) start--;
		while (start < at && !isLetter(text.charCodeAt(start))) start++;
		if (start === at) continue;
		authorityAt.lastIndex = at + 3;
		const authority = authorityAt.exec(text)![0];
		const end = at + 3 + authority.length;
		out += text.slice(done, start) + maskAuthority(text.slice(start, at + 3), authority);
		done = end;
	}
	return done === 0 ? text : out + text.slice(done);
}

function maskAuthority(scheme: string, authority: string): string {
	const at = authority.lastIndexOf('@');
	if (at === -1) return scheme + authority;
	const userinfo = authority.slice(0, at);
	const colon = userinfo.indexOf(':');
	if (colon === -1 || colon === userinfo.length - 1) return scheme + authority;
	return `${scheme}${userinfo.slice(0, colon + 1)}***${authority.slice(at)}`;
}

export function mask(text: string): string {
	// the regexes cost as much as the rest of `opsdeck keys` on a long batch of key names: only run them when a URL or a parameter can be there
	let out = text.includes('://') ? maskUrlAuthorities(text) : text;
	if (/pass|pwd/i.test(out)) out = out.replace(queryPassword, (_m, before: string, name: string, value: string) => (value ? `${before}${name}=***` : `${before}${name}=`));
	// longest first: a secret inside a longer one must not leave the longer one's tail behind
	sorted ??= [...secrets].sort((a, b) => b.length - a.length);
	for (const secret of sorted) {
		if (out.includes(secret)) out = out.split(secret).join('***');
	}
	return out;
}

/**
 * False when mask(text) is text for sure: no URL, no password parameter, no registered secret in
 * it (mask's own tests). A writer of many short names (`opsdeck keys`) masks only those it must.
 */
export function mayMask(text: string): boolean {
	if (text.includes('://') || /pass|pwd/i.test(text)) return true;
	for (const secret of secrets) if (text.includes(secret)) return true;
	return false;
}

/** The first character of every registered secret (in each form mask looks for). */
export function secretFirstChars(): string[] {
	return [...new Set([...secrets].map(secret => secret[0]!))];
}

/** An error, any kind, as one masked line. */
export function errorMessage(error: unknown): string {
	let message: string;
	if (error instanceof Error) {
		// Node's own file and network errors ("ENOENT: no such file or directory, open '/x'",
		// "connect ECONNREFUSED 127.0.0.1:6399") as a sentence
		const code = (error as NodeJS.ErrnoException).code;
		const sentence = code && error.message.startsWith(`${code}:`) ? fsErrorSentence(error) : socketErrorSentence(error) ?? netErrorSentence(error);
		message = sentence ?? (error.message || code || error.name);
		// AggregateError from net (IPv4 + IPv6 attempts) carries the useful text in its parts.
		if (!error.message && error instanceof AggregateError && error.errors.length > 0) {
			message = errorMessage(error.errors[0]);
		}
	} else {
		message = String(error);
	}
	return capLine(mask(friendly(message.split('\n')[0]!.trim())));
}

/** the most of a server's words one error line carries */
export const maxLineChars = 1000;

/**
 * A line of at most maxLineChars characters and a mark of how much was left out (a server can
 * answer with a megabyte of error text: an S3 error body, a Redis error). Cut after masking, so no
 * password is cut to a part the mask no longer knows.
 */
export function capLine(line: string): string {
	if (line.length <= maxLineChars) return line;
	// (not between the two halves of a surrogate pair)
	const cut = /[\uD800-\uDBFF]/.test(line[maxLineChars - 1]!) ? maxLineChars - 1 : maxLineChars;
	return `${line.slice(0, cut)}… [${(line.length - cut).toLocaleString('en-US')} more characters]`;
}

// ioredis' words for "the connection went away" describe its options, not what happened.
function friendly(message: string): string {
	if (/^Reached the max retries per request limit/.test(message)) return 'connection lost (the command was not sent again)';
	if (/^Stream isn't writeable and enableOfflineQueue options is false/.test(message)) return 'connection lost';
	if (/^Connection is closed\.?$/.test(message)) return 'connection closed';
	return message;
}
