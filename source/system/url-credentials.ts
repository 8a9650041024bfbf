// fetch (undici) refuses a URL with user:password in it ("Request cannot be constructed from a URL
// that includes credentials"), where curl and browsers send them as Basic auth. Every URL opsdeck
// fetches (the heartbeat, the alert webhook, the app's health URL) goes through here.

function decode(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}

/**
 * What fetch is given: the URL without its user:password and those, percent-decoded as a browser
 * does, as an `Authorization: Basic` header ({} when the URL has none).
 */
export function fetchTarget(url: string): {readonly url: string; readonly headers: Record<string, string>} {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		// (fetch says what is wrong with it)
		return {url, headers: {}};
	}
	if (!parsed.username && !parsed.password) return {url, headers: {}};
	const credentials = `${decode(parsed.username)}:${decode(parsed.password)}`;
	parsed.username = '';
	parsed.password = '';
	return {url: parsed.toString(), headers: {authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`}};
}
