// Issue 13, case 2: `--help`/`-h` anywhere on the line prints that command's own help and does
// nothing else — `flush --help --yes` flushed 294 keys, `backup create --help` made a backup,
// `serve --help` started a server. Every command, --help before, after and among its words and
// flags, beside a bad flag and beside a bad config file: exit 0, its own help, and nothing changed
// (keys, SQLite file, backups, audit log). Needs `npm run build`.
// Every placement of every command is read in-process by readArgv (what cli.tsx answers before
// meow, the config or any backend); two of them per command, rotating through the six, run the
// built CLI for real, side by side, and prove that answer is all that happens.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readArgv} from '../../source/cli/argv.js';
import {commandHelpText, isCommand} from '../../source/commands/help.js';
import {tabs} from '../../source/console/app.js';
import {tabTitles} from '../../source/console/tab-titles.js';
import {bin, cliEnv, requireBuild} from '../helpers/health-env.js';
import {freePort} from '../helpers/ports.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let server: RedisServerHandle;
let redis: Redis;
let sqlite: TempSqlite;
let dir: string;
let backups: string;
let port: number;
const backupName = 'manual_2026-01-01T00-00-00.db';

beforeAll(async () => {
	requireBuild();
	server = await startRedis();
	redis = new Redis(server.url);
	for (let i = 0; i < 50; i++) await redis.zadd(`chat:C${i}:messages`, 1, `m${i}`);
	await redis.set('--help', 'a key whose name looks like a flag');
	sqlite = tempSqlite({messages: 20});
	sqlite.db?.close();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-help-'));
	backups = path.join(dir, 'backups');
	fs.mkdirSync(backups);
	fs.copyFileSync(sqlite.path, path.join(backups, backupName));
	port = await freePort();
});

