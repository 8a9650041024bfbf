// The command line of the commands that must start fast (`logs`: P9, the first screen of a log in
// ~node's own start-up; `keys`: P1), parsed without meow. meow and the package-reading it does at load are most
// of what start-up loaded and evaluated above node itself; the console and the other commands still
// go through it (cli.tsx). This reads only the plain forms, each exactly as meow's parser
// (yargs-parser) reads it: `--name value`, `--name=value`, `--switch`, `-x value`, `-x`, `-n50`, and
// words. Anything else — `--`, `--no-…`, a switch given true/false, a flag given twice, grouped short
// flags, a value in quotes — returns undefined and meow reads the line as before
// (test/cli/plain-argv.test.ts holds every form against meow's own result).
// Run after readArgv (argv.ts): an unknown option, a missing value or one outside its choices has
// already been refused.
import {flagSpec, kebab, type Flags} from './flags.js';

export type PlainArgv = {readonly input: string[]; readonly flags: Flags};

type Spec = {readonly name: string; readonly type: 'string' | 'boolean'; readonly shortFlag?: string};

const specs: Spec[] = Object.entries(flagSpec).map(([name, spec]) => ({name, ...spec}));
const long = new Map(specs.map(spec => [kebab(spec.name), spec]));
const short = new Map(specs.filter(spec => spec.shortFlag).map(spec => [spec.shortFlag!, spec]));

// yargs-parser's: a negative number is a value, not an option
const negative = /^-(\d+(\.\d+)?|\.\d+)$/;

/** What meow gives for `argv` when its command (the first word) is one of `commands`; undefined otherwise or when the line is not plain. */
export function plainArgv(argv: readonly string[], commands: ReadonlySet<string>): PlainArgv | undefined {
	const input: string[] = [];
	// meow's booleanDefault: every switch not given is false
	const flags: Record<string, string | boolean> = {};
	for (const spec of specs) if (spec.type === 'boolean') flags[spec.name] = false;
	const given = new Set<string>();
	const set = (spec: Spec, value: string | boolean): boolean => {
		// a second time: the parser makes an array of it
		if (given.has(spec.name)) return false;
		given.add(spec.name);
		flags[spec.name] = value;
		return true;
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg.startsWith('--')) {
			if (arg === '--' || arg.startsWith('---') || arg.startsWith('--no-')) return undefined;
			const at = arg.indexOf('=');
			const spec = long.get(at === -1 ? arg.slice(2) : arg.slice(2, at));
			if (spec === undefined) return undefined;
			if (spec.type === 'boolean') {
				if (at !== -1 || /^(true|false)$/.test(argv[i + 1] ?? '')) return undefined;
				if (!set(spec, true)) return undefined;
				continue;
			}
			let value: string;
			if (at !== -1) {
				value = arg.slice(at + 1);
				// after `=` the parser takes one pair of quotes off
				if (value.startsWith('"') || value.startsWith("'")) return undefined;
			} else {
				const next = argv[i + 1];
				if (next === undefined || (next.startsWith('-') && !negative.test(next))) return undefined;
				value = next;
				i++;
			}
			if (!set(spec, value)) return undefined;
		} else if (arg.startsWith('-') && arg.length > 1) {
			if (negative.test(arg)) return undefined;
			const spec = short.get(arg[1]!);
			if (spec === undefined) return undefined;
			if (arg.length > 2) {
				// only `-n50`: a value flag with digits glued to it
				if (spec.type !== 'string' || !/^\d+$/.test(arg.slice(2))) return undefined;
				if (!set(spec, arg.slice(2))) return undefined;
				continue;
			}
			const next = argv[i + 1];
			if (spec.type === 'boolean') {
				if (/^(true|false)$/.test(next ?? '')) return undefined;
				if (!set(spec, true)) return undefined;
				continue;
			}
			if (next === undefined || next.startsWith('-')) return undefined;
			if (!set(spec, next)) return undefined;
			i++;
		} else {
			input.push(arg);
		}
	}
	if (input[0] === undefined || !commands.has(input[0])) return undefined;
	return {input, flags: flags as Flags};
}
