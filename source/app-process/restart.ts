// Restarting the app's process (`opsdeck app restart`, the tab's `S`) through the mutation guard:
// refused in read-only mode, audited, run only after the confirmation the caller asked for.
//   systemd:  systemctl restart UNIT        pm2:  pm2 restart NAME
//   pidfile:, port:  SIGTERM to the pid the operator confirmed (refused if it is no longer the one
//                    there), then wait for its supervisor to start a new one (a new pid in the file,
//                    a new listener on the port)
// Done when a new pid is up and listens on the ports the old one did; otherwise, after
// APP_RESTART_TIMEOUT, an error with the app's last log lines.
import {setTimeout as sleep} from 'node:timers/promises';
import type {Config} from '../config/config.js';
import {MutationRefusedError, runMutation} from '../mutations/registry.js';
import {lastLogLines} from './last-lines.js';
import {runCommand} from '../system/command.js';
import {notTheApps} from './pid-trust.js';
import {pm2DaemonRuns, pm2Error, pm2Home} from './pm2.js';
import {serviceText, type AppService} from './service.js';
import {appStatus, type AppProcessStatus} from './status.js';
import {systemctlError} from './systemd.js';
import {appWatch, type AppWatch} from './tracker.js';

export type RestartConfig = Pick<Config, 'readOnly' | 'auditLog' | 'appService' | 'appRestartTimeoutMs' | 'logFiles' | 'logUnit'>;

export type RestartOptions = {
	/** the pid the operator saw and confirmed (signals go to that one only) */
	readonly confirmedPid?: number | null;
	readonly env?: NodeJS.ProcessEnv;
	readonly watch?: AppWatch;
	readonly pollMs?: number;
};

export type RestartOutcome = {
	readonly before: number | null;
	readonly after: number;
	readonly ms: number;
	readonly status: AppProcessStatus;
};

/** No new pid in time, or the restart command failed: the message and the app's last log lines. */
export class RestartError extends Error {
	constructor(message: string, readonly lastLines: readonly string[]) {
		super(message);
		this.name = 'RestartError';
	}
}

/** What a restart will do, for the confirmation: "SIGTERM to pid 812 (from /run/chat.pid), then …". */
export function restartPlan(service: AppService, status: AppProcessStatus, timeoutMs: number): string {
	const pid = status.pid === null ? '' : ` (pid ${status.pid})`;
	const wait = `then wait up to ${Math.round(timeoutMs / 1000)} s`;
	switch (service.kind) {
		case 'systemd':
			return `systemctl restart ${service.unit}${pid}`;
		case 'pm2':
			return `pm2 restart ${service.name}${pid}`;
		case 'pidfile':
			if (status.notTheApps) return `nothing will be signalled: pid ${status.notTheApps.pid} from ${service.path} is not the app's (${status.notTheApps.reason}), so the restart will be refused`;
			return `SIGTERM to pid ${status.pid ?? '?'} (from ${service.path}), ${wait} for its supervisor to write a new pid there`;
		case 'port':
			return `SIGTERM to pid ${status.pid ?? '?'} (listening on port ${service.port}), ${wait} for a new process to listen there`;
	}
}


function signal(pid: number): void {
	try {
		process.kill(pid, 'SIGTERM');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ESRCH') return; // gone already: waiting for the new one is all there is to do
		if (code === 'EPERM') throw new Error(`not allowed to signal pid ${pid} (another user's process): run opsdeck as that user, or restart it through its supervisor`);
		throw error;
	}
}

async function refusal(pid: number, pidFile: string | undefined): Promise<{pid: number; reason: string} | undefined> {
	const reason = await notTheApps(pid, pidFile);
	return reason ? {pid, reason} : undefined;
}

export async function restartApp(config: RestartConfig, options: RestartOptions = {}): Promise<RestartOutcome> {
	const service = config.appService;
	if (!service) throw new Error('APP_SERVICE is not set: opsdeck does not know how the app is supervised');
	const env = options.env ?? process.env;
	const watch = options.watch ?? appWatch;
	const confirmed = options.confirmedPid;
	const target = `${serviceText(service)}${confirmed ? ` (pid ${confirmed})` : ''}`;
	return runMutation(config, {action: 'app-restart', target}, async () => {
		const started = performance.now();
		const before = await appStatus(service, {env, watch, fresh: true});
		const fail = async (message: string) => new RestartError(message, await lastLogLines(config, service, before));
		if (service.kind === 'pidfile' || service.kind === 'port') {
			// a pid that is not the app's (pid 1, opsdeck or its ancestors, another user's): refused, nothing signalled
			const refused = before.notTheApps ?? (before.pid === null ? undefined : await refusal(before.pid, service.kind === 'pidfile' ? service.path : undefined));
			if (refused) throw new MutationRefusedError(`refusing to signal pid ${refused.pid}: not the app's (${refused.reason}); nothing was signalled`);
			if (before.pid === null) throw await fail(`no running process to restart: ${before.detail}${before.error ? ` ${before.error}` : ''}`);
			if (confirmed !== undefined && confirmed !== null && before.pid !== confirmed) throw new MutationRefusedError(`pid ${confirmed} is no longer the app's (now ${before.pid}): nothing was signalled`);
			signal(before.pid);
		} else {
			try {
				if (service.kind === 'pm2') {
					// `pm2 restart` would start a daemon of its own first
					if (!(await pm2DaemonRuns(env))) throw new Error(`PM2 is not running (PM2_HOME ${pm2Home(env)}): nothing to restart`);
					const result = await runCommand('pm2', ['restart', service.name], {env, timeoutMs: 60_000});
					if (result.code !== 0) throw pm2Error(`restart ${service.name}`, result);
				} else {
					const result = await runCommand('systemctl', ['restart', '--', service.unit], {env, timeoutMs: 120_000});
					if (result.code !== 0) throw systemctlError(`restart ${service.unit}`, result);
				}
			} catch (error) {
				throw error instanceof RestartError ? error : await fail((error as Error).message);
			}
		}
		const deadline = Date.now() + config.appRestartTimeoutMs;
		let now = before;
		while (Date.now() < deadline) {
			await sleep(options.pollMs ?? 200);
			now = await appStatus(service, {env, watch, fresh: true});
			// back when a new pid runs and listens where the old one did
			const listening = before.ports.every(port => now.ports.includes(port));
			if (now.state === 'up' && now.pid !== null && now.pid !== before.pid && listening) {
				return {before: before.pid, after: now.pid, ms: Math.round(performance.now() - started), status: now};
			}
		}
		const deaf = now.state === 'up' && now.pid !== before.pid ? `pid ${now.pid} runs but does not listen on ${before.ports.filter(port => !now.ports.includes(port)).join(', ')}` : undefined;
		const seen = deaf ?? (now.pid === before.pid && now.pid !== null ? `pid ${now.pid} is still running` : now.detail);
		throw await fail(`no new pid within ${Math.round(config.appRestartTimeoutMs / 1000)} s: ${seen}`);
	});
}
