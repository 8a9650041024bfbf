// What every entry of the program shares once its command line is read (cli.tsx, the whole program;
// lean.ts, the lean scripts of `logs` and `keys`): the password flags hidden, the config loaded, one
// command run with its errors turned into exit codes, and the process's own set-up and end. One code
// for both, so a lean script's output, errors and exit codes are the main script's.
import type {Backends} from '../backends/index.js';
import {ConfigError, loadConfig, type Config} from '../config/config.js';
import type {Flags} from './flags.js';
import {isCommand} from '../commands/help.js';
import {plainArgv} from './plain-argv.js';
import {CommandError, UsageError, type CommandContext} from '../commands/shared.js';
import {settleWorkers} from '../system/live-workers.js';
import {AuditError, ReadOnlyError} from '../mutations/registry.js';
import {errorMessage, registerUrlSecrets, urlSecrets} from '../text/mask.js';
import {writeError} from '../text/out.js';
import {libraryWarning} from '../text/library-warning.js';

export type CommandModule = {readonly run: (ctx: CommandContext) => Promise<number>};

export type Parsed = {flags: Flags; command: string | undefined; args: string[]};

export function fail(message: string, code: number): number {
	// an argument, a config value or a server's error text: all go through the one writer
	writeError(process.stderr, message);
	return code;
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
export const lean: ReadonlySet<string> = new Set(['logs']);

/**
 * Commands whose plain lines are read without meow: the lean ones, and `keys` (bench P1), which
 * needs the backends. These have scripts of their own too (opsdeck.logs.js, opsdeck.keys.js, built
 * from lean.ts by scripts/bundle.mjs), which run such a line without the rest of the program.
 */
export const plainLines: ReadonlySet<string> = new Set([...lean, 'keys']);

/** meow's flags as opsdeck reads them */
export function flagsOf(raw: unknown): Flags {
	// meow types a flag with choices as string; readArgv has refused every value outside them
	// `--no-color` reaches meow's parser as the negation of `color` (color: false): noColor it is
	return {...(raw as Flags), ...((raw as {color?: boolean}).color === false ? {noColor: true} : {})} as Flags;
}

/** A plain line of one of plainLines (plain-argv.ts), read as meow would; undefined: meow reads it */
export function plainLine(argv: readonly string[]): Parsed | undefined {
	const plain = plainArgv(argv, plainLines);
	if (!plain) return undefined;
	// as meow names the process (package.json's bin): `ps` shows opsdeck, not the command line
	process.title = 'opsdeck';
	const [command, ...args] = plain.input;
	return {flags: flagsOf(plain.flags), command, args};
}

export type LineRunners = {
	/** the console (no command on the line) */
	readonly console: (config: Config, flags: Flags) => Promise<number>;
	/** a command's module */
	readonly load: (command: string) => Promise<CommandModule>;
	/** the backends' drivers (a lean script of a command using none bundles none) */
	readonly drivers: () => Promise<Drivers>;
};

type Drivers = typeof import('../backends/index.js');

/** A read command line run: the config, then the console or one command. */
export async function runLine({flags, command, args}: Parsed, runners: LineRunners): Promise<number> {
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
		return runners.console(config, flags);
	}

	if (!isCommand(command)) {
		return fail(`unknown command "${command.slice(0, 40)}"; see opsdeck --help`, 2);
	}

	let module: CommandModule;
	try {
		module = await runners.load(command);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(`commands/${command}.js`)) {
			return fail(`the ${command} command is not available in this build`, 1);
		}
		throw error;
	}

	// the drivers' code is loaded only for a command that uses a backend
	const drivers = lean.has(command) ? undefined : await runners.drivers();
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

/** The process run: library warnings and a closed pipe handled, `main`'s code the exit code. */
export function runProcess(main: () => Promise<number>): void {
	// A library's own warning (ioredis: "[WARN] … does not require a password") is text from outside
	// too: through the one writer, as one `opsdeck:` line, never raw.
	console.warn = (...parts: unknown[]) => {
		writeError(process.stderr, libraryWarning(parts.map(String).join(' ')));
	};

	// `| head` closing the pipe is not an error. Any other failure to write stdout (a full disk:
	// ENOSPC, EIO) is: said on stderr in one line, exit 1 at once. (It was swallowed: `keys >
	// /dev/full` exited 0 having written nothing, `keys --json` waited for ever for a 'drain' that
	// never comes; exiting also stops a scan that nothing can be written from.)
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
		const reason = error.code && !error.message.startsWith(error.code) ? `${error.code}: ${error.message}` : error.message;
		process.exit(fail(`cannot write the output: ${reason}`, 1));
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
}
