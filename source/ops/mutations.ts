// One guard for every mutation. Read-only mode refuses them here, in the console and in the
// commands alike; every mutation that runs, fails or is refused is appended to the audit log.
// A new mutation is added to `mutations` and goes through runMutation(): a test enumerates them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Config} from '../config.js';
import {errorMessage, mask} from '../text/mask.js';
import {outJson} from '../text/out.js';

export const mutations = ['flush', 'delete-key', 'clear-chat', 'restore', 'delete-backup', 'prune'] as const;
export type Mutation = (typeof mutations)[number];

export class ReadOnlyError extends Error {
	constructor(readonly action: Mutation) {
		super(`read-only mode: ${action} refused (nothing was changed)`);
		this.name = 'ReadOnlyError';
	}
}

export type AuditEntry = {
	readonly time: string;
	readonly user: string;
	readonly host: string;
	readonly action: Mutation;
	readonly target: string;
	readonly result: 'ok' | 'failed' | 'refused';
	readonly durationMs: number;
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

/** Appends one JSON line. A log that cannot be written never stops the operator (it is reported). */
export function appendAudit(config: Pick<Config, 'auditLog'>, entry: AuditEntry): boolean {
	try {
		fs.mkdirSync(path.dirname(config.auditLog), {recursive: true, mode: 0o700});
		// through the one writer: masked, and JSON with nothing a terminal acts on (`tail -f` is safe)
		fs.appendFileSync(config.auditLog, outJson(entry) + '\n', {mode: 0o600});
		return true;
	} catch {
		return false;
	}
}

export function readAudit(config: Pick<Config, 'auditLog'>, limit = 50): AuditEntry[] {
	let text: string;
	try {
		text = fs.readFileSync(config.auditLog, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const entries: AuditEntry[] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			entries.push(JSON.parse(line) as AuditEntry);
		} catch {
			// a torn last line (crash mid-write) is skipped, not fatal
		}
	}
	return entries.slice(-limit);
}

export type MutationRequest = {
	readonly action: Mutation;
	/** what it acts on, e.g. "redis://127.0.0.1:6379/0 (3,450 keys)"; masked before it is logged */
	readonly target: string;
};

/**
 * Runs a mutation through the guard: refused in read-only mode (ReadOnlyError), otherwise run,
 * timed and audited. The caller has already had it confirmed.
 */
export async function runMutation<T>(config: Pick<Config, 'readOnly' | 'auditLog'>, request: MutationRequest, fn: () => Promise<T>): Promise<T> {
	const base = {time: new Date().toISOString(), user: osUser(), host: os.hostname(), action: request.action, target: mask(request.target)};
	if (config.readOnly) {
		appendAudit(config, {...base, result: 'refused', durationMs: 0, error: 'read-only mode'});
		throw new ReadOnlyError(request.action);
	}
	const started = performance.now();
	try {
		const result = await fn();
		appendAudit(config, {...base, result: 'ok', durationMs: Math.round(performance.now() - started)});
		return result;
	} catch (error) {
		appendAudit(config, {...base, result: 'failed', durationMs: Math.round(performance.now() - started), error: errorMessage(error)});
		throw error;
	}
}
