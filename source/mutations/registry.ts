// One registry of mutations drives the guard, the confirmation and the audit, for the console and
// the commands alike. Read-only mode refuses every entry; the console's dialog asks for the entry's
// word, the commands' y/N (or --yes) names it; every attempt is on record in the audit log:
//   - a mutation that runs writes a `started` line before it acts and its result after, so a kill
//     in the middle leaves "started, no result" (and one that cannot write `started` does not run);
//   - a refusal (read-only, no --yes, answered no, wrong word, Esc, timeout, holders found) is one
//     `refused` line, written through auditRefusal(); a refusal that cannot be written is still a
//     refusal, with a warning.
// A new mutation is added to `registry` and goes through runMutation(): a test walks the registry.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {EnsureDirError, ensureDirSync} from '../system/ensure-dir.js';
import {pidAlive} from '../system/pid-alive.js';
import {fsReason} from '../text/fs-reason.js';
import {errorMessage, mask} from '../text/mask.js';
import {sanitize, type Safe} from '../text/sanitize.js';
import {outJson} from '../text/out.js';

export type MutationSpec = {
	/** what it does, for messages and help: "flush the Redis cache" */
	readonly verb: string;
	/** the word the console's dialog asks the operator to type */
	readonly word: string;
	/** every mutation is refused in read-only mode; spelled out so a new entry says so too */
	readonly readOnly: 'refused';
};

export const registry = {
	flush: {verb: 'flush the Redis cache', word: 'flush', readOnly: 'refused'},
	'delete-key': {verb: 'delete a Redis key', word: 'delete', readOnly: 'refused'},
	'clear-chat': {verb: "delete a chat's cache keys", word: 'clear', readOnly: 'refused'},
	restore: {verb: 'restore a backup over the live SQLite file', word: 'restore', readOnly: 'refused'},
	'delete-backup': {verb: 'delete a backup', word: 'delete', readOnly: 'refused'},
	prune: {verb: 'delete the backups beyond the retention', word: 'prune', readOnly: 'refused'},
	'sqlite-vacuum': {verb: 'rewrite the SQLite file (VACUUM)', word: 'vacuum', readOnly: 'refused'},
	'sqlite-analyze': {verb: 'write the SQLite statistics (ANALYZE)', word: 'analyze', readOnly: 'refused'},
	// seeds empty stores; replaces the demo's own data only with --force (its confirmation)
	demo: {verb: 'seed the demo data', word: 'seed', readOnly: 'refused'},
} as const satisfies Record<string, MutationSpec>;

export type Mutation = keyof typeof registry;
export const mutations = Object.keys(registry) as Mutation[];

export function mutationSpec(action: Mutation): MutationSpec {
	return registry[action];
}

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

export type AuditResult = 'started' | 'ok' | 'failed' | 'refused';

export type AuditEntry = {
	readonly time: string;
	readonly user: string;
	readonly host: string;
	readonly action: Mutation;
	readonly target: string;
	readonly result: AuditResult;
	readonly durationMs: number;
	/** pairs a `started` line with its result line */
	readonly id?: string;
	readonly pid?: number;
	readonly detail?: string;
	readonly error?: string;
};

export type MutationRequest = {
	readonly action: Mutation;
	/** what it acts on, e.g. "redis://127.0.0.1:6379/0 (3,450 keys)"; masked before it is logged */
	readonly target: string;
};

function osUser(): string {
	try {
		return os.userInfo().username;
	} catch {
		return process.env.USER ?? 'unknown';
	}
}

/** Why a file cannot be written, in words (EEXIST from mkdir means a parent is a file). */
function reasonOf(error: unknown): string {
	// ensureDirSync names the part of the path that is a file; the audit line names the log
	if (error instanceof EnsureDirError && / is not a directory$/.test(error.message)) return 'a parent of it is not a folder';
	if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'a parent of it is not a folder';
	// the one errno map (text/fs-reason.ts)
	return fsReason(error) ?? errorMessage(error);
}

function write(config: Pick<Config, 'auditLog'>, entry: AuditEntry): void {
	// the nearest existing parent checked first: a log under /proc spun mkdir for ever (issue 13, case 15)
	ensureDirSync(path.dirname(config.auditLog), 0o700);
	// appendFileSync: the line is in the kernel before the mutation starts, so a SIGKILL of this
	// process (not of the machine) cannot lose it
	// through the one writer: masked, and JSON with nothing a terminal acts on (`tail -f` is safe)
	fs.appendFileSync(config.auditLog, outJson(entry) + '\n', {mode: 0o600});
}

