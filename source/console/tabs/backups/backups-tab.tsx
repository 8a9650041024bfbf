// Backups: the backups of the SQLite file, newest first (name, kind, size, date, verified), a status
// line (automatic backups, count vs retention, folder, free disk), and the actions: n create (with
// a progress bar), v verify, Enter restore (plan + typed word), x delete (typed word), r refresh.
// Read-only mode refuses restore and delete (through the mutation guard, so the refusal is audited).
import {Box, useInput} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import {startAutoBackups, autoBackupState} from '../../../backups/auto.js';
import {backupOverview, deleteBackup, type BackupEntry, type RefusedEntry} from '../../../backups/backups.js';
import {auditRefusal} from '../../../mutations/registry.js';
import {holdersRefusal, restoreBackup, restoreRequest, type RestorePlan} from '../../../backups/restore.js';
import {formatBytes, formatCount, formatDateTime, formatPercent, fit} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {sanitize} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {progressBar} from '../../components/progress-bar.js';
import {Table, type Column} from '../../components/table.js';
import {useBackends, useFrame, useHints} from '../../context.js';
import {useBackupJobs} from './use-backup-jobs.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import {usePoll} from '../../hooks/use-poll.js';
import type {TabDefinition, TabProps} from '../types.js';
import {SafeText} from '../../components/safe-text.js';

