// The command line of `opsdeck keys`, read without meow when it is plain, as argv.ts's consoleFlags
// reads the console's (bench P1: running meow and its dependencies — yargs-parser,
// normalize-package-data with its license lists — was ~35-45 ms of CPU in the ES module bundle, as
// much as Node's own start, for a command that lists keys in under a second). Plain: long
// options only, each spelled as flags.ts has it, given once, `--name value`, `--name=value` or a
// switch alone or `=true`/`=false`, and words that cannot be read as numbers. Anything else
// (a short option, `--no-…`, `--`, a repeated option, a switch followed by true/false, a value
// starting with `-`, a word like `12`) is meow's, as before. The result is what meow gives for the
// same line (test/cli/plain-argv.test.ts compares them): every switch false unless given, each
// value flag present only when given, as the string typed.
import {flagSpec, kebab, type Flags} from './flags.js';

export type PlainCommandLine = {readonly input: string[]; readonly flags: Flags};

/** Commands whose plain command lines are read here. */
const plainCommands = new Set(['keys']);

const specs = flagSpec as Record<string, {readonly type: 'string' | 'boolean'}>;

// what yargs-parser would turn into a number
const numberLike = /^\s*[-+]?(0x[0-9a-f]+|\d|\.\d)/i;

/** The words and flags of a plain command line of a command read here; undefined: meow reads it. */
export function plainCommandLine(argv: readonly string[]): PlainCommandLine | undefined {
	if (!plainCommands.has(argv[0] ?? '')) return undefined;
	const flags: Record<string, string | boolean> = {};
	for (const [name, spec] of Object.entries(specs)) if (spec.type === 'boolean') flags[name] = false;
	const given = new Set<string>();
	const input: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (!arg.startsWith('-')) {
			if (numberLike.test(arg) || arg === '') return undefined;
			input.push(arg);
			continue;
		}
		if (!arg.startsWith('--') || arg === '--' || arg.startsWith('--no-')) return undefined;
		const at = arg.indexOf('=');
		const spelled = at === -1 ? arg.slice(2) : arg.slice(2, at);
		const name = spelled.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
		const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
		if (spec === undefined || kebab(name) !== spelled || given.has(name)) return undefined;
		given.add(name);
		if (spec.type === 'boolean') {
			const value = at === -1 ? 'true' : arg.slice(at + 1);
			if (value !== 'true' && value !== 'false') return undefined;
			if (at === -1 && (argv[i + 1] === 'true' || argv[i + 1] === 'false')) return undefined;
			flags[name] = value === 'true';
			continue;
		}
		const value = at === -1 ? argv[++i] : arg.slice(at + 1);
		if (value === undefined || value === '' || value.startsWith('-') || value === 'true' || value === 'false') return undefined;
		flags[name] = value;
	}
	return {input, flags: flags as Flags};
}
