// The one pass over the command line before meow (issue 15): what it asks for and the first thing
// wrong on it, read the way meow's parser will read the line. The built CLI's side of these is in
// test/commands (help, flush, keys, sqlite, config-errors).
import {describe, expect, it} from 'vitest';
import meow from 'meow';
import {consoleFlags, readArgv} from '../../source/cli/argv.js';
import {flagSpec} from '../../source/cli/flags.js';

describe('help and the version, asked for anywhere before --', () => {
	it.each([
		[['flush', '--yes', '--help'], {kind: 'help', command: 'flush'}],
		[['--help', 'backup', 'create'], {kind: 'help', command: 'backup'}],
		[['flush', '-yh'], {kind: 'help', command: 'flush'}],
		[['help', 'keys'], {kind: 'help', command: 'keys'}],
		[['flush', '--no-such', '--help'], {kind: 'help', command: 'flush'}],
		// the value of --output is not the command
		[['--output', 'out.csv', 'sqlite', '-h'], {kind: 'help', command: 'sqlite'}],
		// nor is the value the parser gives a switch
		[['--yes', 'true', 'flush', '-h'], {kind: 'help', command: 'flush'}],
		[['-v'], {kind: 'version'}],
		[['status', '--version'], {kind: 'version'}],
	])('%j', (argv, request) => {
		// (a problem beside it does not matter: the CLI answers the request first)
		expect(readArgv(argv).request).toEqual(request);
	});

	it('after --, --help is data', () => {
		expect(readArgv(['inspect', '--', '--help'])).toEqual({request: undefined, problem: undefined});
	});
});

describe('the first thing wrong, as one line', () => {
	it.each([
		[['flush', '--yes', '--READ-ONLY'], 'unknown option --READ-ONLY; see opsdeck --help'],
		[['flush', '-yx'], 'unknown option -x; see opsdeck --help'],
		[['inspect', '-5'], 'unknown option -5; see opsdeck --help'],
		// a value flag before a word like -5m (not a number: the parser reads it as options -5 -m)
		[['logs', 'app.log', '--since', '-5m'], '--since takes a duration like 5m or a time; "-5m" is neither (a duration already counts back: --since 5m is the last 5 minutes); see opsdeck --help'],
		[['logs', 'app.log', '-n', '-5x'], '--lines takes a value; "-5x" starts with - and is read as options; see opsdeck --help'],
		[['flush', '--read-only=1'], '--read-only is a switch: give it alone (or =true/=false), not =1; see opsdeck --help'],
		[['keys', '--limit'], '--limit needs a value'],
		[['keys', '--limit='], '--limit needs a value'],
		[['keys', '--limit', '--json'], '--limit needs a value'],
		// choices (flags.ts): the texts the commands printed before
		[['keys', '--type', 'bogus'], '--type must be one of string, hash, list, set, zset, stream (got "bogus")'],
		[['sqlite', 'export', 't', '--format=xml'], '--format must be csv or json (got "xml")'],
		// an option that does not exist first, then a missing value, then a value outside the choices
		[['keys', '--type=bogus', '--limit=', '--All'], 'unknown option --All; see opsdeck --help'],
		[['keys', '--type=bogus', '--limit='], '--limit needs a value'],
		// a value flag twice (meow's own words, exit 1, before): however it is written
		[['logs', '--grep', 'a', '--grep=b'], '--grep is given 2 times: give it once'],
		[['logs', '-n', '1', '--lines', '2', '-n5'], '--lines (-n) is given 3 times: give it once'],
	])('%j', (argv, problem) => {
		expect(readArgv(argv).problem).toBe(problem);
	});

	it.each([
		[['keys', 'chat:*', '--type', 'zset', '--limit', '5', '--json']],
		[['sqlite', 'export', 't', '--format', 'json', '--output', 'x.json', '--force']],
		[['flush', '--no-all', '--read-only=false', '-y']],
		// a negative number is a value to the parser
		[['keys', '--limit', '-5']],
		[['inspect', '--', '-odd-key', '--READ-ONLY']],
	])('%j is fine', argv => {
		expect(readArgv(argv)).toEqual({request: undefined, problem: undefined});
	});
});

describe('each command takes its own options and the global ones (defect 9)', () => {
	it.each([
		[['status', '--all'], 'status does not take --all; see opsdeck status --help'],
		[['stats', '--no-plain'], 'stats does not take --no-plain; see opsdeck stats --help'],
		[['--json'], 'the console does not take --json; see opsdeck --help'],
		// an option that does not exist is said first
		[['status', '--all', '--bogus'], 'unknown option --bogus; see opsdeck --help'],
	])('%j', (argv, problem) => {
		expect(readArgv(argv).problem).toBe(problem);
	});

	it.each([
		[['status', '--json', '--redis-url', 'redis://x', '--read-only', '--config', 'c.json', '--audit-log', 'a', '--interval', '500']],
		[['serve', '--port', '3', '--host', '0.0.0.0', '--app-url', 'http://x']],
		[['monitor', 'q:*', '--plain', '--interval', '250']],
		[['--sqlite', 'x.db', '--backup-dir', 'b', '--database-url', 'postgres://x']],
		[['unknown-command', '--all']],
	])('%j is fine', argv => {
		expect(readArgv(argv)).toEqual({request: undefined, problem: undefined});
	});
});

describe('the console\'s plain line, read without meow', () => {
	const viaMeow = (argv: string[]) => {
		const cli = meow('', {importMeta: import.meta, argv, flags: flagSpec, allowUnknownFlags: true, autoHelp: false, autoVersion: false});
		return {flags: cli.flags, input: cli.input};
	};

	it.each([
		[[]],
		[['--redis-url', 'redis://127.0.0.1:6379/0', '--database-url', 'postgres://postgres@127.0.0.1:5432/postgres', '--sqlite', '/tmp/app.db', '--backup-dir', '/tmp/backups']],
		[['--redis-url=redis://u:p@h:1/0?x=1', '--read-only', '--interval', '1000']],
		[['--sqlite=a=b', '--profile', 'prod', '--config', '~/x.json', '--audit-log', ' spaced ']],
		[['--interval', '1e3', '--app-url', 'http://127.0.0.1:3000/health', '--backup-dir', '0x10']],
		[['--profile', 'true']],
		[['--read-only', '--sqlite', 'x']],
	])('%j: what meow gives', argv => {
		const flags = consoleFlags(argv);
		expect(flags).toBeDefined();
		expect(viaMeow(argv)).toEqual({flags, input: []});
	});

	it.each([
		[['status']],
		[['--no-color']],
		[['--read-only', 'true']],
		[['--read-only=false']],
		[['--sqlite', '-']],
		[['--sqlite', '"quoted"']],
		[['--sqlite=']],
		[['--sqlite']],
		[['--sqlite', 'a', '--sqlite', 'b']],
		[['--json']],
		[['-h']],
		[['--', 'x']],
		[['--READ-ONLY']],
	])('%j: left to meow', argv => {
		expect(consoleFlags(argv)).toBeUndefined();
	});
});
