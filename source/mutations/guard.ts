// The guard every mutation runs through (the ops call runMutation around their own work, so the
// console and the commands cannot reach a destructive action without it):
//   - read-only mode refuses it, and the refusal is audited (ReadOnlyError);
//   - a `started` line is written before it acts (AuditError, and nothing runs, when it cannot be),
//     its result line after, so a kill in the middle leaves "started, no result";
//   - a refusal found while it runs (holders found, demo data there) is audited as `refused`.
// The confirmation comes before: the commands' y/N or --yes (commands/shared.ts), the console's
// dialog (console/components/confirm-dialog.tsx), both asking for the registry entry.
import type {Config} from '../config/config.js';
import {errorMessage} from '../text/mask.js';
import {sanitize} from '../text/sanitize.js';
import {appendAudit, auditRefusal, baseEntry, reasonOf, stderrWarn, writeAudit, type AuditResult} from './audit.js';
import type {Mutation, MutationRequest} from './registry.js';

/** Read-only mode refused it (audited before it is thrown). */
export class ReadOnlyError extends Error {
	constructor(readonly action: Mutation) {
		super(`read-only mode: ${action} refused (nothing was changed)`);
		this.name = 'ReadOnlyError';
	}
}

/** The started line could not be written: the mutation did not run (exit 2 in commands). */
export class AuditError extends Error {
	constructor(readonly file: string, reason: string) {
		super(`cannot write the audit log ${sanitize(file)} (${reason}): nothing was done; set --audit-log or OPSDECK_AUDIT_LOG`);
		this.name = 'AuditError';
	}
}

/**
 * An op's refusal found while it runs (holders found, demo data already there): audited as
 * `refused`, not `failed`. The ops' own refusal errors extend it.
 */
export class MutationRefusedError extends Error {}

/** Read-only mode: the refusal is audited and thrown (ReadOnlyError); otherwise nothing. */
export function refuseReadOnly(config: Pick<Config, 'readOnly' | 'auditLog'>, request: MutationRequest): void {
	if (!config.readOnly) return;
	auditRefusal(config, request, 'read-only mode');
	throw new ReadOnlyError(request.action);
}

/**
 * Runs a mutation through the guard: refused in read-only mode (ReadOnlyError); otherwise a
 * `started` line (AuditError and nothing runs when it cannot be written), the run, and its result
 * line. The caller has already had it confirmed. `detail` words what the run found when `ok`
 * alone would mislead (a key already gone: nothing was deleted).
 */
export async function runMutation<T>(config: Pick<Config, 'readOnly' | 'auditLog'>, request: MutationRequest, fn: () => Promise<T>, detail?: (result: T) => string | undefined): Promise<T> {
	refuseReadOnly(config, request);
	// node:crypto loaded here, when a mutation runs, not by every command that imports the guard (P9)
	const base = {...baseEntry(request), id: process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')};
	try {
		writeAudit(config, {...base, result: 'started', durationMs: 0});
	} catch (error) {
		throw new AuditError(config.auditLog, reasonOf(error));
	}
	const started = performance.now();
	const finish = (result: AuditResult, error?: unknown, note?: string) => {
		const ok = appendAudit(config, {...base, result, durationMs: Math.round(performance.now() - started), ...(error === undefined ? {} : {error: errorMessage(error)}), ...(note === undefined ? {} : {detail: note})});
		// it ran (or failed) and cannot be undone: the record is what is missing, so say so
		if (!ok) stderrWarn(sanitize(`cannot write the result of ${request.action} to the audit log ${config.auditLog}: it shows as started only`));
	};
	try {
		const result = await fn();
		finish('ok', undefined, detail?.(result));
		return result;
	} catch (error) {
		finish(error instanceof MutationRefusedError ? 'refused' : 'failed', error);
		throw error;
	}
}
