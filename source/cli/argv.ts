// One pass over the command line, before meow, the config or any backend, reading it the way meow's
// parser (yargs-parser) will: what it asks for (help, the version) and the first thing wrong on it.
//   - `--help`/`-h` anywhere before `--`, `opsdeck help [COMMAND]`, `--version`/`-v` are answered
//     from the command line alone: asking for help never runs the command (issue 13, case 2), a bad
//     flag or a bad config beside it does not matter.
//   - Every option exactly as flags.ts spells it: meow camel-cases what it is given, so `--READ-ONLY`
//     or `--All` arrived as some other name and were dropped while `flush --yes` went ahead; a
//     switch given a value other than true/false (`--read-only=1` was read as false); a value flag
//     with no value; a value outside a flag's `choices` (one line here instead of meow's two); a
//     value flag given twice (`--grep a --grep b`: meow's "can only be set once", exit 1).
// After `--` every word is data.
import {flagSpec, kebab, type Flags} from './flags.js';
import {commandFlags, globalFlags, isCommand} from '../commands/help.js';
import {quote} from '../text/sanitize.js';

export type EarlyRequest = {readonly kind: 'help'; readonly command?: string} | {readonly kind: 'version'};

export type ArgvReading = {
	/** help or the version, asked for anywhere on the line: answered before anything else */
	readonly request?: EarlyRequest;
	/** the first thing wrong on the line, as the one line to print (exit 2) */
	readonly problem?: string;
};

type Spec = {readonly name: string; readonly type: 'string' | 'boolean'; readonly shortFlag?: string; readonly choices?: readonly string[]};

const specs: Spec[] = Object.entries(flagSpec).map(([name, spec]) => ({name, ...spec}));
const long = new Map(specs.map(spec => [kebab(spec.name), spec]));
const short = new Map(specs.filter(spec => spec.shortFlag).map(spec => [spec.shortFlag!, spec]));

// yargs-parser's: a negative number is a value, not an option
const negative = /^-(\d+(\.\d+)?|\.\d+)$/;

/** Whether the parser takes `next` as the value of a value flag written without `=`. */
const takesNext = (next: string | undefined): next is string => next !== undefined && (!next.startsWith('-') || negative.test(next));

/**
 * A value flag followed by a word like `-5m` (not a number, so the parser reads it as options: `unknown
 * option -5`): what the operator meant is clear enough to say so.
 */
function dashedValue(spec: Spec, next: string | undefined): string | undefined {
	if (next === undefined || !/^-\d/.test(next) || negative.test(next)) return undefined;
	const shown = quote(next.slice(0, 40));
	return spec.name === 'since'
		? `--since takes a duration like 5m or a time; ${shown} is neither (a duration already counts back: --since 5m is the last 5 minutes)`
		: `--${kebab(spec.name)} takes a value; ${shown} starts with - and is read as options`;
}

/** Whether the parser takes `next` as a switch's value (`--yes false`). */
const switchValue = (next: string | undefined) => next === 'true' || next === 'false';

function choiceText(flag: string, choices: readonly string[], value: string): string {
	const allowed = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
	return `--${flag} must be ${allowed} (got ${quote(value.slice(0, 40))})`;
}

/**
 * An option of another command (`status --all`, `keys --yes`): meow would parse it and the command
 * ignore it, so the operator believes it did something. Each command takes its own options (as its
 * help lists them) and the global ones; the console (no command) the global ones.
 */
function misplaced(command: string | undefined, given: ReadonlyArray<{readonly written: string; readonly flag: string}>): string | undefined {
	if (command !== undefined && !isCommand(command)) return undefined; // `unknown command` says it
	const allowed = command === undefined ? globalFlags : commandFlags(command);
	const wrong = given.find(option => !allowed.has(option.flag));
	if (wrong === undefined) return undefined;
	return command === undefined
		? `the console does not take ${wrong.written}; see opsdeck --help`
		: `${command} does not take ${wrong.written}; see opsdeck ${command} --help`;
}