/** Appends one JSON line; false when it cannot be written (the callers decide what that means). */
export function appendAudit(config: Pick<Config, 'auditLog'>, entry: AuditEntry): boolean {
	try {
		write(config, entry);
		return true;
	} catch {
		return false;
	}
}

function baseEntry(request: MutationRequest) {
	return {time: new Date().toISOString(), user: osUser(), host: os.hostname(), pid: process.pid, action: request.action, target: mask(request.target)};
}

/** Where an audit warning goes: stderr in commands; the console passes its own (a flash). */
export type AuditWarn = (text: Safe) => void;

// console.error, not process.stderr: the console runs Ink with patchConsole, which shows it above
// the frame instead of tearing the screen
const stderrWarn: AuditWarn = text => console.error(`opsdeck: warning: ${text}`);

/**
 * Records a refusal (read-only, no --yes, answered no, wrong word, Esc, timeout, holders found).
 * The refusal stands whatever happens here; when it cannot be written, says so through `warn`
 * and returns the warning.
 */
export function auditRefusal(config: Pick<Config, 'auditLog'>, request: MutationRequest, reason: string, warn: AuditWarn = stderrWarn): string | undefined {
	try {
		write(config, {...baseEntry(request), result: 'refused', durationMs: 0, error: mask(reason)});
		return undefined;
	} catch (error) {
		const text = sanitize(`cannot write the audit log ${config.auditLog} (${reasonOf(error)}): this refusal of ${request.action} is not on record`);
		warn(text);
		return text;
	}
}

/** Read-only mode: the refusal is audited and thrown (ReadOnlyError); otherwise nothing. */
export function refuseReadOnly(config: Pick<Config, 'readOnly' | 'auditLog'>, request: MutationRequest): void {
	if (!config.readOnly) return;
	auditRefusal(config, request, 'read-only mode');
	throw new ReadOnlyError(request.action);
}

/**
 * Runs a mutation through the guard: refused in read-only mode (ReadOnlyError); otherwise a
 * `started` line (AuditError and nothing runs when it cannot be written), the run, and its result
 * line. The caller has already had it confirmed.
 */
export async function runMutation<T>(config: Pick<Config, 'readOnly' | 'auditLog'>, request: MutationRequest, fn: () => Promise<T>): Promise<T> {
	refuseReadOnly(config, request);
	const base = {...baseEntry(request), id: crypto.randomBytes(6).toString('hex')};
	try {
		write(config, {...base, result: 'started', durationMs: 0});
	} catch (error) {
		throw new AuditError(config.auditLog, reasonOf(error));
	}
	const started = performance.now();
	const finish = (result: AuditResult, error?: unknown) => {
		const ok = appendAudit(config, {...base, result, durationMs: Math.round(performance.now() - started), ...(error === undefined ? {} : {error: errorMessage(error)})});
		// it ran (or failed) and cannot be undone: the record is what is missing, so say so
		if (!ok) stderrWarn(sanitize(`cannot write the result of ${request.action} to the audit log ${config.auditLog}: it shows as started only`));
	};
	try {
		const result = await fn();
		finish('ok');
		return result;
	} catch (error) {
		finish(error instanceof MutationRefusedError ? 'refused' : 'failed', error);
		throw error;
	}
}

/**
 * The log, newest last: a `started` line and its result line are one entry (the result); a
 * `started` line without a result stays as `started` (killed, or still running).
 */
export function readAudit(config: Pick<Config, 'auditLog'>, limit = 50): AuditEntry[] {
	let text: string;
	try {
		text = fs.readFileSync(config.auditLog, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const entries: (AuditEntry | undefined)[] = [];
	const open = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		let entry: AuditEntry;
		try {
			entry = JSON.parse(line) as AuditEntry;
		} catch {
			// a torn last line (crash mid-write) is skipped, not fatal
			continue;
		}
		if (typeof entry !== 'object' || entry === null) continue;
		if (entry.id !== undefined && entry.result === 'started') {
			open.set(entry.id, entries.length);
		} else if (entry.id !== undefined && open.has(entry.id)) {
			entries[open.get(entry.id)!] = undefined;
			open.delete(entry.id);
		}
		entries.push(entry);
	}
	return entries.filter((e): e is AuditEntry => e !== undefined).slice(-limit);
}

/** A `started` entry without a result: its process still runs (same host), or it was killed. */
export function unfinishedNote(entry: AuditEntry): string {
	if (entry.host === os.hostname() && entry.pid !== undefined) {
		if (pidAlive(entry.pid)) return `started, no result yet — pid ${entry.pid} still runs`;
	}
	return 'started, no result — killed?';
}
