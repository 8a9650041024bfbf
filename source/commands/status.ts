// opsdeck status [--json]: the health of every backend. Exit 0 healthy, 1 degraded, 2 unhealthy.
import {startBackends} from '../backends/index.js';
import {checkHealth, verdictExitCode} from '../health/health.js';
import {allProfiles} from './status-profiles.js';
import {componentLines} from '../text/health-text.js';
import {sanitize} from '../text/sanitize.js';
import {print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 0) throw new UsageError(`status takes no arguments (got "${sanitize(ctx.args[0]!).slice(0, 40)}")`);
	if (ctx.flags.allProfiles) return allProfiles(ctx);
	await startBackends(ctx.backends);
	const report = await checkHealth(ctx.backends);
	// the environment checked, as the console's banner names it: a profile's name and read-only
	const {profile, readOnly} = ctx.config;
	if (ctx.flags.json) {
		// (added after the report's keys: null without a profile)
		printJson(ctx, {...report, profile: profile ? {name: profile.name, description: profile.description ?? null, readOnly} : null});
	} else {
		const lines = componentLines(report);
		const width = Math.max(...lines.map(l => l.name.length));
		if (profile) print(ctx, `${'profile'.padEnd(width)}  ${sanitize([profile.name, readOnly ? 'read-only' : '', profile.description ?? ''].filter(Boolean).join('  '))}`);
		// (a drill's state is its own word: passed, FAILED, overdue)
		const stateWidth = Math.max(4, ...lines.map(l => (l.label ?? l.state).length));
		for (const line of lines) print(ctx, `${line.name.padEnd(width)}  ${(line.label ?? line.state).padEnd(stateWidth)}  ${line.text}`);
		// the verdict with its first reason, then any further reasons, one a line
		const [first, ...more] = report.reasons;
		print(ctx, `${'verdict'.padEnd(width)}  ${report.verdict}${first ? `: ${sanitize(first.message)}` : ''}`);
		for (const reason of more) print(ctx, `${''.padEnd(width)}  ${sanitize(`${reason.level}: ${reason.message}`)}`);
	}
	return verdictExitCode(report.verdict);
}
