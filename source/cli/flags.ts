// Every command-line flag opsdeck knows, in one place: the argv pass (argv.ts) refuses any other,
// meow parses them, and the Flags type is inferred from this table (no hand-written copy).
// Commands read the ones they need from the parsed Flags.
import type {TypedFlags} from 'meow';
// (from where it is defined: cache/keys.js would load the Redis scan code into every start-up)
import {redisTypes} from '../backends/redis/scan.js';

/** A string flag limited to `choices`: refused otherwise (argv.ts, then meow), typed as their union. */
function oneOf<const C extends string>(...choices: C[]) {
	return {type: 'string', choices} as const;
}

export const flagSpec = {
	// backends and settings (config.ts)
	redisUrl: {type: 'string'},
	databaseUrl: {type: 'string'},
	sqlite: {type: 'string'},
	backupDir: {type: 'string'},
	interval: {type: 'string'},
	readOnly: {type: 'boolean'},
	appUrl: {type: 'string'},
	port: {type: 'string'},
	host: {type: 'string'},
	config: {type: 'string'},
	auditLog: {type: 'string'},
	// an environment of the config file (config/profiles.ts); status --all-profiles checks each
	profile: {type: 'string'},
	allProfiles: {type: 'boolean'},
	// --no-color (issue 20); meow reads it as color: false, cli.tsx hands it on as noColor
	noColor: {type: 'boolean'},
	// output and confirmation
	json: {type: 'boolean'},
	plain: {type: 'boolean'},
	yes: {type: 'boolean', shortFlag: 'y'},
	force: {type: 'boolean'},
	// command options
	all: {type: 'boolean'},
	type: oneOf(...redisTypes),
	limit: {type: 'string'},
	messages: {type: 'string'},
	reactions: {type: 'boolean'},
	compare: {type: 'boolean'},
	clear: {type: 'boolean'},
	integrity: {type: 'boolean'},
	manual: {type: 'boolean'},
	// off-site copies (issue 19): backup list --remote, restore/delete NAME --from REMOTE
	remote: {type: 'boolean'},
	from: {type: 'string'},
	// issue 19: prune --dry-run, drill [NAME|--newest] [--remote], sqlite check --relations
	dryRun: {type: 'boolean'},
	newest: {type: 'boolean'},
	relations: {type: 'boolean'},
	format: oneOf('csv', 'json'),
	output: {type: 'string'},
	traffic: {type: 'boolean'},
	chats: {type: 'string'},
	rate: {type: 'string'},
	seed: {type: 'string'},
	minDuration: {type: 'string'},
	// redis: memory's tree depth, biggest keys and MEMORY USAGE SAMPLES; slowlog --reset
	depth: {type: 'string'},
	top: {type: 'string'},
	samples: {type: 'string'},
	reset: {type: 'boolean'},
	// logs (issue 18): -n and -f as tail has them
	lines: {type: 'string', shortFlag: 'n'},
	follow: {type: 'boolean', shortFlag: 'f'},
	// logs --grep RE --count: the number of matching lines only (grep -c)
	count: {type: 'boolean'},
	grep: {type: 'string'},
	level: oneOf('error', 'warn'),
	since: {type: 'string'},
	version: {type: 'boolean', shortFlag: 'v'},
	help: {type: 'boolean', shortFlag: 'h'},
} as const;

/** `readOnly` → `read-only`: how a flag is spelled on the command line. */
export const kebab = (name: string) => name.replace(/[A-Z]/g, ch => `-${ch.toLowerCase()}`);

type Spec = typeof flagSpec;

/** meow's own type for a flag, narrowed to the union of its choices when it has some. */
type Value<K extends keyof Spec> = Spec[K] extends {readonly choices: ReadonlyArray<infer C>} ? C : NonNullable<TypedFlags<Spec>[K]>;

/** The parsed flags: each one absent unless given (none has a default). */
export type Flags = {[K in keyof Spec]?: Value<K>};
