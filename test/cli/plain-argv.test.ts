// `logs` reads its command line without meow (P9's start-up): whatever plainArgv answers must be what
// meow, called as cli.tsx calls it, gives for the same line — every flag of every command, each form,
// and a few thousand random lines; what it does not read it leaves to meow (undefined).
import meow from 'meow';
import {describe, expect, it} from 'vitest';
import {readArgv} from '../../source/cli/argv.js';
import {flagSpec, kebab} from '../../source/cli/flags.js';
import {plainArgv} from '../../source/cli/plain-argv.js';

const title = process.title;
function meowLine(argv: string[]) {
	const cli = meow('help', {importMeta: import.meta, argv, flags: flagSpec, allowUnknownFlags: true, autoHelp: false, autoVersion: false});
	process.title = title;
	return {input: cli.input, flags: cli.flags};
}

const all = new Set(['logs', 'keys', 'status', 'inspect', 'sqlite']);

describe('the plain forms, as meow reads them', () => {
	it.each([
		[['logs']],
		[['logs', '/var/log/app.log', '-n', '50']],
		[['logs', 'app.log', '-n50', '-f']],
		[['logs', 'app.log', '--grep', 'status=5\\d\\d', '--count']],
		[['logs', 'app.log', '--grep=status=5\\d\\d', '--count', '--json']],
		[['logs', '--level', 'error', '--since=10m', 'app']],
		[['--json', 'logs', 'app', '--lines', '5']],
		[['logs', '--grep', '-5']],
		[['logs', '--grep', 'a"b\'c', '--config', 'x.json', '--profile', 'prod', '--read-only']],
		[['logs', '-', '--follow', '--grep', 'true']],
		[['logs', '--redis-url', 'redis://u:p@h:1/0', '--database-url', 'postgres://x', '--sqlite', 'a.db']],
		[['keys', 'chat:*', '--type', 'zset', '--limit', '5', '--json', '-y']],
	])('%j', argv => {
		const plain = plainArgv(argv, all);
		expect(plain).toBeDefined();
		expect(plain).toStrictEqual(meowLine(argv));
	});

	it.each([
		[['logs', '--no-color']],
		[['logs', '--json', 'false']],
		[['logs', '--json=true']],
		[['logs', '-f', 'true']],
		[['logs', '-n', '5', '--lines', '6']],
		[['logs', '--grep="x"']],
		[['logs', '-fn', '5']],
		[['logs', '-n=5']],
		[['logs', '--', '-n']],
		[['status']],
		[[]],
	])('%j is left to meow', argv => {
		expect(plainArgv(argv, new Set(['logs']))).toBeUndefined();
	});
});

it('random lines of every flag in every form: plainArgv reads them as meow does, or leaves them to meow', () => {
	// a fixed generator: the same lines every run
	let seed = 18;
	const random = (n: number) => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed % n;
	};
	const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
	const names = Object.keys(flagSpec);
	const values = ['x', '5', '-5', '-x', '', 'true', 'false', '"q"', "'q'", '-', '--', 'a=b', 'error', 'warn', 'zset', 'csv', 'status=5\\d\\d', 'é', 'two words'];
	const token = (): string[] => {
		const name = pick(names) as keyof typeof flagSpec;
		const spec = flagSpec[name] as {shortFlag?: string};
		const flag = kebab(name);
		switch (random(9)) {
			case 0:
				return [`--${flag}`];
			case 1:
				return [`--${flag}`, pick(values)];
			case 2:
				return [`--${flag}=${pick(values)}`];
			case 3:
				return spec.shortFlag ? [`-${spec.shortFlag}`, pick(values)] : [`--no-${flag}`];
			case 4:
				return spec.shortFlag ? [`-${spec.shortFlag}${pick(['5', '50', 'x', '=5', 'f', 'y'])}`] : ['--'];
			case 5:
				return [pick(['logs', 'keys', 'status', 'app.log', '-', '-5', '---x', '-n', '-f'])];
			default:
				return [pick(['logs', 'app.log', 'x'])];
		}
	};
	let read = 0;
	let compared = 0;
	for (let n = 0; n < 3000; n++) {
		const argv = [...(random(2) ? ['logs'] : []), ...Array.from({length: 1 + random(5)}, token).flat()];
		const line = readArgv(argv);
		// the CLI runs plainArgv only on a line readArgv let through (meow exits on a bad choice)
		if (line.request || line.problem) continue;
		compared++;
		const plain = plainArgv(argv, all);
		if (plain === undefined) continue;
		read++;
		expect({argv, ...plain}).toStrictEqual({argv, ...meowLine(argv)});
	}
	// enough of them read, and compared, for this to say something
	expect(compared).toBeGreaterThan(1000);
	expect(read).toBeGreaterThan(150);
});

// `keys` (bench P1) reads its plain line through plainArgv too: what it reads is meow's answer
// (cli.tsx's --no-color folding included); what is not plain or not `keys` is left to meow.
function meowRead(argv: string[]): {input: string[]; flags: Record<string, unknown>} {
	const cli = meow('help', {importMeta: import.meta, flags: flagSpec, argv, allowUnknownFlags: true, autoHelp: false, autoVersion: false});
	process.title = title;
	const flags = {...cli.flags, ...((cli.flags as {color?: boolean}).color === false ? {noColor: true} : {})};
	return {input: cli.input, flags};
}

const plainCommandLine = (argv: string[]) => plainArgv(argv, new Set(['keys']));

describe('plainArgv for keys', () => {
	it.each([
		['keys'],
		['keys', '--json'],
		['keys', 'chat:*'],
		['keys', 'chat:*:pinned', '--limit', '2', '--json'],
		['keys', '--type', 'hash', '--json', 'h:*'],
		['keys', '--limit=7', '--type=zset'],
		['keys', '--redis-url', 'redis://:p%40ss@127.0.0.1:6379/3', '--json'],
		['keys', '--redis-url=redis://127.0.0.1:6379/0', '--config', './opsdeck.json', '--profile', 'prod'],
		['keys', 'a b', '--audit-log', '/tmp/audit log.jsonl'],
		['keys', 'x=y', '--limit', '10'],
		['keys', 'bin:\\xff*', '--json'],
	])('reads %j as meow does', (...argv) => {
		const mine = plainCommandLine(argv);
		expect(mine).toBeDefined();
		expect(mine).toEqual(meowRead(argv));
	});

	it.each([
		['keys', '-y'],
		['keys', '--no-color'],
		['keys', '--json', 'true'],
		['keys', '--json', 'false'],
		['keys', '--json=false'],
		['keys', '--', '--json'],
		['keys', '12'],
		['keys', '0x1f'],
		['keys', '.5'],
		['keys', '--limit', '-5'],
		['keys', '--limit', '5', '--limit', '7'],
		['keys', '--redisUrl', 'redis://x'],
		['keys', '--limit'],
	])('reads %j as meow does, or leaves it to meow', (...argv) => {
		const mine = plainCommandLine(argv);
		if (mine !== undefined) expect(mine).toEqual(meowRead(argv));
	});

	it.each([['status', '--json'], ['flush', '--yes'], ['logs', '-n', '5'], []])('leaves %j (not keys) to meow', (...argv) => {
		expect(plainCommandLine(argv)).toBeUndefined();
	});
});
