// Backups: the backups of the SQLite file, newest first (name, kind, size, date, verified), a status
// line (automatic backups, count vs retention, folder, free disk), and the actions: n create (with
// a progress bar), v verify, Enter restore (plan + typed word), x delete (typed word), r refresh.
// Read-only mode refuses restore and delete (through the mutation guard, so the refusal is audited).
import path from 'node:path';
import {Text} from 'ink';
import {useCallback, useEffect, useState} from 'react';
import {startAutoBackups} from '../../../backups/auto.js';
import {backupOverview, deleteBackup, keepText} from '../../../backups/backups.js';
import {drillInUse, drillText, probeDrill} from '../../../health/drill.js';
import {auditRefusal} from '../../../mutations/registry.js';
import {holdersRefusal, restoreBackup, restoreRequest} from '../../../backups/restore.js';
import {formatBytes, formatCount, formatDateTime, fit} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {sanitize} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {progressBar} from '../../components/progress-bar.js';
import {backgroundUpload, offsiteNote} from './offsite-view.js';
import {Table, windowStart} from '../../components/table.js';
import {autoText, backupColumns, planLines, refusedText, StatusLine, type Dialog} from './backup-view.js';
import {useBackends, useFrame} from '../../context.js';
import {TabScreen} from '../../components/tab-screen.js';
import {tableRows} from '../../share/current.js';
import {backupsKeymap} from './keymap.js';
import {useBackupJobs} from './use-backup-jobs.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import {usePoll} from '../../hooks/use-poll.js';
import type {TabDefinition, TabProps} from '../types.js';
import {SafeText} from '../../components/safe-text.js';

