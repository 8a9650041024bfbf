// The health of every environment (profile) of the config file, side by side: `opsdeck status
// --all-profiles` and the Status tab's overview (a) call checkProfiles. Each profile gets its own
// backends for the check (the one on screen may lend its own), probed in parallel and closed after.
// A profile whose settings are wrong is a row too (invalid), never a crash of the whole list.
import {closeBackends, createBackends, startBackends, type Backends} from '../backends/index.js';
import type {Config} from '../config/config.js';
import {errorMessage} from '../text/mask.js';
import {checkHealth, verdictExitCode, type HealthReport, type Verdict} from './health.js';

export type ProfileVerdict = Verdict | 'invalid';

export type ProfileHealth = {
	readonly name: string;
	/** the banner's colour (gray for an invalid profile) */
	readonly colour: string;
	readonly readOnly: boolean;
	/** the profile the console (or --profile) is on */
	readonly current: boolean;
	readonly verdict: ProfileVerdict;
	/** the first reason of the verdict, or why the profile is invalid */
	readonly reason: string | undefined;
	readonly postgres: {readonly state: string; readonly latencyMs: number | null} | null;
	readonly redis: {readonly state: string; readonly latencyMs: number | null} | null;
	/** the newest backup's age (null: none yet, or invalid) */
	readonly backupAgeMs: number | null;
	readonly backups: number | null;
};

/** How loadConfig is asked for one profile (cli.tsx: the same flags and environment). */
export type ProfileLoader = (name: string) => Config;

function row(name: string, config: Config, current: boolean, report: HealthReport): ProfileHealth {
	return {
		name,
		colour: config.profile?.colour ?? 'yellow',
		readOnly: config.readOnly,
		current,
		verdict: report.verdict,
		reason: report.reasons[0]?.message,
		postgres: {state: report.postgres.state, latencyMs: report.postgres.latencyMs},
		redis: {state: report.redis.state, latencyMs: report.redis.latencyMs},
		backupAgeMs: report.backups.newestAgeMs,
		backups: report.backups.count,
	};
}

function invalid(name: string, current: boolean, error: unknown): ProfileHealth {
	return {name, colour: 'gray', readOnly: false, current, verdict: 'invalid', reason: errorMessage(error), postgres: null, redis: null, backupAgeMs: null, backups: null};
}

export type CheckProfilesOptions = {
	/** the backends of the profile on screen: checked as they are, not opened a second time */
	readonly current?: Backends;
	readonly timeoutMs?: number;
};

/** One row per profile, in the file's order; never throws. */
export async function checkProfiles(names: readonly string[], load: ProfileLoader, options: CheckProfilesOptions = {}): Promise<ProfileHealth[]> {
	const currentName = options.current?.config.profile?.name;
	return Promise.all(names.map(async name => {
		const current = name === currentName;
		if (current && options.current) return row(name, options.current.config, true, await checkHealth(options.current, {timeoutMs: options.timeoutMs}));
		let config: Config;
		try {
			config = load(name);
		} catch (error) {
			return invalid(name, current, error);
		}
		const backends = createBackends(config);
		try {
			await startBackends(backends);
			return row(name, config, current, await checkHealth(backends, {timeoutMs: options.timeoutMs}));
		} catch (error) {
			return invalid(name, current, error);
		} finally {
			await closeBackends(backends);
		}
	}));
}

/** The worst exit code of the rows: status's own (0 healthy, 1 degraded, 2 unhealthy), 2 for an invalid profile. */
export function worstExitCode(rows: readonly ProfileHealth[]): number {
	return Math.max(0, ...rows.map(r => (r.verdict === 'invalid' ? 2 : verdictExitCode(r.verdict))));
}
