// The Backups tab's pieces that only draw: the table's columns, the status line, the lines of the
// restore plan a dialog shows, and the automatic backups' state in words.
import {autoBackupState} from '../../../backups/auto.js';
import type {BackupEntry, RefusedEntry} from '../../../backups/backups.js';
import type {RestorePlan} from '../../../backups/restore.js';
import {formatBytes, formatCount, formatDateTime, formatPercent, fit, plural} from '../../../text/format.js';
import {sanitize} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import type {Column} from '../../components/table.js';

const verified: Column<BackupEntry> = {
	key: 'verified',
	title: 'VERIFIED',
	value: e => sanitize(e.verified ? (e.verified.ok ? 'ok' : 'FAILED') : e.claims ? 'claim?' : '-'),
	width: 8,
	priority: 1,
	color: e => (e.verified ? (e.verified.ok ? 'green' : 'red') : e.claims ? 'yellow' : undefined),
};
// cut in the middle: the end of a name is its time (manual_2026-11-30T09-15-38.db)
const name: Column<BackupEntry> = {key: 'name', title: 'NAME', value: e => sanitize(e.name), minWidth: 12, cut: 'middle'};
const size: Column<BackupEntry> = {key: 'size', title: 'SIZE', value: e => formatBytes(e.sizeBytes), width: 8, align: 'right', priority: 3};

/** The full layout needs this many columns: a whole standard name, kind, size, date and time, verified. */
const wide = 74;

/**
 * The table's columns for this width. Every backup always shows its date and time (to the second:
 * two backups a minute apart must not look alike before a restore); a narrow pane drops the kind
 * (the name starts with it) and then the size, and writes the date without its year (issue 16).
 */
export function backupColumns(width: number): Column<BackupEntry>[] {
	if (width >= wide) {
		return [
			{...name, minWidth: 29},
			{key: 'kind', title: 'KIND', value: e => sanitize(e.kind), width: 6, priority: 2},
			size,
			{key: 'date', title: 'DATE (UTC)', value: e => sanitize(formatDateTime(e.createdAt)), width: 19},
			verified,
		];
	}
	const date: Column<BackupEntry> = {key: 'date', title: 'DATE (UTC)', value: e => sanitize(formatDateTime(e.createdAt).slice(5)), width: 14};
	const check = {...verified, title: 'CHECK', width: 6};
	// a whole standard name beside the size, date and check, or no size
	return width >= 29 + 8 + 14 + 6 + 3 ? [{...name, minWidth: 29}, size, date, check] : [name, date, check];
}

/** symlinks leading outside the folder and the like: never used, said on the tab's second line */
export function refusedText(refused: readonly RefusedEntry[]): string {
	if (refused.length === 0) return ' ';
	return sanitize(`refused: ${refused.map(r => `${r.name} (${r.reason})`).join(', ')}`);
}

export type Dialog = {readonly kind: 'restore'; readonly plan: RestorePlan} | {readonly kind: 'delete'; readonly entry: BackupEntry};

/** The restore plan, most important first: every table (the dialog wraps and scrolls it). */
export function planLines(plan: RestorePlan): string[] {
	const lines = [`Replace ${plan.live} with backup ${plan.name}.`];
	if (plan.liveError) lines.push(`The live file cannot be read now: ${plan.liveError}`);
	for (const row of plan.rows) lines.push(`${row.table}: ${formatCount(row.now ?? undefined)} rows now -> ${formatCount(row.backup ?? undefined)} in the backup`);
	lines.push('A safety_ backup of the live file is taken first.');
	return lines;
}

export function StatusLine({width, count, retention, dir, freeBytes, totalBytes, auto}: {
	readonly width: number;
	readonly count: number;
	readonly retention: number | string;
	readonly dir: string;
	readonly freeBytes: number | undefined;
	readonly totalBytes: number | undefined;
	readonly auto: string;
}) {
	const free = freeBytes === undefined ? 'free ?' : `free ${formatBytes(freeBytes)}${totalBytes ? ` (${formatPercent(freeBytes / totalBytes, 0)})` : ''}`;
	const lowDisk = freeBytes !== undefined && totalBytes ? freeBytes / totalBytes < 0.1 : false;
	// `14/7 kept` read as more kept than allowed (manual and safety backups are not pruned): the count, then the rule
	const text = `${auto} · ${plural(count, 'backup')}, keep ${retention} · ${free} · ${dir}`;
	return <SafeText wrap="truncate" color={lowDisk ? 'yellow' : undefined}>{fit(sanitize(text), width)}</SafeText>;
}

export function autoText(enabled: boolean): string {
	const state = autoBackupState();
	if (!enabled || !state?.enabled) return 'auto: off';
	if (state.running) return 'auto: on, running';
	if (state.lastError) return `auto: on, last failed (${state.lastError})`;
	// UTC, like the dates in the table and the backup names
	return state.nextAt ? `auto: on, next ${formatDateTime(state.nextAt).slice(5, 16)} UTC` : 'auto: on';
}