const columns: Column<BackupEntry>[] = [
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
function refusedText(refused: readonly RefusedEntry[]): string {
	if (refused.length === 0) return ' ';
	return sanitize(`refused: ${refused.map(r => `${r.name} (${r.reason})`).join(', ')}`);
}

type Dialog = {readonly kind: 'restore'; readonly plan: RestorePlan} | {readonly kind: 'delete'; readonly entry: BackupEntry};

/** The restore plan, most important first, cut to the rows and columns the dialog has. */
function planLines(plan: RestorePlan, room: number, width: number): string[] {
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
function fitLines(lines: readonly string[], room: number, width: number): string[] {
	return lines.slice(0, Math.max(1, room)).map(line => fit(sanitize(line), Math.max(1, width)));
}

function StatusLine({width, count, retention, dir, freeBytes, totalBytes, auto}: {
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

function autoText(enabled: boolean): string {
	const state = autoBackupState();
	if (!enabled || !state?.enabled) return 'auto: off';
	if (state.running) return 'auto: on, running';
	if (state.lastError) return `auto: on, last failed (${state.lastError})`;
	// UTC, like the dates in the table and the backup names
	return state.nextAt ? `auto: on, next ${formatDateTime(state.nextAt).slice(5, 16)} UTC` : 'auto: on';
}

function BackupsTab({isActive, isVisible, width, height}: TabProps) {
	const backends = useBackends();
	const config = backends.config;
	const frame = useFrame();
	const [dialog, setDialog] = useState<Dialog | undefined>();

	// Automatic backups run while the console runs (one scheduler per process; the shutdown backup is
	// taken by whoever stops it at exit).
	useEffect(() => {
		if (config.backupEnabled) startAutoBackups(backends);
	}, [backends, config.backupEnabled]);

	// free disk to the MiB: a few bytes written elsewhere must not redraw an unchanged screen
	const poll = usePoll(async () => {
		const overview = await backupOverview(config);
		const mib = (n: number | undefined) => (n === undefined ? n : Math.round(n / 1048576) * 1048576);
		return {...overview, freeBytes: mib(overview.freeBytes), auto: autoText(config.backupEnabled)};
	}, {intervalMs: Math.max(config.pollIntervalMs, 1000), enabled: isVisible || dialog !== undefined}, [config]);
	const jobs = useBackupJobs(config, result => {
		frame.flash(sanitize(result.message), result.tone);
		poll.refresh();
	});
	const backups = poll.data?.backups ?? [];
	const tableHeight = Math.max(2, height - 2);
	const [cursor] = useListCursor(backups.length, tableHeight - 1, isActive && !dialog);
	const selected = backups[cursor];

	useHints(dialog ? [] : [
		{key: 'n', label: 'new backup'},
		{key: 'Enter', label: 'restore'},
		{key: 'v', label: 'verify'},
		{key: 'x', label: 'delete'},
		{key: 'r', label: 'refresh'},
		{key: '?', label: 'help'},
	], isActive);

	const refuseReadOnly = useCallback((action: 'restore' | 'delete', name: string) => {
		// the op refuses through runMutation, which audits the refusal
		const attempt = action === 'restore' ? restoreBackup(config, name) : deleteBackup(config, name);
		attempt.then(
			() => undefined,
			(error: unknown) => frame.flash(sanitize(errorMessage(error)), 'warning'),
		);
	}, [config, frame]);

	// Ink swaps the input handler in an effect, which can lag a key behind a render on a busy
	// machine: the handler reads the latest row and dialog state from a ref, never a stale closure.
	const latest = useRef({selected, dialog});
	latest.current = {selected, dialog};

	useInput((input, key) => {
		const {selected} = latest.current;
		if (latest.current.dialog) return;
		if (input === 'r') return poll.refresh();
		if (input === 'n') {
			if (!jobs.create()) frame.flash('a backup job is running; wait for it', 'warning');
			return;
		}
		if (!selected) return;
		if (input === 'v') {
			if (!jobs.verify(selected.name)) frame.flash('a backup job is running; wait for it', 'warning');
			return;
		}
		if (key.return) {
			if (config.readOnly) return refuseReadOnly('restore', selected.name);
			// (a live file another process holds open, or whose holders cannot be known, gets no
			// dialog: the plan's message says why)
			if (!jobs.plan(selected.name, plan => {
				if (plan.holders.length === 0 && !plan.holdersUnknown) setDialog({kind: 'restore', plan});
				else auditRefusal(config, restoreRequest(config, plan.name), holdersRefusal(plan.live, plan.holders, plan.holdersUnknown) ?? 'held open', text => frame.flash(text, 'warning'));
			})) frame.flash('a backup job is running; wait for it', 'warning');
			return;
		}
		if (input === 'x') {
			if (config.readOnly) return refuseReadOnly('delete', selected.name);
			setDialog({kind: 'delete', entry: selected});
		}
	}, {isActive});

	const cancel = useCallback((reason: 'escape' | 'timeout') => {
		setDialog(undefined);
		frame.flash(reason === 'timeout' ? 'cancelled after 30 s: nothing was done' : 'cancelled: nothing was done', 'info');
	}, [frame]);

	if (!isVisible) return null;
	const status = poll.data;
	const auto = status?.auto ?? autoText(config.backupEnabled);
	// A dialog takes the whole tab: borders, title, the word line, its error line and the countdown
	// leave height - 6 rows for what it says.
	const room = Math.max(1, height - 6);
	const inner = Math.max(10, Math.min(width, 100) - 4);
	if (dialog?.kind === 'restore') {
		return (
			<Box flexDirection="column" width={width} height={height} overflowY="hidden">
				<ConfirmDialog
					title={`Restore ${dialog.plan.name}`}
					lines={planLines(dialog.plan, room, inner)}
					request={restoreRequest(config, dialog.plan.name)}
					width={width}
					onCancel={cancel}
					onConfirm={() => {
						setDialog(undefined);
						jobs.restore(dialog.plan.name);
					}}
				/>
			</Box>
		);
	}
	if (dialog?.kind === 'delete') {
		const entry = dialog.entry;
		return (
			<Box flexDirection="column" width={width} height={height} overflowY="hidden">
				<ConfirmDialog
					title={`Delete ${entry.name}`}
					lines={fitLines([`Deletes backup ${entry.name} and its sidecar.`, `${entry.kind}, ${formatBytes(entry.sizeBytes)}, ${formatDateTime(entry.createdAt)} UTC`], room, inner)}
					request={{action: 'delete-backup', target: entry.path}}
					width={width}
					onCancel={cancel}
					onConfirm={() => {
						setDialog(undefined);
						jobs.remove(entry.name);
					}}
				/>
			</Box>
		);
	}
	const jobLabel = jobs.job ? `${jobs.job.label}${jobs.job.phase ? ` (${jobs.job.phase})` : ''} ` : '';
	const labelWidth = Math.min(jobLabel.length, Math.max(0, width - 12));
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<StatusLine width={width} count={backups.length} retention={config.backupRetention} dir={config.backupDir} freeBytes={status?.freeBytes} totalBytes={status?.totalBytes} auto={auto} />
			{jobs.job ? (
				<SafeText wrap="truncate" color="cyan">{sanitize(fit(jobLabel, labelWidth, true) + progressBar(jobs.job.ratio, Math.max(8, width - labelWidth)))}</SafeText>
			) : (
				<SafeText dimColor wrap="truncate">{poll.error ? fit(sanitize(`cannot read ${config.backupDir}: ${poll.error}`), width) : fit(selected?.verified?.error ? sanitize(`${selected.name}: ${selected.verified.error}`) : selected?.claims ? sanitize(`${selected.name}: ${selected.claims.join('; ')}`) : sanitize(refusedText(status?.refused ?? [])), width)}</SafeText>
			)}
			<Table
				columns={columns}
				rows={backups}
				cursor={cursor}
				height={tableHeight}
				width={width}
				rowKey={e => e.name}
				showCursor={isActive}
				empty={poll.loading ? 'reading the backup folder…' : 'no backups yet: n takes one'}
			/>
		</Box>
	);
}

export const backupsTab: TabDefinition = {
	id: 'backups',
	title: 'Backups',
	Component: BackupsTab,
	help: {
		title: 'Backups',
		keys: [
			['n', 'take a backup now (consistent, while the app writes)'],
			['Enter', 'restore the selected backup (shows the plan; type restore)'],
			['v', 'verify: quick_check and sha256'],
			['x', 'delete the selected backup (type delete)'],
			['r', 'refresh'],
		],
	},
};