export function readArgv(argv: readonly string[]): ArgvReading {
	const words: string[] = [];
	let help = false;
	let version = false;
	// reported in this order: an option that does not exist or misused, a value flag without its
	// value (in flags.ts's order), a value outside the flag's choices
	let unknown: string | undefined;
	// every option given, as written and as its long name, to check against the command's own
	const options: Array<{readonly written: string; readonly flag: string}> = [];
	// (an unknown option's name is cut short in the message; dashedValue's own text, whose value it
	// already cuts, is not)
	let whole = false;
	const dashed = (spec: Spec, next: string | undefined) => {
		if (unknown !== undefined) return;
		unknown = dashedValue(spec, next);
		whole = unknown !== undefined;
	};
	const empty = new Set<string>();
	let choice: string | undefined;
	// how many times each value flag was given (meow refuses a second with its own words, exit 1)
	const times = new Map<string, number>();
	const value = (spec: Spec, given: string) => {
		times.set(spec.name, (times.get(spec.name) ?? 0) + 1);
		if (given === '') empty.add(spec.name);
		else if (spec.choices && !spec.choices.includes(given)) choice ??= choiceText(kebab(spec.name), spec.choices, given);
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--') break;
		if (arg.startsWith('--')) {
			const at = arg.indexOf('=');
			const name = at === -1 ? arg.slice(2) : arg.slice(2, at);
			const given = at === -1 ? undefined : arg.slice(at + 1);
			if (name === 'help') help = true;
			else if (name === 'version') version = true;
			const negated = name.startsWith('no-') && long.get(name.slice(3))?.type === 'boolean';
			const spec = long.get(name) ?? (negated ? long.get(name.slice(3)) : undefined);
			if (spec !== undefined) options.push({written: `--${name}`, flag: kebab(spec.name)});
			if (spec === undefined) {
				unknown ??= `unknown option --${name}`;
			} else if (spec.type === 'boolean') {
				if (given !== undefined && given !== 'true' && given !== 'false') unknown ??= `--${name} is a switch: give it alone (or =true/=false), not =${given}`;
				else if (given === undefined && !negated && switchValue(argv[i + 1])) i++;
			} else if (given !== undefined) {
				value(spec, given);
			} else if (takesNext(argv[i + 1])) {
				value(spec, argv[++i]!);
			} else {
				dashed(spec, argv[i + 1]);
				// `--limit` last, or before another option: the parser gives it ''
				value(spec, '');
			}
		} else if (arg.startsWith('-') && arg.length > 1) {
			// `-5` is a word to the help lookup, and no option of ours
			if (/^-\d/.test(arg)) words.push(arg);
			else {
				// the letters only, not a value glued to them (-n=5h)
				const head = arg.split('=')[0]!.replace(/\d.*$/, '');
				if (head.includes('h')) help = true;
				if (head.includes('v')) version = true;
			}
			const letters = [...arg.slice(1)];
			for (const [j, letter] of letters.entries()) {
				const spec = short.get(letter);
				if (spec === undefined) {
					unknown ??= `unknown option -${letter}`;
					break;
				}
				options.push({written: `-${letter}`, flag: kebab(spec.name)});
				// `-n50` and `-n=50`: the parser gives a value flag the number (or what follows =) glued to it
				const glued = arg.slice(j + 2);
				if (spec.type === 'string' && j < letters.length - 1 && (/^-?\d+(\.\d*)?(e-?\d+)?$/.test(glued) || glued.startsWith('='))) {
					value(spec, glued.startsWith('=') ? glued.slice(1) : glued);
					break;
				}
				// only the last letter of a group can take what follows
				if (j < letters.length - 1) continue;
				if (spec.type === 'string') {
					if (!takesNext(argv[i + 1])) dashed(spec, argv[i + 1]);
					value(spec, takesNext(argv[i + 1]) ? argv[++i]! : '');
				}
				else if (switchValue(argv[i + 1])) i++;
			}
		} else {
			words.push(arg);
		}
	}
	const request: EarlyRequest | undefined =
		words[0] === 'help' ? {kind: 'help', command: words[1]} : help ? {kind: 'help', command: words[0]} : version ? {kind: 'version'} : undefined;
	const missing = specs.find(spec => empty.has(spec.name));
	const twice = specs.find(spec => (times.get(spec.name) ?? 0) > 1);
	const repeated = twice && `--${kebab(twice.name)}${twice.shortFlag ? ` (-${twice.shortFlag})` : ''} is given ${times.get(twice.name)} times: give it once`;
	const problem = unknown !== undefined ? `${whole ? unknown : unknown.slice(0, 80)}; see opsdeck --help` : misplaced(words[0], options) ?? repeated ?? (missing ? `--${kebab(missing.name)} needs a value` : choice);
	return {request, problem};
}

/**
 * The console's flags without meow, for the plain lines a console is started with: no command, every
 * word a global long option spelled as flags.ts has it, given once, a switch alone, a value flag
 * with its value (`--sqlite FILE` or `--sqlite=FILE`; a value not starting with `-` or a quote).
 * Exactly what meow gives for such a line (test/cli/argv.test.ts compares the two): every switch
 * false unless given. undefined for any other line: meow reads it. Loading and running meow was
 * ~5% of the console's start (bench P5).
 */
export function consoleFlags(argv: readonly string[]): Flags | undefined {
	const flags: Record<string, string | boolean> = {};
	for (const spec of specs) if (spec.type === 'boolean') flags[spec.name] = false;
	const seen = new Set<string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (!arg.startsWith('--')) return undefined;
		const at = arg.indexOf('=');
		const name = at === -1 ? arg.slice(2) : arg.slice(2, at);
		const spec = long.get(name);
		if (spec === undefined || !globalFlags.has(name) || seen.has(name) || name === 'help' || name === 'version' || name === 'no-color') return undefined;
		seen.add(name);
		if (spec.type === 'boolean') {
			if (at !== -1 || switchValue(argv[i + 1])) return undefined;
			flags[spec.name] = true;
			continue;
		}
		const value = at === -1 ? argv[++i] : arg.slice(at + 1);
		if (value === undefined || value === '' || /^[-"']/.test(value) || (spec.choices && !spec.choices.includes(value))) return undefined;
		flags[spec.name] = value;
	}
	return flags as Flags;
}
