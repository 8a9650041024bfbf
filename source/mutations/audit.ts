// The audit log: one JSON line per attempt at a mutation, appended (mode 0600) before anything else
// happens, through the one writer (masked, nothing a terminal acts on: `tail -f` is safe).
//   - a mutation that runs has a `started` line and, after it, its result line (guard.ts);
//   - a refusal (read-only, no --yes, answered no, wrong word, Esc, timeout, holders found) is one
//     `refused` line, written by auditRefusal(); one that cannot be written is still a refusal,
//     with a warning.
// readAudit() pairs them back into one entry each for `opsdeck audit`.
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
import type {Mutation, MutationRequest} from './registry.js';

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

function osUser(): string {
	try {
		return os.userInfo().username;
	} catch {
		return process.env.USER ?? 'unknown';
	}
}

/** Why a file cannot be written, in words (EEXIST from mkdir means a parent is a file). */
export function reasonOf(error: unknown): string {
	// ensureDirSync names the part of the path that is a file; the audit line names the log
	if (error instanceof EnsureDirError && / is not a directory$/.test(error.message)) return 'a parent of it is not a folder';
	if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'a parent of it is not a folder';
	// the one errno map (text/fs-reason.ts)
	return fsReason(error) ?? errorMessage(error);
}

/** Appends one line; throws when it cannot (the callers decide what that means). */
export function writeAudit(config: Pick<Config, 'auditLog'>, entry: AuditEntry): void {
	// the nearest existing parent checked first: a log under /proc spun mkdir for ever (issue 13, case 15)
	ensureDirSync(path.dirname(config.auditLog), 0o700);
	// appendFileSync: the line is in the kernel before the mutation starts, so a SIGKILL of this
	// process (not of the machine) cannot lose it
	fs.appendFileSync(config.auditLog, outJson(entry) + '\n', {mode: 0o600});
}

/** Appends one JSON line; false when it cannot be written (the callers decide what that means). */
export function appendAudit(config: Pick<Config, 'auditLog'>, entry: AuditEntry): boolean {
	try {
		writeAudit(config, entry);
		return true;
	} catch {
		return false;
	}
}

/** The fields every line of one request shares: who, where, what (the target masked). */
export function baseEntry(request: MutationRequest) {
	return {time: new Date().toISOString(), user: osUser(), host: os.hostname(), pid: process.pid, action: request.action, target: mask(request.target)};
}

/** Where an audit warning goes: stderr in commands; the console passes its own (a flash). */
export type AuditWarn = (text: Safe) => void;

// console.error, not process.stderr: the console runs Ink with patchConsole, which shows it above
// the frame instead of tearing the screen
export const stderrWarn: AuditWarn = text => console.error(`opsdeck: warning: ${text}`);

/**
 * Records a refusal (read-only, no --yes, answered no, wrong word, Esc, timeout, holders found).
 * The refusal stands whatever happens here; when it cannot be written, says so through `warn`
 * and returns the warning.
 */
export function auditRefusal(config: Pick<Config, 'auditLog'>, request: MutationRequest, reason: string, warn: AuditWarn = stderrWarn): string | undefined {
	try {
		writeAudit(config, {...baseEntry(request), result: 'refused', durationMs: 0, error: mask(reason)});
		return undefined;
	} catch (error) {
		const text = sanitize(`cannot write the audit log ${config.auditLog} (${reasonOf(error)}): this refusal of ${request.action} is not on record`);
		warn(text);
		return text;
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
