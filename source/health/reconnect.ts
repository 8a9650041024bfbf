// Reconnect PostgreSQL or Redis on the operator's request, and the one-line result both the
// console and `opsdeck reconnect` show.
import type {Backends, ReconnectResult} from '../backends/index.js';
import {formatDuration} from '../text/format.js';

export type ReconnectTarget = 'postgres' | 'redis';

export async function reconnectBackend(backends: Pick<Backends, 'postgres' | 'redis'>, which: ReconnectTarget): Promise<ReconnectResult> {
	return which === 'postgres' ? backends.postgres.reconnect() : backends.redis.reconnect();
}

/** "reconnected in 84 ms" / "still down: nothing is listening at 127.0.0.1:6379 (connection refused), next try in 2 s" */
export function reconnectMessage(result: ReconnectResult, fallbackRetryMs?: number): string {
	if (result.ok) return `reconnected in ${Math.round(result.ms)} ms`;
	const next = result.nextRetryMs ?? fallbackRetryMs;
	const when = next === undefined ? '' : `, next try in ${next < 1000 ? `${Math.round(next)} ms` : formatDuration(next).replace(/(\d)s$/, '$1 s')}`;
	return `still down: ${shortError(result.error)}${when}`;
}

/** "connect ECONNREFUSED 127.0.0.1:6379" → "ECONNREFUSED"; other messages unchanged. */
export function shortError(message: string): string {
	const code = /\b(E[A-Z]{3,}|ETIMEDOUT)\b/.exec(message);
	return code ? code[1]! : message;
}
