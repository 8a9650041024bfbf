// The dead-man's switch (healthchecks.io style): BACKUP_HEARTBEAT_URL gets `/start` before a backup,
// the URL itself after a backup and its uploads succeeded, `/fail` (the exit status and the reason
// in the body) after one failed. When no ping arrives, the watcher raises the alarm: a box that died
// cannot say so itself. A ping that fails never fails the backup: it is reported and that is all.
import crypto from 'node:crypto';
import type {Config} from '../../config/config.js';
import {errorMessage, mask} from '../../text/mask.js';
import {fetchTarget} from '../../system/url-credentials.js';

export type HeartbeatEvent = 'start' | 'success' | 'fail';

export type PingResult = {
	readonly event: HeartbeatEvent;
	/** the URL pinged, passwords masked */
	readonly url: string;
	readonly ok: boolean;
	readonly status?: number;
	readonly error?: string;
};

const timeoutMs = 10_000;

/** The URL for an event: `/start` and `/fail` added to the path (a query string kept), `rid` pairs start and end. */
export function heartbeatUrl(base: string, event: HeartbeatEvent, runId?: string): string {
	const url = new URL(base);
	if (event !== 'success') url.pathname = `${url.pathname.replace(/\/+$/, '')}/${event}`;
	if (runId) url.searchParams.set('rid', runId);
	return url.toString();
}

/** A run id for one backup job: its /start and its end carry the same one. */
export function newRunId(): string {
	return crypto.randomUUID();
}

/** Pings the heartbeat URL; undefined when none is set. Never throws. */
export async function heartbeat(config: Pick<Config, 'backupHeartbeatUrl'>, event: HeartbeatEvent, detail: {readonly runId?: string; readonly exitStatus?: number; readonly message?: string} = {}): Promise<PingResult | undefined> {
	if (!config.backupHeartbeatUrl) return undefined;
	const url = heartbeatUrl(config.backupHeartbeatUrl, event, detail.runId);
	const body = event === 'fail' ? `exit status ${detail.exitStatus ?? 1}: ${mask(detail.message ?? 'failed')}` : mask(detail.message ?? '');
	try {
		// (user:password in the URL as a Basic header: fetch refuses a URL with credentials)
		const request = fetchTarget(url);
		const response = await fetch(request.url, {method: 'POST', body, headers: {'content-type': 'text/plain; charset=utf-8', 'user-agent': 'opsdeck', ...request.headers}, signal: AbortSignal.timeout(timeoutMs)});
		await response.arrayBuffer().catch(() => undefined);
		const ok = response.status >= 200 && response.status < 300;
		return {event, url: mask(url), ok, status: response.status, ...(ok ? {} : {error: `HTTP ${response.status}`})};
	} catch (error) {
		const e = error as Error & {cause?: unknown};
		return {event, url: mask(url), ok: false, error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : errorMessage(e.cause ?? e)};
	}
}

/** "heartbeat /fail not delivered (…)": one line for a ping that did not go through. */
export function pingText(result: PingResult): string {
	return `heartbeat ${result.event === 'success' ? 'ping' : `/${result.event}`} to ${result.url} not delivered: ${result.error ?? 'failed'} (the backup itself is unaffected)`;
}
