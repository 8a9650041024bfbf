// The lean scripts (build/bundle/opsdeck.logs.js, opsdeck.keys.js; scripts/bundle.mjs): a plain line
// of one command run without the rest of the program (Ink, React, the console, the AWS SDK, meow,
// the other commands), whose reading and code cache were most of `logs`'s start-up (bench P9).
// bin.js picks such a script when the line names its command; the script takes the line only when
// the main script would read it the same way: no help or version asked, nothing wrong on it, the
// plain form plain-argv.ts reads (meow's result without meow) with this command first. For any other
// line it declines, before doing anything, and bin.js runs the main script (cli.tsx) instead. From
// there both run the same code (run-line.ts).
import {consoleFlags, readArgv} from './argv.js';
import {plainLine, runLine, runProcess, type CommandModule, type LineRunners} from './run-line.js';

/** Runs the line if it is a plain line of `command`; false (nothing done): the main script's to run. */
export function leanStart(command: string, module: CommandModule, drivers: LineRunners['drivers']): boolean {
	const argv = process.argv.slice(2);
	const line = readArgv(argv);
	if (line.request !== undefined || line.problem !== undefined || consoleFlags(argv) !== undefined) return false;
	const parsed = plainLine(argv);
	if (parsed?.command !== command) return false;
	runProcess(async () => runLine(parsed, {
		console: () => {
			throw new Error('a lean script runs no console');
		},
		load: async () => module,
		drivers,
	}));
	return true;
}