const backupName = (entry: {readonly name: string}) => entry.name;

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
		const [overview, drill] = await Promise.all([backupOverview(config), probeDrill(config)]);
		const mib = (n: number | undefined) => (n === undefined ? n : Math.round(n / 1048576) * 1048576);
		// the last restore drill (issue 19), its age to the minute: no redraw every second for it
		const lastDrill = drillInUse(drill) ? `last restore drill: ${drillText({...drill, ageMs: drill.ageMs === null ? null : Math.floor(drill.ageMs / 60_000) * 60_000})}` : '';
		return {...overview, freeBytes: mib(overview.freeBytes), auto: autoText(config.backupEnabled), lastDrill};
	}, {intervalMs: Math.max(config.pollIntervalMs, 1000), enabled: isVisible || dialog !== undefined}, config);
	const jobs = useBackupJobs(config, result => {
		frame.flash(sanitize(result.message), result.tone);
		poll.refresh();
	});
	const backups = poll.data?.backups ?? [];
	const tableHeight = Math.max(2, height - 2);
	// by name: a backup taken meanwhile appears above the highlighted one without moving it
	const list = useListCursor(backups, backupName, {pageSize: tableHeight - 1});
	const {cursor, selected} = list;

	const refuseReadOnly = useCallback((action: 'restore' | 'delete', name: string) => {
		// the op refuses through runMutation, which audits the refusal
		const attempt = action === 'restore' ? restoreBackup(config, name) : deleteBackup(config, name);
		attempt.then(
			() => undefined,
			(error: unknown) => frame.flash(sanitize(errorMessage(error)), 'warning'),
		);
	}, [config, frame]);

	const busy = () => frame.flash('a backup job is running; wait for it', 'warning');
	const keymap = [
		...backupsKeymap({
			selected: selected !== undefined,
			refresh: () => void poll.refresh().then(() => frame.flash('refreshed the backup list', 'info')),
			create: () => {
				if (!jobs.create()) busy();
			},
			verify: () => {
				if (selected && !jobs.verify(selected.name)) busy();
			},
			restore: () => {
				if (!selected) return;
				if (config.readOnly) return refuseReadOnly('restore', selected.name);
				// (a live file another process holds open, or whose holders cannot be known, gets no
				// dialog: the plan's message says why)
				if (!jobs.plan(selected.name, plan => {
					if (plan.holders.length === 0 && !plan.holdersUnknown) setDialog({kind: 'restore', plan});
					else auditRefusal(config, restoreRequest(config, plan.name), holdersRefusal(plan.live, plan.holders, plan.holdersUnknown) ?? 'held open', text => frame.flash(text, 'warning'));
				})) busy();
			},
			remove: () => {
				if (!selected) return;
				if (config.readOnly) return refuseReadOnly('delete', selected.name);
				setDialog({kind: 'delete', entry: selected});
			},
		}),
		...list.keys,
	];

	const cancel = useCallback(() => setDialog(undefined), []);

	if (!isVisible) return null;
	const status = poll.data;
	const auto = status?.auto ?? autoText(config.backupEnabled);
	// A dialog takes the whole tab; what it says scrolls when taller than that.
	if (dialog?.kind === 'restore') {
		return (
			<TabScreen keymap={keymap} width={width} height={height}>
				<ConfirmDialog
					title={`Restore ${dialog.plan.name}`}
					lines={planLines(dialog.plan)}
					request={restoreRequest(config, dialog.plan.name)}
					width={width}
					height={height}
					onCancel={cancel}
					onConfirm={() => {
						setDialog(undefined);
						jobs.restore(dialog.plan.name);
					}}
				/>
			</TabScreen>
		);
	}
	if (dialog?.kind === 'delete') {
		const entry = dialog.entry;
		return (
			<TabScreen keymap={keymap} width={width} height={height}>
				<ConfirmDialog
					title={`Delete ${entry.name}`}
					lines={[`Deletes backup ${entry.name} and its sidecar.`, `${entry.kind}, ${formatBytes(entry.sizeBytes)}, ${formatDateTime(entry.createdAt)} UTC`]}
					request={{action: 'delete-backup', target: entry.path}}
					width={width}
					height={height}
					onCancel={cancel}
					onConfirm={() => {
						setDialog(undefined);
						jobs.remove(entry.name);
					}}
				/>
			</TabScreen>
		);
	}
	// which rows are on screen when they do not all fit (a 40x10 pane), as the Monitor says it; on the
	// line under the header, which was blank while nothing was wrong (hostile defect 16)
	const visible = tableHeight - 1;
	const start = windowStart(cursor, backups.length, visible);
	const range = backups.length > visible ? `rows ${formatCount(start + 1)}–${formatCount(Math.min(backups.length, start + visible))} of ${formatCount(backups.length)}` : '';
	const noteRoom = Math.max(1, width - (range ? range.length + 3 : 0));
	const note = poll.error ? `cannot read ${config.backupDir}: ${poll.error}` : selected?.verified?.error ? `${selected.name}: ${selected.verified.error}` : selected?.claims ? `${selected.name}: ${selected.claims.join('; ')}` : offsiteNote(selected, config.backupRemotes.length > 0) ?? ((status?.refused.length ?? 0) > 0 || !status?.lastDrill ? refusedText(status?.refused ?? []) : status.lastDrill);
	// an automatic backup's upload runs outside the tab's jobs: its progress shows all the same
	const job = jobs.job ?? backgroundUpload(config.backupDir);
	const jobLabel = job ? `${job.label}${job.phase ? ` (${job.phase})` : ''} ` : '';
	const labelWidth = Math.min(jobLabel.length, Math.max(0, width - 12));
	// `y` the highlighted backup's name; `E` the list with every column (the wide layout's), bytes exact
	const current = {
		item: selected && {text: selected.name, what: 'backup name'},
		rows: {name: 'backups', table: () => tableRows('backups', backupColumns(1000), backups, [{title: 'BYTES', value: e => e.sizeBytes}, {title: 'FILE', value: e => path.join(config.backupDir, e.name)}])},
	};
	return (
		<TabScreen keymap={keymap} width={width} height={height} current={current}>
			<StatusLine width={width} count={backups.length} retention={keepText(config)} dir={config.backupDir} freeBytes={status?.freeBytes} totalBytes={status?.totalBytes} auto={auto} />
			{job ? (
				<SafeText wrap="truncate" color="cyan">{sanitize(fit(jobLabel, labelWidth, true) + progressBar(job.ratio, Math.max(8, width - labelWidth)))}</SafeText>
			) : (
				<Text wrap="truncate">
					{note.trim() || !range ? <SafeText dimColor>{fit(sanitize(note), noteRoom)}</SafeText> : null}
					{range ? <Text dimColor>{note.trim() ? ` · ${range}` : range}</Text> : null}
				</Text>
			)}
			<Table
				columns={backupColumns(width)}
				rows={backups}
				cursor={cursor}
				height={tableHeight}
				width={width}
				rowKey={e => e.name}
				showCursor={isActive}
				empty={poll.loading ? 'reading the backup folder…' : 'no backups yet: n takes one'}
			/>
		</TabScreen>
	);
}

export const backupsTab: TabDefinition = {id: 'backups', title: 'Backups', Component: BackupsTab};
