// An app under PM2: `pm2 jlist` for its processes (pid, status, restart count, start time, log
// files); restart.ts runs `pm2 restart NAME`. PM2_HOME (default ~/.pm2) must be the app's: run
// opsdeck as the same user, or set PM2_HOME. jlist carries each process's whole environment
// (passwords included): only the fields below are ever read from it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {runCommand} from '../system/command.js';
import {isRunning, readProc} from './proc.js';

export type Pm2Process = {
	readonly name: string;
	readonly pmId: number;
	/** 0 when not running */
	readonly pid: number;
	/** online, stopped, stopping, errored, launching, one-launch-status */
	readonly status: string;
	readonly restarts: number;
	readonly unstableRestarts: number;
	/** epoch ms of the last (re)start */
	readonly startedAt: number | null;
	readonly outLog: string | null;
	readonly errLog: string | null;
};

export function pm2Home(env: NodeJS.ProcessEnv = process.env): string {
	return env.PM2_HOME || path.join(env.HOME || os.homedir(), '.pm2');
}

/**
 * Whether PM2's daemon runs for this PM2_HOME: asked before any `pm2` command, because one would
 * start a daemon when there is none (a status check must not).
 */
export async function pm2DaemonRuns(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
	const text = await fs.readFile(path.join(pm2Home(env), 'pm2.pid'), 'utf8').catch(() => '');
	const pid = Number(text.trim());
	return Number.isInteger(pid) && pid > 0 && isRunning(await readProc(pid));
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** `pm2 jlist`'s JSON (PM2 may print a warning line before it). */
export function parseJlist(stdout: string): Pm2Process[] {
	const start = stdout.indexOf('[');
	const end = stdout.lastIndexOf(']');
	if (start === -1 || end < start) throw new Error('pm2 jlist printed no process list');
	const list = JSON.parse(stdout.slice(start, end + 1)) as unknown;
	if (!Array.isArray(list)) throw new Error('pm2 jlist printed no process list');
	return list.map(item => {
		const p = (item ?? {}) as Record<string, unknown>;
		const e = (p.pm2_env ?? {}) as Record<string, unknown>;
		return {
			name: str(p.name) ?? str(e.name) ?? '',
			pmId: num(p.pm_id) ?? -1,
			pid: num(p.pid) ?? 0,
			status: str(e.status) ?? 'unknown',
			restarts: num(e.restart_time) ?? 0,
			unstableRestarts: num(e.unstable_restarts) ?? 0,
			startedAt: num(e.pm_uptime),
			outLog: str(e.pm_out_log_path),
			errLog: str(e.pm_err_log_path),
		};
	});
}

// pm2 colours its messages
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\[PM2\](\[ERROR\])?\s*/gm, '').trim();

/** A failed pm2 command as one line: its own words. */
export function pm2Error(what: string, result: {code: number | null; stdout: string; stderr: string}): Error {
	const said = plain(result.stderr).split('\n').find(Boolean) ?? plain(result.stdout).split('\n').find(Boolean);
	return new Error(`pm2 ${what} failed${result.code === null ? ' (timed out)' : ` (exit ${result.code})`}${said ? `: ${said}` : ''}`);
}

/** The processes named `name` (several for cluster mode), or [] when PM2 has none by that name. */
export async function pm2Processes(name: string, env: NodeJS.ProcessEnv = process.env): Promise<Pm2Process[]> {
	const result = await runCommand('pm2', ['jlist'], {env, timeoutMs: 15_000});
	if (result.code !== 0) throw pm2Error('jlist', result);
	return parseJlist(result.stdout).filter(p => p.name === name);
}
