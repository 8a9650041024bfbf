// A plain `keys` command line is read without meow (plain-argv.ts): for every line it reads, it must
// give what meow gives (cli.tsx's --no-color folding included); every other line is left to meow.
import meow from 'meow';
import {describe, expect, it} from 'vitest';
import {flagSpec} from '../../source/cli/flags.js';
import {plainCommandLine} from '../../source/cli/plain-argv.js';

function meowRead(argv: string[]): {input: string[]; flags: Record<string, unknown>} {
	const cli = meow('help', {importMeta: import.meta, flags: flagSpec, argv, allowUnknownFlags: true, autoHelp: false, autoVersion: false});
	const flags = {...cli.flags, ...((cli.flags as {color?: boolean}).color === false ? {noColor: true} : {})};
	return {input: cli.input, flags};
}

const plain: string[][] = [
	['keys'],
	['keys', '--json'],
	['keys', 'chat:*'],
	['keys', 'chat:*:pinned', '--limit', '2', '--json'],
	['keys', '--type', 'hash', '--json', 'h:*'],
	['keys', '--limit=7', '--type=zset'],
	['keys', '--json=false'],
	['keys', '--json=true', '--read-only'],
	['keys', '--redis-url', 'redis://:p%40ss@127.0.0.1:6379/3', '--json'],
	['keys', '--redis-url=redis://127.0.0.1:6379/0', '--config', './opsdeck.json', '--profile', 'prod'],
	['keys', 'a b', '--audit-log', '/tmp/audit log.jsonl'],
	['keys', 'x=y', '--limit', '10'],
	['keys', 'bin:\\xff*', '--json'],
	['keys', '*', '--read-only=false'],
];

const meows: string[][] = [
	['keys', '-y'],
	['keys', '--no-color'],
	['keys', '--json', 'true'],
	['keys', '--json', 'false'],
	['keys', '--', '--json'],
	['keys', '12'],
	['keys', '0x1f'],
	['keys', '.5'],
	['keys', '--limit', '-5'],
	['keys', '--limit', '5', '--limit', '7'],
	['keys', '--redisUrl', 'redis://x'],
	['keys', '--limit'],
	['status', '--json'],
	['flush', '--yes'],
	[],
];

describe('plainCommandLine', () => {
	it.each(plain)('reads %j as meow does', (...argv) => {
		const mine = plainCommandLine(argv);
		expect(mine).toBeDefined();
		expect(mine).toEqual(meowRead(argv));
	});

	it.each(meows)('leaves %j to meow', (...argv) => {
		expect(plainCommandLine(argv)).toBeUndefined();
	});
});
