// opsdeck app status [--json] | restart [--yes] [--json]: the app's own process (APP_SERVICE).
// status: exit 0 when it is up, 1 when it is down or cannot be told. restart: asks y/N on a
// terminal (--yes without one), refused in read-only mode, audited; exit 0 with the new pid, or 1
// with the error and the app's last log lines.
import {restartApp, RestartError, restartPlan} from '../app-process/restart.js';
import {serviceText} from '../app-process/service.js';
import {appStatus} from '../app-process/status.js';
import {MutationRefusedError, refuseReadOnly} from '../mutations/registry.js';
import {appStatusLines, logTail} from '../text/app-text.js';
import {formatDuration} from '../text/format.js';
import {writeText} from '../text/out.js';
import {sanitize} from '../text/sanitize.js';
import {confirm, print, printJson, UsageError, warn, type CommandContext} from './shared.js';

const usage = 'usage: opsdeck app status [--json] | restart [--yes]';

export async function run(ctx: CommandContext): Promise<number> {
	const [sub, ...rest] = ctx.args;
	if ((sub !== 'status' && sub !== 'restart') || rest.length > 0) {
		throw new UsageError(`${usage}${sub ? ` (got "${sanitize(ctx.args.join(' ')).slice(0, 40)}")` : ''}`);
	}
	const service = ctx.config.appService;
	if (!service) throw new UsageError('APP_SERVICE is not set: set it to systemd:UNIT, pm2:NAME, pidfile:PATH or port:N');
	const json = ctx.flags.json === true;

	if (sub === 'status') {
		// a quarter second of CPU time measured: a one-shot command has no earlier look
		const status = await appStatus(service, {sampleMs: 250});
		if (json) printJson(ctx, status);
		else for (const line of appStatusLines(status, {sinceStart: false})) print(ctx, line);
		return status.state === 'up' ? 0 : 1;
	}

	const target = serviceText(service);
	// refused (and audited) before anything is looked at or asked; restartApp refuses again itself
	refuseReadOnly(ctx.config, {action: 'app-restart', target});
	const before = await appStatus(service);
	const plan = restartPlan(service, before, ctx.config.appRestartTimeoutMs);
	await confirm(ctx, {action: 'app-restart', target: `${target}${before.pid === null ? '' : ` (pid ${before.pid})`}`}, `${plan}. Restart?`);
	try {
		const outcome = await restartApp(ctx.config, {confirmedPid: before.pid});
		if (json) printJson(ctx, {service: target, restarted: true, before: outcome.before, after: outcome.after, ms: outcome.ms, status: outcome.status});
		else print(ctx, `restarted ${sanitize(target)}: pid ${outcome.before ?? '-'} → ${outcome.after} (${formatDuration(outcome.ms)})`);
		return 0;
	} catch (error) {
		// refused by the guard (a pid that is not the app's, or no longer the one confirmed): audited as refused, exit 2
		if (error instanceof MutationRefusedError) throw new UsageError(error.message);
		if (!(error instanceof RestartError)) throw error;
		if (json) printJson(ctx, {service: target, restarted: false, error: error.message, lastLines: error.lastLines});
		else {
			warn(ctx, `restart of ${target} failed: ${error.message}`);
			if (error.lastLines.length > 0) writeText(ctx.stderr, `its last log lines:\n${logTail(error.lastLines).join('\n')}\n`);
		}
		return 1;
	}
}
