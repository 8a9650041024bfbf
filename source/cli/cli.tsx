// meow: the help text and flags (the console's and the lean commands' plain lines without it); then
// either one one-shot command or the console.
import type {Backends} from '../backends/index.js';
import {ConfigError, loadConfig} from '../config/config.js';
import {flagSpec, type Flags} from './flags.js';
import {commandHelpText, generalHelp, isCommand, packageVersion} from '../commands/help.js';
import {consoleFlags, readArgv, type EarlyRequest} from './argv.js';
import {plainArgv} from './plain-argv.js';
import {CommandError, UsageError, type CommandContext} from '../commands/shared.js';
import {settleWorkers} from '../system/live-workers.js';
import {AuditError, ReadOnlyError} from '../mutations/registry.js';
import {errorMessage, registerUrlSecrets, urlSecrets} from '../text/mask.js';
import {writeError} from '../text/out.js';
import {libraryWarning} from '../text/library-warning.js';

type CommandModule = {readonly run: (ctx: CommandContext) => Promise<number>};

function fail(message: string, code: number): number {
	// an argument, a config value or a server's error text: all go through the one writer
	writeError(process.stderr, message);
	return code;
}

/**
 * `--help`/`-h` anywhere, `opsdeck help [COMMAND]`, `--version`/`-v`: answered from the command
 * line alone, before meow, the config or any backend (issue 13, case 2). undefined: not asked.
 */
function answerEarly(request: EarlyRequest | undefined): number | undefined {
	if (!request) return undefined;
	if (request.kind === 'version') {
		process.stdout.write(`${packageVersion()}\n`);
		return 0;
	}
	if (request.command === undefined || request.command === 'help') {
		process.stdout.write(generalHelp());
		return 0;
	}
	if (!isCommand(request.command)) return fail(`unknown command "${request.command.slice(0, 40)}"; see opsdeck --help`, 2);
	process.stdout.write(commandHelpText(request.command));
	return 0;
}

/**
 * A password given as --redis-url or --database-url sits in argv, which `ps` shows to every user
 * of the box: registered for masking, the process renamed at once (process.title overwrites argv,
 * so `ps` stops showing it), and a one-line hint to use the environment or the config file
 * (issue 14, point 4).
 */
function hidePasswordFlags(flags: Flags, command: string | undefined): void {
	const given = [
		['--redis-url', flags.redisUrl, 'REDIS_URL'],
		['--database-url', flags.databaseUrl, 'DATABASE_URL'],
	].filter(([, url]) => url !== undefined && urlSecrets(url).length > 0);
	if (given.length === 0) return;
	for (const [, url] of given) registerUrlSecrets(url);
	process.title = command && isCommand(command) ? `opsdeck ${command}` : 'opsdeck';
	const names = given.map(([flag]) => flag).join(' and ');
	const env = given.map(([, , name]) => name).join(' or ');
	process.stderr.write(`opsdeck: ${names} ${given.length > 1 ? 'hold passwords' : 'holds a password'}, which ps shows to other users until opsdeck renames itself: put it in ${env} (the environment or .env) or in the config file instead\n`);
}

/**
 * Commands that start lean (`logs`, P9: the first screen of a log in about node's own start-up):
 * their plain command lines are read without loading meow, and they use no backend, so the drivers'
 * code is not loaded either. meow was most of what start-up loaded and ran above node itself.
 */
const lean: ReadonlySet<string> = new Set(['logs']);

/** Commands whose plain lines are read without meow: the lean ones, and `keys` (bench P1), which needs the backends. */
const plainLines: ReadonlySet<string> = new Set([...lean, 'keys']);

/** The console's plain command line, read without meow (argv.ts): no command, no arguments. */
function consoleFlagsOf(argv: readonly string[]): Parsed | undefined {
	const flags = consoleFlags(argv);
	return flags && {flags, command: undefined, args: []};
}

type Parsed = {flags: Flags; command: string | undefined; args: string[]};

/** meow's flags as opsdeck reads them */
function flagsOf(raw: unknown): Flags {
	// meow types a flag with choices as string; readArgv has refused every value outside them
	// `--no-color` reaches meow's parser as the negation of `color` (color: false): noColor it is
	return {...(raw as Flags), ...((raw as {color?: boolean}).color === false ? {noColor: true} : {})} as Flags;
}

/** A plain line of one of plainLines (plain-argv.ts), read as meow would; undefined: meow reads it */
function plainLine(argv: readonly string[]): Parsed | undefined {
	const plain = plainArgv(argv, plainLines);
	if (!plain) return undefined;
	// as meow names the process (package.json's bin): `ps` shows opsdeck, not the command line
	process.title = 'opsdeck';
	const [command, ...args] = plain.input;
	return {flags: flagsOf(plain.flags), command, args};
}

