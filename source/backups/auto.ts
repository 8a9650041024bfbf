// Automatic backups while the console or `serve` runs with BACKUP_ENABLED: one at start (unless the
// newest backup is younger than the interval), one every BACKUP_INTERVAL_HOURS, one at graceful
// shutdown (stop()). Each is verified (quick_check) and then the automatic ones are pruned to the
// retention (manual backups are not counted; skipped in read-only mode: prune is a mutation).
// One scheduler per process: whoever starts it first (the Backups tab, serve, the console's
// start-up), later calls get the same handle, so the shutdown backup is taken exactly once.
import type {Backends} from '../backends/index.js';
import type {Config} from '../config/config.js';
import {errorMessage} from '../text/mask.js';
import {listBackups, pruneBackups, type BackupEntry} from './backups.js';
import {runBackupJob} from './remote/job.js';
import {shipText} from './remote/offsite.js';
import {pingText} from './remote/heartbeat.js';

export type AutoBackupState = {
	readonly enabled: boolean;
	readonly intervalHours: number;
	/** when the next periodic backup is due (ms since the epoch) */
	readonly nextAt: number | undefined;
	readonly running: boolean;
	readonly lastName: string | undefined;
	readonly lastAt: number | undefined;
	readonly lastError: string | undefined;
	/** the start-up backup was skipped: this backup is younger than the interval */
	readonly skippedStart?: string;
};

export type AutoBackups = {
	/** takes the shutdown backup (waits for one in progress first); idempotent */
	stop(): Promise<void>;
	state(): AutoBackupState;
};

let current: AutoBackups | undefined;

/** The running scheduler's state, if any (the Backups tab's status line). */
export function autoBackupState(): AutoBackupState | undefined {
	return current?.state();
}

/**
 * Stops the running scheduler (its shutdown backup taken) and lets another start at once: the
 * console switched to another environment (profile), whose Backups tab starts its own.
 */
export function stopAutoBackups(): Promise<void> {
	const handle = current;
	current = undefined;
	return handle ? handle.stop() : Promise.resolve();
}

const maxTimer = 2_147_483_647; // setTimeout's limit (~24.8 days)

export function startAutoBackups(backends: Pick<Backends, 'config'>, config: Config = backends.config): AutoBackups {
	if (current) return current;
	const intervalMs = config.backupIntervalHours * 3_600_000;
	let state: AutoBackupState = {enabled: config.backupEnabled, intervalHours: config.backupIntervalHours, nextAt: undefined, running: false, lastName: undefined, lastAt: undefined, lastError: undefined};
	let timer: NodeJS.Timeout | undefined;
	let inFlight: Promise<void> = Promise.resolve();
	let stopping: Promise<void> | undefined;

	const once = async () => {
		state = {...state, running: true};
		try {
			// heartbeat /start, snapshot, quick_check, uploads (issue 19), heartbeat success or /fail
			const job = await runBackupJob(config, {kind: 'auto'});
			const backup = job.entry;
			if (!config.readOnly) await pruneBackups(config).catch(() => undefined);
			// the local backup stands; an upload or ping that failed is what the status line says
			const problem = job.ship && !job.ship.ok ? shipText(job.ship) : job.pingFailures[0] ? pingText(job.pingFailures[0]) : undefined;
			state = {...state, running: false, lastName: backup.name, lastAt: Date.now(), lastError: problem};
		} catch (error) {
			state = {...state, running: false, lastAt: Date.now(), lastError: errorMessage(error)};
		}
	};
	const run = () => {
		inFlight = inFlight.then(once);
		return inFlight;
	};
	const schedule = (delay: number, at = Date.now() + delay) => {
		state = {...state, nextAt: at};
		// chained timeouts (never setInterval): a slow backup never overlaps the next; unref'd so a
		// one-shot process is not kept alive by the schedule alone
		timer = setTimeout(() => {
			if (Date.now() < at - 1000) return schedule(at - Date.now(), at); // beyond setTimeout's range
			void run().then(() => {
				if (!stopping) schedule(intervalMs);
			});
		}, Math.min(delay, maxTimer));
		timer.unref();
	};

	const handle: AutoBackups = {
		state: () => state,
		stop() {
			stopping ??= (async () => {
				clearTimeout(timer);
				state = {...state, nextAt: undefined};
				if (config.backupEnabled) await run();
				else await inFlight;
				if (current === handle) current = undefined;
			})();
			return stopping;
		},
	};
	current = handle;
	if (config.backupEnabled) {
		// Start-up: no backup when the newest one is younger than the interval (issue 13, case 11:
		// each restart took one, and they pushed the good ones out); the next is due an interval after it.
		void listBackups(config.backupDir).catch(() => [] as BackupEntry[]).then(async entries => {
			if (stopping) return;
			const newest = entries.find(e => e.kind !== 'other' && e.createdAt <= Date.now());
			const age = newest ? Date.now() - newest.createdAt : Number.POSITIVE_INFINITY;
			if (newest && age < intervalMs) {
				state = {...state, lastName: newest.name, lastAt: newest.createdAt, skippedStart: newest.name};
				schedule(intervalMs - age);
				return;
			}
			await run();
			if (!stopping) schedule(intervalMs);
		});
	}
	return handle;
}
