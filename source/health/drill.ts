// The last restore drill as the health report sees it (issue 19): read from the drill log in the
// backup folder. A failed last drill makes the verdict degraded; so does an overdue one when
// DRILL_INTERVAL_HOURS is set: none recorded yet, or the last one older than twice the interval.
import {lastDrill} from '../backups/drill-log.js';
import type {DrillRecord} from '../backups/files.js';
import {formatDuration} from '../text/format.js';
import {errorMessage} from '../text/mask.js';

export type DrillHealth = {
	readonly last: DrillRecord | null;
	readonly ageMs: number | null;
	/** DRILL_INTERVAL_HOURS, null when drills are not scheduled */
	readonly intervalHours: number | null;
	readonly overdue: boolean;
	/** the drill log cannot be read */
	readonly error: string | null;
};

/** a scheduled drill counts as overdue after this many intervals without one */
export const overdueIntervals = 2;

export async function probeDrill(config: {readonly backupDir: string; readonly drillIntervalHours?: number | undefined}, now = Date.now()): Promise<DrillHealth> {
	const intervalHours = config.drillIntervalHours ?? null;
	let last: DrillRecord | undefined;
	let error: string | null = null;
	try {
		last = await lastDrill(config.backupDir);
	} catch (err) {
		error = errorMessage(err);
	}
	const ageMs = last ? Math.max(0, now - Date.parse(last.at)) : null;
	const overdue = intervalHours !== null && error === null && (ageMs === null || ageMs > overdueIntervals * intervalHours * 3_600_000);
	return {last: last ?? null, ageMs, intervalHours, overdue, error};
}

/** Drills are in use: one is recorded, they are scheduled (DRILL_INTERVAL_HOURS), or the drill log is there but cannot be read. */
export function drillInUse(drill: DrillHealth | undefined | null): drill is DrillHealth {
	return Boolean(drill && (drill.last || drill.intervalHours !== null || drill.error));
}

/** Why the drills make the verdict degraded, one line each (none: fine, or not in use). */
export function drillProblems(drill: DrillHealth | undefined | null): string[] {
	if (!drill) return [];
	const problems: string[] = [];
	if (drill.last && !drill.last.ok) problems.push(`restore drill failed: ${drill.last.backup} at ${drill.last.at.slice(0, 16).replace('T', ' ')}: ${drill.last.findings[0] ?? 'no finding recorded'}${drill.last.findings.length > 1 ? ` (+${drill.last.findings.length - 1} more)` : ''}`);
	if (drill.overdue) {
		const every = `DRILL_INTERVAL_HOURS=${drill.intervalHours}`;
		problems.push(drill.ageMs === null ? `restore drill overdue: none recorded yet (${every})` : `restore drill overdue: the last one was ${formatDuration(drill.ageMs)} ago (${every})`);
	}
	if (drill.error && drill.intervalHours !== null) problems.push(`restore drill unknown: cannot read the drill log: ${drill.error}`);
	return problems;
}

/** `passed 2h ago (manual_….db)`, `FAILED 5m ago: …`, `none yet` — the Status line and the Backups tab */
export function drillText(drill: DrillHealth | undefined | null): string {
	if (!drill || (!drill.last && drill.intervalHours === null)) return drill?.error ? `unknown (${drill.error})` : 'none';
	if (!drill.last) return drill.error ? `unknown (${drill.error})` : `none yet (every ${drill.intervalHours} h)`;
	const age = drill.ageMs === null ? '' : ` ${formatDuration(drill.ageMs)} ago`;
	const head = `${drill.last.ok ? 'passed' : 'FAILED'}${age} (${drill.last.backup})`;
	const tail = drill.overdue ? ', overdue' : '';
	return drill.last.ok ? `${head}${tail}` : `${head}${tail}: ${drill.last.findings[0] ?? ''}`;
}
