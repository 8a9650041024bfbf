// An app under systemd: `systemctl show UNIT -p …` (Key=Value lines) for its main pid, state,
// automatic restart count (NRestarts counts the restarts of Restart=, not `systemctl restart`);
// restart.ts runs `systemctl restart UNIT` (root, or polkit's leave). systemd is not PID 1 on the test machines:
// the parsing is tested against output in systemd 252's format (test/app-process/fixtures).
import {runCommand} from '../system/command.js';

export const systemdProperties = ['Id', 'LoadState', 'ActiveState', 'SubState', 'MainPID', 'NRestarts', 'ExecMainStartTimestamp', 'ExecMainStatus', 'Result', 'FragmentPath'] as const;

export type SystemdUnit = {
	readonly id: string;
	/** loaded, not-found, masked, error */
	readonly loadState: string;
	/** active, inactive, failed, activating, deactivating, reloading */
	readonly activeState: string;
	/** running, exited, dead, auto-restart, … */
	readonly subState: string;
	/** 0 when there is none */
	readonly mainPid: number;
	readonly restarts: number | null;
	/** epoch ms; null when never started or not parsed */
	readonly startedAt: number | null;
	readonly result: string;
	readonly exitStatus: number | null;
};

export function systemctlShowArgs(unit: string): string[] {
	return ['show', `--property=${systemdProperties.join(',')}`, '--', unit];
}

/** `Tue 2024-05-14 09:12:33 UTC` (or `@1715677953` from --timestamp=unix): epoch ms, when the zone is one Date knows. */
export function parseSystemdTime(value: string | undefined): number | null {
	if (!value || value === 'n/a') return null;
	const unix = /^@(\d+)$/.exec(value);
	if (unix) return Number(unix[1]) * 1000;
	const m = /^(?:[A-Z][a-z]{2} )?(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?: (UTC|GMT|[+-]\d{2}:?\d{2}))?$/.exec(value.trim());
	if (!m) return null;
	const zone = m[3] === undefined ? '' : m[3] === 'UTC' || m[3] === 'GMT' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
	// no zone, or an abbreviation (CEST) Date cannot place: unknown rather than wrong (the pid's start time from /proc is used instead)
	if (!zone && m[3] === undefined) return null;
	const at = Date.parse(`${m[1]}T${m[2]}${zone}`);
	return Number.isNaN(at) ? null : at;
}

/** `systemctl show`'s Key=Value lines. */
export function parseSystemctlShow(stdout: string): SystemdUnit {
	const p: Record<string, string> = {};
	for (const line of stdout.split('\n')) {
		const eq = line.indexOf('=');
		if (eq > 0) p[line.slice(0, eq)] = line.slice(eq + 1);
	}
	const int = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : null);
	return {
		id: p.Id ?? '',
		loadState: p.LoadState ?? 'unknown',
		activeState: p.ActiveState ?? 'unknown',
		subState: p.SubState ?? 'unknown',
		mainPid: int(p.MainPID) ?? 0,
		restarts: int(p.NRestarts),
		startedAt: parseSystemdTime(p.ExecMainStartTimestamp),
		result: p.Result ?? '',
		exitStatus: int(p.ExecMainStatus),
	};
}

/** systemctl's own complaint, one line. */
export function systemctlError(what: string, result: {code: number | null; stdout: string; stderr: string}): Error {
	const said = result.stderr.split('\n').map(l => l.trim()).find(Boolean);
	return new Error(`systemctl ${what} failed${result.code === null ? ' (timed out)' : ` (exit ${result.code})`}${said ? `: ${said}` : ''}`);
}

export async function systemdUnit(unit: string, env: NodeJS.ProcessEnv = process.env): Promise<SystemdUnit> {
	const result = await runCommand('systemctl', systemctlShowArgs(unit), {env, timeoutMs: 10_000});
	// systemctl show exits 0 for a unit that does not exist (LoadState=not-found); a failure here is systemd itself
	if (result.code !== 0 || !result.stdout.includes('=')) throw systemctlError(`show ${unit}`, result);
	return parseSystemctlShow(result.stdout);
}
