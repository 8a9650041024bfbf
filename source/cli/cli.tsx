// meow: the help text and flags (the console's and the lean commands' plain lines without it); then
// either one one-shot command or the console (run-line.ts, shared with the lean scripts' lean.ts).
import {flagSpec} from './flags.js';
import {commandHelpText, generalHelp, isCommand, packageVersion} from '../commands/help.js';
import {consoleFlags, readArgv, type EarlyRequest} from './argv.js';
import {loadConfig} from '../config/config.js';
import {fail, flagsOf, plainLine, runLine, runProcess, type CommandModule, type Parsed} from './run-line.js';

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

/** The console's plain command line, read without meow (argv.ts): no command, no arguments. */
function consoleFlagsOf(argv: readonly string[]): Parsed | undefined {
	const flags = consoleFlags(argv);
	return flags && {flags, command: undefined, args: []};
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
	const parsed = consoleFlagsOf(argv) ?? plainLine(argv) ?? (await parsedByMeow());
	return runLine(parsed, {
		async console(config, flags) {
			const [{runConsole}, {createBackends}] = await Promise.all([import('../console/run-console.js'), import('../backends/index.js')]);
			// P: another profile, with the same flags and environment
			return runConsole(createBackends(config), name => loadConfig({flags, profile: name}));
		},
		load: async command => (await import(`../commands/${command}.js`)) as CommandModule,
		drivers: async () => import('../backends/index.js'),
	});
}

runProcess(main);
