// The Backups tab's long jobs: create, verify, plan + restore, delete. One at a time on a backup folder; progress as a
// ratio while it runs; the result as a one-line message. The heavy work runs in a worker thread
// (backups/worker.ts), so the console keeps drawing and taking keys meanwhile. A restore registers
// as work in progress: quitting asks whether to finish or abandon it, and holds it before it
// touches the live file while asking (work-in-progress.ts).
import {useEffect, useRef, useSyncExternalStore} from 'react';
import type {Config} from '../../../config/config.js';
import {deleteBackup, verifyBackup} from '../../../backups/backups.js';
import {runBackupJob} from '../../../backups/remote/job.js';
import {shipBackup, shipText} from '../../../backups/remote/offsite.js';
import {pingText} from '../../../backups/remote/heartbeat.js';
import {planRestore, restoreBackup, RestoreInterruptedError, type RestorePlan, type RestoreResult, type RestoreStep} from '../../../backups/restore.js';
import {formatBytes, formatDuration} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import type {Tone} from '../../context.js';
import {beginWork, workGate} from '../../work-in-progress.js';

export type Job = {readonly label: string; readonly ratio: number; readonly phase: string};
export type JobResult = {readonly message: string; readonly tone: Tone};

// the copy reports its bytes between 0.02 and 0.6
const restoreRatio: Record<RestoreStep, number> = {copy: 0.02, verify: 0.6, safety: 0.75, swap: 0.9, check: 0.95};

function restoredMessage(result: RestoreResult): string {
	return `restored ${result.name} in ${formatDuration(result.durationMs)} (quick_check ${result.check}); before: ${result.safety ?? 'no live file'}`;
}

// The job running on each backup folder (its environment), outside the tab: a profile switch mounts
// the tab afresh, and the job started before it keeps running — the other environment's tab must not
// show it, and this one's, back again, shows it and refuses a second (hostile defect W4).
const jobs = new Map<string, Job>();
const listeners = new Set<() => void>();
function setFolderJob(dir: string, job: Job | undefined): void {
	if (job) jobs.set(dir, job);
	else jobs.delete(dir);
	for (const listener of listeners) listener();
}
// A job's result that came while its environment's tab was not on screen (the operator had switched
// profile with P): kept for the tab's return to that environment, where it is said once — not dropped.
const unseen = new Map<string, JobResult>();
// the mounted tab of each backup folder: a job started by a tab unmounted since (A, then B, then A
// again) reports to the one on screen now
const receivers = new Map<string, (result: JobResult) => void>();

const subscribe = (listener: () => void) => {
	listeners.add(listener);
	return () => void listeners.delete(listener);
};

