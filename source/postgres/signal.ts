// Cancel a session's query (pg_cancel_backend: the query fails with "canceling statement due to user
// request", the session stays) or terminate the session (pg_terminate_backend: the connection is
// closed, its open transaction rolled back). Both are mutations of the registry: refused in
// read-only mode, confirmed (the dialog's word is the pid), audited with the pid, the user and the
// query (masked, on one line) and the result.
// The signal goes to the session that was shown, not to whatever holds the pid now: the statement
// that signals checks the backend's start time (a pid is reused) and, for a cancel, the query's
// start time (the query shown, not the next one). When they no longer match, nothing is sent.
import type {PostgresBackend} from '../backends/postgres.js';
import type {Config} from '../config/config.js';
import {MutationRefusedError, runMutation, type MutationRequest} from '../mutations/registry.js';
import {formatDuration} from '../text/format.js';
import {oneLine} from './query-text.js';
import {sessionDuration, type Session} from './sessions.js';

export type SignalKind = 'cancel' | 'terminate';

const actions = {cancel: 'pg-cancel', terminate: 'pg-terminate'} as const;

/** The word the console's dialog asks for: the pid itself, so the operator reads which session it is. */
export function signalWord(pid: number): string {
	return String(pid);
}

/** "pid 4242 (app@shop, psql, active 12s): select pg_sleep(60)": what the audit log records. */
export function sessionTarget(pid: number, session?: Session): string {
	if (!session) return `pid ${pid}`;
	if (session.hidden) return `pid ${pid} (${session.user ?? '?'}@${session.database ?? '?'}, query hidden)`;
	const duration = sessionDuration(session);
	const app = session.application ? `, ${session.application}` : '';
	const state = `${session.state ?? 'unknown'}${duration === null ? '' : ` ${formatDuration(duration)}`}`;
	return `pid ${pid} (${session.user ?? '?'}@${session.database ?? '?'}${app}, ${state})${session.query ? `: ${oneLine(session.query)}` : ''}`;
}

export function signalRequest(kind: SignalKind, pid: number, session?: Session): MutationRequest {
	return {action: actions[kind], target: sessionTarget(pid, session)};
}

/** What will happen, for the y/N question and the dialog. */
export function signalQuestion(kind: SignalKind, session: Session): string {
	// flush's form: what it acts on, then the verb (a refusal without a terminal reads "… Cancel its query … needs --yes")
	return kind === 'cancel'
		? `${sessionTarget(session.pid, session)}. Cancel its query (the session stays open)?`
		: `${sessionTarget(session.pid, session)}. Terminate the whole session (its open transaction is rolled back)?`;
}

/** Why this signal cannot do what it says, before anything is asked; undefined when it can. */
export function signalProblem(kind: SignalKind, session: Session): string | undefined {
	// a cancel reaches only a running query: an idle transaction ignores it
	if (kind === 'cancel' && session.state !== null && session.state !== 'active' && session.state !== 'fastpath function call') {
		return `pid ${session.pid} runs no query (${session.state}): a cancel does nothing there; terminate ends the session`;
	}
	return undefined;
}

/** The session ended, or is no longer the one shown: nothing was sent (audited as refused). */
export class SessionChangedError extends MutationRefusedError {}

export type SignalResult = {readonly pid: number; readonly action: SignalKind; readonly signalled: true};

/**
 * Sends the signal through the guard (read-only refusal, audit); the caller has had it confirmed.
 * Throws SessionChangedError when the session is gone or moved on, ReadOnlyError, AuditError, or
 * the server's error (42501 without the right to signal it).
 */
export async function signalSession(config: Pick<Config, 'readOnly' | 'auditLog'>, postgres: PostgresBackend, kind: SignalKind, session: Session): Promise<SignalResult> {
	return runMutation(config, signalRequest(kind, session.pid, session), async () => {
		const problem = signalProblem(kind, session);
		if (problem) throw new MutationRefusedError(`${problem}; nothing was done`);
		const fn = kind === 'cancel' ? 'pg_cancel_backend' : 'pg_terminate_backend';
		const sameQuery = kind === 'cancel' ? 'and a.query_start::text is not distinct from $3' : '';
		const params = kind === 'cancel' ? [session.pid, session.backendStart, session.queryStart] : [session.pid, session.backendStart];
		const rows = await postgres.query<{ok: boolean}>(
			`select ${fn}(a.pid) as ok from pg_stat_activity a where a.pid = $1 and a.pid <> pg_backend_pid() and a.backend_start::text is not distinct from $2 ${sameQuery}`,
			params,
		);
		if (rows.length === 0) {
			const what = kind === 'cancel' ? 'its query ended (or another one started)' : 'the session ended';
			throw new SessionChangedError(`pid ${session.pid}: ${what} before the ${kind}; nothing was done`);
		}
		// false: the server could not send it (the process went away just then)
		if (!rows[0]!.ok) throw new Error(`${fn}(${session.pid}) did not reach the session`);
		return {pid: session.pid, action: kind, signalled: true};
	});
}
