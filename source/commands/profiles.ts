// opsdeck profiles [--json]: the environments the config file defines, each with its settings as
// they apply (the same flags and environment, that profile chosen): URLs masked by the one writer,
// names escaped. A profile with a bad value is listed with why, and the exit code is 2 (a config error).
import {noProfilesText} from '../config/profiles.js';
import {loadConfig, type Config} from '../config/config.js';
import {errorMessage} from '../text/mask.js';
import {listingLines, profileListing, type ProfileListing} from '../text/profile-text.js';
import {sanitize} from '../text/sanitize.js';
import {print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 0) throw new UsageError(`profiles takes no arguments (got "${sanitize(ctx.args[0]!).slice(0, 40)}")`);
	const {config} = ctx;
	const listings: ProfileListing[] = config.profileNames.map(name => {
		const current = config.profile?.name === name;
		let loaded: Config;
		try {
			loaded = current ? config : loadConfig({flags: ctx.flags, profile: name});
		} catch (error) {
			return profileListing(name, current, undefined, errorMessage(error));
		}
		return profileListing(name, current, loaded);
	});
	if (ctx.flags.json) {
		printJson(ctx, {configFile: config.configFile, current: config.profile?.name ?? null, profiles: listings});
	} else if (listings.length === 0) {
		print(ctx, noProfilesText(config.configFile));
	} else {
		print(ctx, `profiles in ${config.configFile}${config.profile ? '' : ' (none chosen: --profile NAME or OPSDECK_PROFILE)'}`);
		for (const listing of listings) for (const line of listingLines(listing)) print(ctx, line);
	}
	return listings.some(l => l.error) ? 2 : 0;
}