export function useBackupJobs(config: Config, onDone: (result: JobResult) => void) {
	const dir = config.backupDir;
	const job = useSyncExternalStore(subscribe, () => jobs.get(dir));
	const mounted = useRef(true);
	// the caller's latest, for jobs that end renders later
	const doneRef = useRef(onDone);
	useEffect(() => {
		doneRef.current = onDone;
	});
	useEffect(() => {
		mounted.current = true;
		const receiver = (result: JobResult) => doneRef.current(result);
		receivers.set(dir, receiver);
		const missed = unseen.get(dir);
		if (missed) {
			unseen.delete(dir);
			receiver({...missed, message: `while on another profile: ${missed.message}`});
		}
		return () => {
			mounted.current = false;
			if (receivers.get(dir) === receiver) receivers.delete(dir);
		};
	}, [dir]);
	/** the result to this environment's tab on screen, or kept until it is back */
	const deliver = (result: JobResult) => {
		const receiver = receivers.get(dir);
		if (receiver) receiver(result);
		else unseen.set(dir, result);
	};

	/** Runs fn as the one job; refuses (false) while another runs. */
	const run = <T,>(label: string, fn: (progress: (ratio: number, phase: string) => void) => Promise<T>, message: (value: T) => JobResult): boolean => {
		if (jobs.has(dir)) return false;
		setFolderJob(dir, {label, ratio: 0, phase: ''});
		let last = '';
		const progress = (ratio: number, phase: string) => {
			// one render per percent (or phase: the upload starts at the percent the check ended on) at most
			const now = `${Math.floor(ratio * 100)} ${phase}`;
			if (now === last) return;
			last = now;
			setFolderJob(dir, {label, ratio, phase});
		};
		void fn(progress).then(
			value => deliver(message(value)),
			(error: unknown) => deliver({message: `${label} failed: ${errorMessage(error)}`, tone: 'error'}),
		).finally(() => setFolderJob(dir, undefined));
		return true;
	};

	// the whole job: heartbeat, snapshot, quick_check, uploads to BACKUP_REMOTE (phase "upload")
	const create = () => run('backup', async progress => {
		const started = Date.now();
		const job = await runBackupJob(config, {kind: 'manual', onProgress: progress});
		return {job, ms: Date.now() - started};
	}, ({job, ms}) => ({
		message: `created ${job.entry.name} (${formatBytes(job.entry.sizeBytes)}, ${job.verify.ok ? 'verified' : 'VERIFY FAILED'}) in ${formatDuration(ms)}${job.ship ? `; ${shipText(job.ship)}` : ''}${job.pingFailures[0] ? `; ${pingText(job.pingFailures[0])}` : ''}`,
		tone: job.ok ? 'success' : 'error',
	}));

	const verify = (name: string) => run('verify', progress => verifyBackup(config, name, {onProgress: progress}), result => ({
		message: result.ok ? `${name}: ok (quick_check, ${result.checksumOk ? 'sha256 matches' : 'no recorded sha256'})` : `${name}: FAILED: ${result.problems.join('; ')}`,
		tone: result.ok ? 'success' : 'error',
	}));

	/** Verifies the backup and counts rows now and in it; hands the plan over for the dialog. */
	const plan = (name: string, onPlan: (plan: RestorePlan) => void) => run('checking', async progress => {
		progress(0.2, 'verify');
		const result = await planRestore(config, name);
		if (mounted.current) onPlan(result);
		return result;
	}, result => {
		if (result.holders.length > 0) {
			return {
				message: `${result.live} is open in another process (${result.holders.map(h => `pid ${h.pid}`).join(', ')}): stop it first (or opsdeck backup restore --force); nothing was changed`,
				tone: 'error',
			};
		}
		if (result.holdersUnknown) {
			return {message: `cannot tell whether another process has ${result.live} open: ${result.holdersUnknown}; stop the app, then opsdeck backup restore --force; nothing was changed`, tone: 'error'};
		}
		return {message: `${result.name} verified; type restore to go ahead`, tone: 'info'};
	});

	const restore = (name: string) => run('restore', async progress => {
		const controller = new AbortController();
		let settle!: (line: string) => void;
		beginWork({label: `restore of ${name}`, abandon: reason => controller.abort(reason), done: new Promise<string>(resolve => (settle = resolve))});
		try {
			const result = await restoreBackup(config, name, {
				onStep: step => progress(restoreRatio[step], step),
				onCopy: (done, total) => progress(restoreRatio.copy + (restoreRatio.verify - restoreRatio.copy) * (total > 0 ? done / total : 1), 'copy'),
				signal: controller.signal,
				beforeCommit: workGate,
			});
			settle(restoredMessage(result));
			// the safety backup goes off-site too; a failed upload is said, the restore stands
			const ship = result.safety ? await shipBackup(config, result.safety, {pending: false, onProgress: p => progress(0.95 + 0.05 * (p.totalBytes > 0 ? p.doneBytes / p.totalBytes : 1), 'upload')}) : undefined;
			return {...result, shipped: ship && !ship.ok ? shipText(ship) : undefined};
		} catch (error) {
			settle(error instanceof RestoreInterruptedError ? `restore of ${name} ${error.message}` : `restore of ${name} failed: ${errorMessage(error)}`);
			throw error;
		}
	}, result => ({message: `${restoredMessage(result)}${result.shipped ? `; safety backup ${result.shipped}` : ''}`, tone: result.shipped ? 'error' : 'success'}));

	const remove = (name: string) => run('delete', () => deleteBackup(config, name), () => ({message: `deleted ${name}`, tone: 'success'}));

	return {job, create, verify, plan, restore, remove};
}
