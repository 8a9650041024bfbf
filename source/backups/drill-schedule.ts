// Restore drills on a schedule (DRILL_INTERVAL_HOURS) while `serve` runs: the newest backup is
// drilled at start (unless the drill log's last drill is younger than the interval) and then every
// interval. Chained timeouts, never overlapping; stop() waits for a drill in progress.
import type {Config} from '../config/config.js';
import {errorMessage} from '../text/mask.js';
import {BackupError} from './backups.js';
import {drillBackup, type DrillResult} from './drill.js';
import {lastDrill} from './drill-log.js';

export type DrillSchedule = {
	stop(): Promise<void>;
	/** when the next drill is due (ms since the epoch) */
	nextAt(): number | undefined;
};

const maxTimer = 2_147_483_647;

export function startDrills(
	config: Pick<Config, 'backupDir' | 'sqlitePath' | 'drillChecks' | 'drillIntervalHours'>,
	log: (line: string) => void,
	onDrill?: (result: DrillResult) => void,
): DrillSchedule | undefined {
	if (config.drillIntervalHours === undefined) return undefined;
	const intervalMs = config.drillIntervalHours * 3_600_000;
	let timer: NodeJS.Timeout | undefined;
	let next: number | undefined;
	let stopped = false;
	let inFlight: Promise<void> = Promise.resolve();

	const once = async () => {
		try {
			const result = await drillBackup(config, {newest: true});
			log(`restore drill of ${result.backup}: ${result.ok ? 'passed' : `FAILED: ${result.findings.join('; ')}`} (${result.durationMs} ms)`);
			for (const reason of result.notRecorded) log(`restore drill: not recorded in the ${reason}`);
			onDrill?.(result);
		} catch (error) {
			// no backup yet is not a failed drill: the next interval tries again
			log(error instanceof BackupError ? `restore drill skipped: ${error.message}` : `restore drill could not run: ${errorMessage(error)}`);
		}
	};
	const schedule = (delay: number) => {
		if (stopped) return;
		const at = Date.now() + delay;
		next = at;
		const arm = () => {
			timer = setTimeout(() => {
				if (Date.now() < at - 1000) return arm();
				inFlight = once();
				void inFlight.then(() => schedule(intervalMs));
			}, Math.min(Math.max(0, at - Date.now()), maxTimer));
			timer.unref();
		};
		arm();
	};
	void lastDrill(config.backupDir).catch(() => undefined).then(last => {
		const age = last ? Date.now() - Date.parse(last.at) : Number.POSITIVE_INFINITY;
		schedule(age >= 0 && age < intervalMs ? intervalMs - age : 0);
	});
	return {
		nextAt: () => next,
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await inFlight;
		},
	};
}