/** Any other line: meow's parser (loaded only then). */
async function parsedByMeow(): Promise<Parsed> {
	const {default: meow} = await import('meow');
	const cli = meow(generalHelp(), {
		importMeta: import.meta,
		flags: flagSpec,
		// checked by readArgv, so the operator gets one line instead of meow's two
		allowUnknownFlags: true,
		// answered by answerEarly: meow's own only sees a lone --help and would run `flush --help --yes`
		autoHelp: false,
		autoVersion: false,
	});
	const [command, ...args] = cli.input;
	return {flags: flagsOf(cli.flags), command, args};
}

async function main(): Promise<number> {
	const line = readArgv(process.argv.slice(2));
	const early = answerEarly(line.request);
	if (early !== undefined) return early;
	if (line.problem !== undefined) return fail(line.problem, 2);
	const argv = process.argv.slice(2);
	const {flags, command, args} = consoleFlagsOf(argv) ?? plainLine(argv) ?? (await parsedByMeow());
	hidePasswordFlags(flags, command);

	let config;
	try {
		config = loadConfig({flags});
	} catch (error) {
		if (error instanceof ConfigError) return fail(error.message, 2);
		throw error;
	}
	// a flag beats the profile: said, so a "prod" banner is not taken for prod's Redis when it is not
	if (config.profile && config.profileShadowed.length > 0) {
		writeError(process.stderr, `${config.profileShadowed.join(' and ')} on the command line override${config.profileShadowed.length > 1 ? '' : 's'} what profile "${config.profile.name}" sets`);
	}

	if (command === undefined) {
		if (!process.stdin.isTTY || !process.stdout.isTTY) {
			return fail('the console needs a terminal; try `opsdeck status`', 2);
		}
		const [{runConsole}, {createBackends}] = await Promise.all([import('../console/run-console.js'), import('../backends/index.js')]);
		// P: another profile, with the same flags and environment
		return runConsole(createBackends(config), name => loadConfig({flags, profile: name}));
	}

	if (!isCommand(command)) {
		return fail(`unknown command "${command.slice(0, 40)}"; see opsdeck --help`, 2);
	}

	let module: CommandModule;
	try {
		module = (await import(`../commands/${command}.js`)) as CommandModule;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(`commands/${command}.js`)) {
			return fail(`the ${command} command is not available in this build`, 1);
		}
		throw error;
	}

	// the drivers' code is loaded only for a command that uses a backend
	const drivers = lean.has(command) ? undefined : await import('../backends/index.js');
	// (a lean command's run never reads ctx.backends)
	const backends = drivers?.createBackends(config) as Backends;
	try {
		// stdin made only when a command reads it (a y/N question): ~1 ms of every start-up otherwise
		return await module.run({args, flags, config, backends, get stdin() { return process.stdin; }, stdout: process.stdout, stderr: process.stderr});
	} catch (error) {
		// a URL naming a db the server refuses is the operator's to fix, like bad usage (issue 13)
		if (error instanceof UsageError || error instanceof ReadOnlyError || (drivers && error instanceof drivers.WrongTargetError) || error instanceof AuditError) return fail(errorMessage(error), 2);
		if (error instanceof CommandError || (drivers && error instanceof drivers.BackendDownError)) return fail(errorMessage(error), 1);
		if (process.env.OPSDECK_DEBUG) process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		return fail(errorMessage(error), 1);
	} finally {
		if (drivers) await drivers.closeBackends(backends);
	}
}

// A library's own warning (ioredis: "[WARN] … does not require a password") is text from outside
// too: through the one writer, as one `opsdeck:` line, never raw.
console.warn = (...parts: unknown[]) => {
	writeError(process.stderr, libraryWarning(parts.map(String).join(' ')));
};

// `| head` closing the pipe is not an error.
process.stdout.on('error', error => {
	if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

// (no top-level await: the bundle is one CommonJS script, scripts/bundle.mjs)
void (async () => {
	try {
		process.exitCode = await main();
	} catch (error) {
		process.exitCode = fail(errorMessage(error), 1);
	}
	// Anything still holding the event loop (a socket being torn down) must not keep a script waiting;
	// but a backup worker still inside better-sqlite3 (the console quit mid-backup) finishes first:
	// exiting under it aborts the process.
	await settleWorkers(10_000);
	setTimeout(() => process.exit(), 2000).unref();
})();
