// The app's process (APP_SERVICE) for the Logs tab's header, polled while the tab is shown, and `S`:
// a restart through the mutation guard (refused and audited in read-only mode, before any dialog),
// confirmed by typing the registry's word, its outcome said: the new pid, or the error and the
// app's last log lines (kept on show until Esc).
import {useCallback, useState} from 'react';
import {restartApp, RestartError, restartPlan} from '../../../app-process/restart.js';
import {serviceText} from '../../../app-process/service.js';
import {appStatus, type AppProcessStatus} from '../../../app-process/status.js';
import type {MutationRequest} from '../../../mutations/registry.js';
import {formatDuration} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {safe, sanitize, type Safe} from '../../../text/sanitize.js';
import {useBackends, useFrame} from '../../context.js';
import {usePoll} from '../../hooks/use-poll.js';

export type RestartDialog = {readonly request: MutationRequest; readonly plan: string; readonly pid: number | null};

/** A failed restart: its error and the app's last log lines. */
export type RestartOutcome = {readonly error: Safe; readonly lines: readonly Safe[]};

export function useAppProcess(isVisible: boolean) {
	const {config} = useBackends();
	const {flash} = useFrame();
	const service = config.appService;
	const status = usePoll<AppProcessStatus | undefined>(
		async () => (service ? appStatus(service) : undefined),
		{intervalMs: Math.max(1000, config.pollIntervalMs), enabled: isVisible && service !== undefined},
		service,
	);
	const [dialog, setDialog] = useState<RestartDialog | undefined>();
	const [outcome, setOutcome] = useState<RestartOutcome | undefined>();
	const [running, setRunning] = useState(false);

	const run = useCallback((confirmedPid: number | null | undefined) => {
		if (!service) return;
		setRunning(true);
		setOutcome(undefined);
		if (!config.readOnly) flash(sanitize(`restarting ${serviceText(service)}…`), 'info');
		restartApp(config, {confirmedPid}).then(
			done => flash(safe`restarted ${sanitize(serviceText(service))}: pid ${sanitize(String(done.before ?? '-'))} → ${done.after} (${formatDuration(done.ms)})`, 'success'),
			error => {
				if (error instanceof RestartError) {
					setOutcome({error: sanitize(`restart of ${serviceText(service)} failed: ${error.message}`), lines: error.lastLines.map(line => sanitize(line))});
					flash(sanitize(`restart failed: ${error.message}`), 'error');
				} else flash(sanitize(errorMessage(error)), config.readOnly ? 'warning' : 'error');
			},
		).finally(() => {
			setRunning(false);
			void status.refresh();
		});
	}, [config, flash, service, status]);

	const restart = useCallback(async () => {
		if (!service || running) return;
		// read-only: restartApp refuses (and audits the refusal) without a dialog
		if (config.readOnly) return run(undefined);
		// (pressed before the first look: looked at now, so the dialog names the pid a signal goes to)
		const now = status.data ?? (await appStatus(service).catch(() => undefined));
		const target = `${serviceText(service)}${now?.pid ? ` (pid ${now.pid})` : ''}`;
		const plan = now ? restartPlan(service, now, config.appRestartTimeoutMs) : `restart ${serviceText(service)}`;
		setDialog({request: {action: 'app-restart', target}, plan, pid: now?.pid ?? null});
	}, [config, run, running, service, status.data]);

	const confirm = useCallback(() => {
		const pid = dialog?.pid;
		setDialog(undefined);
		run(pid);
	}, [dialog, run]);

	return {
		service,
		status: status.data,
		error: status.error,
		dialog,
		outcome,
		running,
		restart: () => void restart(),
		confirm,
		cancel: () => setDialog(undefined),
		closeOutcome: () => setOutcome(undefined),
	};
}
