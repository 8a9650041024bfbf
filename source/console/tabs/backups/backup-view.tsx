// The Backups tab's pieces that only draw: the table's columns, the status line, the lines of the
// restore plan a dialog shows, and the automatic backups' state in words.
import {autoBackupState} from '../../../backups/auto.js';
import type {BackupEntry, RefusedEntry} from '../../../backups/backups.js';
import type {RestorePlan} from '../../../backups/restore.js';
import {formatBytes, formatCount, formatDateTime, formatPercent, fit} from '../../../text/format.js';
import {sanitize} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import type {Column} from '../../components/table.js';

export const columns: Column<BackupEntry>[] = [
	{key: 'name', title: 'NAME', value: e => sanitize(e.name), minWidth: 12},
	{key: 'kind', title: 'KIND', value: e => sanitize(e.kind), width: 6, priority: 2},
	{key: 'size', title: 'SIZE', value: e => formatBytes(e.sizeBytes), width: 8, align: 'right', priority: 3},
	{key: 'date', title: 'DATE (UTC)', value: e => sanitize(formatDateTime(e.createdAt).slice(0, 16)), width: 16, priority: 4},
	{
		key: 'verified',
		title: 'VERIFIED',
		value: e => sanitize(e.verified ? (e.verified.ok ? 'ok' : 'FAILED') : e.claims ? 'claim?' : '-'),
		width: 8,
		priority: 1,
		color: e => (e.verified ? (e.verified.ok ? 'green' : 'red') : e.claims ? 'yellow' : undefined),
	},
];

/** symlinks leading outside the folder and the like: never used, said on the tab's second line */
export function refusedText(refused: readonly RefusedEntry[]): string {
	if (refused.length === 0) return ' ';
	return sanitize(`refused: ${refused.map(r => `${r.name} (${r.reason})`).join(', ')}`);
}

export type Dialog = {readonly kind: 'restore'; readonly plan: RestorePlan} | {readonly kind: 'delete'; readonly entry: BackupEntry};

/** The restore plan, most important first, cut to the rows and columns the dialog has. */
export function planLines(plan: RestorePlan, room: number, width: number): string[] {
	const lines = [`Replace ${plan.live} with backup ${plan.name}.`];
	if (plan.liveError) lines.push(`The live file cannot be read now: ${plan.liveError}`);
	const tables = plan.rows.map(row => `${row.table}: ${formatCount(row.now ?? undefined)} rows now -> ${formatCount(row.backup ?? undefined)} in the backup`);
	const space = Math.max(1, room - lines.length - 1);
	if (tables.length > space) lines.push(...tables.slice(0, Math.max(0, space - 1)), `... and ${tables.length - Math.max(0, space - 1)} more tables`);
	else lines.push(...tables);
	lines.push('A safety_ backup of the live file is taken first.');
	return fitLines(lines, room, width);
}

/** At most `room` lines, each cut to `width` (the dialog must never be taller than the tab). */
export function fitLines(lines: readonly string[], room: number, width: number): string[] {
	return lines.slice(0, Math.max(1, room)).map(line => fit(sanitize(line), Math.max(1, width)));
}

export function StatusLine({width, count, retention, dir, freeBytes, totalBytes, auto}: {
	readonly width: number;
	readonly count: number;
	readonly retention: number;
	readonly dir: string;
	readonly freeBytes: number | undefined;
	readonly totalBytes: number | undefined;
	readonly auto: string;
}) {
	const free = freeBytes === undefined ? 'free ?' : `free ${formatBytes(freeBytes)}${totalBytes ? ` (${formatPercent(freeBytes / totalBytes, 0)})` : ''}`;
	const lowDisk = freeBytes !== undefined && totalBytes ? freeBytes / totalBytes < 0.1 : false;
	const text = `${auto} · ${count}/${retention} kept · ${free} · ${dir}`;
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

