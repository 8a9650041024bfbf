// Why a network connection failed, in the words an operator reads (issue 16, point 7; defect 14):
// the one map from a network errno to a sentence, beside fs-reason.ts's map for files. Before it the
// console header, the cards, the Monitor and `opsdeck status` showed Node's own text,
// "connect ECONNREFUSED 127.0.0.1:6399". errorMessage (mask.ts) uses it for every error it shows.
// Pure words: nothing here touches the network.
import {errorCode} from './fs-reason.js';

type NetError = {readonly address?: unknown; readonly port?: unknown; readonly hostname?: unknown};

/** "127.0.0.1:6379", "[::1]:5432" (an IPv6 address in brackets), or the host alone without a port. */
export function hostPort(host: string, port?: number | string): string {
	const shown = host.includes(':') ? `[${host}]` : host;
	return port === undefined || port === '' ? shown : `${shown}:${port}`;
}

/** "127.0.0.1:6379", "[::1]:5432", "db.internal", or undefined when the error names no peer. */
function peer(error: unknown): string | undefined {
	const {address, port, hostname} = (error ?? {}) as NetError;
	const host = typeof address === 'string' && address !== '' ? address : typeof hostname === 'string' && hostname !== '' ? hostname : undefined;
	if (host === undefined) return undefined;
	return hostPort(host, typeof port === 'number' || typeof port === 'string' ? port : undefined);
}

const withPeer: Readonly<Partial<Record<string, (at: string) => string>>> = {
	ECONNREFUSED: at => `nothing is listening at ${at} (connection refused)`,
	ETIMEDOUT: at => `no answer from ${at} (timed out)`,
	EHOSTUNREACH: at => `no route to ${at} (host unreachable)`,
	ENETUNREACH: at => `no route to ${at} (network unreachable)`,
	EHOSTDOWN: at => `${at} is down (host down)`,
	ENOTFOUND: at => `cannot resolve ${at.replace(/:\d+$/, '')}`,
	EAI_AGAIN: at => `cannot resolve ${at.replace(/:\d+$/, '')} (the name server did not answer)`,
	EADDRNOTAVAIL: at => `cannot connect to ${at} (address not available)`,
};

// the connection was there and went away: the peer adds nothing the operator needs
const withoutPeer: Readonly<Partial<Record<string, string>>> = {
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was closed by the other side (broken pipe)',
	ECONNABORTED: 'the connection was aborted',
};

/**
 * A network error from Node (`connect ECONNREFUSED 127.0.0.1:6399`, `getaddrinfo ENOTFOUND db`)
 * as one sentence: "nothing is listening at 127.0.0.1:6399 (connection refused)". undefined when
 * the error is not a network error we know (or names no peer where the sentence needs one).
 */
export function netErrorSentence(error: unknown): string | undefined {
	const code = errorCode(error);
	const fixed = withoutPeer[code];
	if (fixed !== undefined) return fixed;
	const sentence = withPeer[code];
	const at = peer(error);
	return sentence && at ? sentence(at) : undefined;
}