afterAll(async () => {
	redis?.disconnect();
	await server?.stop();
	sqlite?.cleanup();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

const auditLog = () => path.join(dir, 'audit.log');

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return cliEnv({
		REDIS_URL: server.url,
		// nothing listens there: a command that ran anyway would fail, never touch a real database
		DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
		SQLITE_PATH: sqlite.path,
		BACKUP_DIR: backups,
		OPSDECK_AUDIT_LOG: auditLog(),
		...extra,
	});
}

/** The built CLI, no terminal; killed after 10 s (a `serve` or `monitor` that ran instead of helping never ends). */
function run(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [bin, ...args], {cwd: dir, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		child.once('close', code => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

/** Each command with the words and flags that would make it act, and an option its help must name. */
const commands: ReadonlyArray<{readonly words: readonly string[]; readonly names: string}> = [
	{words: ['status', '--json'], names: '--json'},
	{words: ['status', '--all-profiles'], names: '--all-profiles'},
	{words: ['profiles', '--json'], names: 'Usage: opsdeck profiles'},
	{words: ['serve', '--port', 'PORT'], names: '--port'},
	{words: ['reconnect', 'redis'], names: 'postgres|redis'},
	{words: ['flush', '--yes'], names: '--all'},
	{words: ['flush', '--all', '--yes'], names: '--all'},
	{words: ['keys', 'chat:*'], names: '--type'},
	{words: ['inspect', 'chat:C1:messages'], names: '--limit'},
	{words: ['chat', 'show', 'C1', '--clear', '--yes'], names: '--compare'},
	{words: ['message', '00000000-0000-0000-0000-000000000000'], names: 'Usage: opsdeck message ID'},
	{words: ['stats'], names: 'Usage: opsdeck stats'},
	{words: ['monitor', 'chat:*:messages'], names: '--plain'},
	{words: ['backup', 'create'], names: '--integrity'},
	{words: ['backup', 'prune', '--yes'], names: 'prune'},
	{words: ['backup', 'delete', backupName, '--yes'], names: 'delete NAME'},
	{words: ['backup', 'restore', backupName, '--yes', '--force'], names: '--force'},
	{words: ['sqlite', 'vacuum'], names: '--format'},
	{words: ['sqlite', 'export', 'chats', '--output', 'out.csv'], names: '--output'},
	{words: ['pg', 'terminate', '1', '--yes'], names: '--min-duration'},
	{words: ['audit'], names: '--limit'},
	{words: ['redis', 'slowlog', '--reset', '--yes'], names: '--samples'},
	{words: ['redis', 'kill', '1', '--yes'], names: 'kill ID'},
	{words: ['demo', '--force'], names: '--traffic'},
	{words: ['logs', 'app.log', '-n', '5', '-f'], names: '--grep'},
	{words: ['app', 'restart', '--yes'], names: 'restart [--yes]'},
];

/** --help at the end, first, right after the command, as -h among the flags, beside a bad flag, beside a bad config file. */
function placements(words: readonly string[]): Array<{readonly args: string[]; readonly env?: Record<string, string>}> {
	const [command, ...rest] = words.map(w => (w === 'PORT' ? String(port) : w));
	return [
		{args: [command!, ...rest, '--help']},
		{args: ['--help', command!, ...rest]},
		{args: [command!, '--help', ...rest]},
		{args: [command!, ...rest, '-h']},
		{args: [command!, '--no-such-flag', ...rest, '--help']},
		{args: [command!, ...rest, '--help'], env: {OPSDECK_CONFIG: path.join(dir, 'broken.json')}},
	];
}

function state() {
	return {
		sqlite: fs.readFileSync(sqlite.path).toString('base64'),
		backups: fs.readdirSync(backups).sort(),
		files: fs.readdirSync(dir).sort(),
	};
}

describe('--help anywhere prints help and does nothing else (issue 13, case 2)', () => {
	it.each(commands.map((c, i) => ({...c, i})))('opsdeck $words.0 ($words)', async ({words, names, i}) => {
		fs.writeFileSync(path.join(dir, 'broken.json'), '{"redisUrl": ');
		const before = {...state(), keys: await redis.dbsize()};
		const command = words[0]!;
		expect(isCommand(command)).toBe(true);
		const help = isCommand(command) ? commandHelpText(command) : '';
		expect(help).toContain(`Usage: opsdeck ${command}`);
		expect(help).toContain(names);
		expect(help).toMatch(/Examples?\n {4}\$ opsdeck /);
		const all = placements(words);
		// every placement: asking for help, for this command, whatever else is on the line
		for (const {args} of all) expect({args, request: readArgv(args).request}).toEqual({args, request: {kind: 'help', command}});
		// the built CLI: --help last (flush --help --yes flushed) and one other placement, in turn (26
		// commands over the 5 others: each placement, the bad flag and the bad config file included,
		// runs for real on five or six commands)
		const real = [all[0]!, all[1 + (i % (all.length - 1))]!];
		const results = await Promise.all(real.map(({args, env: extra}) => run(args, extra)));
		for (const [j, result] of results.entries()) {
			const {args} = real[j]!;
			expect({args, code: result.code, stderr: result.stderr}).toEqual({args, code: 0, stderr: ''});
			expect(result.stdout, args.join(' ')).toBe(help);
		}
		expect({...state(), keys: await redis.dbsize()}).toEqual(before);
		expect(await redis.exists('chat:C1:messages')).toBe(1);
		expect(fs.existsSync(auditLog()), 'no audit line').toBe(false);
	});

	it('serve --help leaves its port free', async () => {
		const result = await run(['serve', '--port', String(port), '--help']);
		expect(result.code).toBe(0);
		const net = await import('node:net');
		const refused = await new Promise<boolean>(resolve => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => (socket.destroy(), resolve(false)));
			socket.once('error', () => resolve(true));
		});
		expect(refused).toBe(true);
	});

	it('opsdeck help [COMMAND], opsdeck --help, -v and --version', async () => {
		type Result = Awaited<ReturnType<typeof run>>;
		const [general, helpWord, flush, flushHelp, nosuch, ...versions] = (await Promise.all([['--help'], ['help'], ['help', 'flush'], ['flush', '--help'], ['help', 'nosuch'], ['-v'], ['--version']].map(args => run(args)))) as [Result, Result, Result, Result, Result, ...Result[]];
		expect(versions).toHaveLength(2);
		expect(general.code).toBe(0);
		for (const name of ['status', 'serve', 'reconnect', 'flush', 'keys', 'inspect', 'chat', 'message', 'stats', 'monitor', 'backup', 'sqlite', 'pg', 'redis', 'audit', 'demo', 'logs', 'app']) {
			expect(general.stdout).toMatch(new RegExp(`^ {4}${name} `, 'm'));
		}
		// every console tab, from the list the console itself draws
		expect(tabs.map(tab => tab.title)).toEqual([...tabTitles]);
		expect(general.stdout).toContain('$ opsdeck                      the console (Status, Keys, Monitor, Backups, Postgres, Redis, Logs)\n');
		expect(helpWord.stdout).toBe(general.stdout);
		expect(flush.code).toBe(0);
		expect(flush.stdout).toBe(flushHelp.stdout);
		expect(nosuch.code).toBe(2);
		expect(nosuch.stdout).toBe('');
		expect(nosuch.stderr).toBe('opsdeck: unknown command "nosuch"; see opsdeck --help\n');
		const version = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {version: string};
		for (const result of versions) expect(result).toEqual({code: 0, stdout: `${version.version}\n`, stderr: ''});
	});

	it('after --, --help is data: a key named --help', async () => {
		const [keys, inspect] = await Promise.all([run(['keys', '--', '--help']), run(['inspect', '--json', '--', '--help'])]);
		expect(keys.code).toBe(0);
		expect(keys.stdout).toBe('--help\n');
		expect(inspect.code).toBe(0);
		expect(inspect.stdout).toContain('a key whose name looks like a flag');
	});
});
