// opsdeck status --all-profiles [--json]: one line per environment of the config file (verdict,
// PostgreSQL and Redis latency, the newest backup's age), checked in parallel; the exit code is the
// worst of them (0 healthy, 1 degraded, 2 unhealthy or an invalid profile).
import {checkProfiles, worstExitCode} from '../health/all-profiles.js';
import {noProfilesText} from '../config/profiles.js';
import {loadConfig} from '../config/config.js';
import {overviewLines} from '../text/profile-text.js';
import {print, printJson, UsageError, type CommandContext} from './shared.js';

export async function allProfiles(ctx: CommandContext): Promise<number> {
	const {config} = ctx;
	if (ctx.flags.profile !== undefined) throw new UsageError('status takes --all-profiles or --profile NAME, not both');
	if (config.profileNames.length === 0) throw new UsageError(`--all-profiles: ${noProfilesText(config.configFile)}`);
	const rows = await checkProfiles(config.profileNames, name => loadConfig({flags: ctx.flags, profile: name}));
	const code = worstExitCode(rows);
	if (ctx.flags.json) {
		const verdict = code === 0 ? 'healthy' : code === 1 ? 'degraded' : 'unhealthy';
		printJson(ctx, {verdict, exitCode: code, profiles: rows});
	} else {
		for (const line of overviewLines(rows)) print(ctx, line);
	}
	return code;
}
