// The hostile-text suite. One hostile fixture — keys, values, rows, SQLite table names, PostgreSQL
// error text (a RAISE) and Redis error text (a fake Redis answering `-ERR <escapes>`) full of
// terminal escapes (window title, OSC 8 link, OSC 52 clipboard, clear screen), a C1 CSI, a bidi
// override, NUL, and invisibles (tag characters, Hangul fillers, U+034F, a variation selector) —
// and two lists: every command line and every tab. Each is run against the fixture and nothing of
// it may reach stdout, stderr, the JSON, the audit log or the terminal raw.
// Issue 7, case 15 (keys and values); issue 14, case 1 (server error text) and case 2 (invisibles).
// A new command or tab is covered by adding it to `commands` or `tabs` below.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {Redis} from 'ioredis';
import postgresDriver from 'pg';
import {afterAll, beforeAll, describe, expect, expect as globalExpect, it, type ExpectStatic} from 'vitest';
import {resp, startHostileRedis, type HostileRedis} from '../helpers/hostile-redis.js';
import {adminQuery, createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {runPty, keys as ptyKeys, type PtyRun} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {binPath, runCli} from '../helpers/run-cli.js';
import {waitFor} from '../helpers/wait.js';
import {startCli} from '../helpers/health-env.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {sanitize} from '../../source/text/sanitize.js';

const payloads = {
	title: '\u001b]0;pwned\u0007',
	link: '\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007',
	clipboard: '\u001b]52;c;cm0gLXJmIH4=\u0007',
	clear: '\u001b[2J',
	c1: '\u009b31m',
	bidi: 'abc\u202edef',
	nul: 'a\u0000b',
	// issue 14, case 2: look-alikes and invisibles
	tag: 'admin\u{e0041}\u{e0064}',
	filler: 'x\u3164y\u115f',
	joiner: 'a\u034fb\ufe0f',
};
// what must never reach a terminal, a pipe or a log raw
const forbidden = ['\u001b]0;pwned', '\u001b]8;;http', '\u001b]52;', '\u001b[2J', '\u009b', '\u202e', '\u0000', '\u{e0041}', '\u3164', '\u115f', '\u034f', '\ufe0f'];
// a server's error text: everything but NUL (PostgreSQL cannot hold it) and line breaks
const errorText = `boom ${payloads.clipboard}${payloads.title}${payloads.link} ${payloads.c1} ${payloads.bidi} ${payloads.tag} ${payloads.filler} ${payloads.joiner}`;

const hostileKey = `evil:${payloads.title}${payloads.clear}${payloads.c1}${payloads.bidi}`;
const lookAlikeKey = `evil:${payloads.tag}${payloads.filler}${payloads.joiner}`;
const hostileValue = `${payloads.link} ${payloads.clipboard} ${payloads.nul} ${payloads.bidi} ${payloads.tag}`;
const hostileChat = `E${payloads.title}${payloads.c1}${payloads.bidi}${payloads.tag}`;
const hostileTable = `t${payloads.title}${payloads.c1}${payloads.bidi}${payloads.tag}`;

type Env = 'data' | 'errors';
/** One command line: against the hostile data (real Redis, PostgreSQL, SQLite) or the hostile errors (fake Redis, a RAISE). */
type CommandCase = {readonly env: Env; readonly args: readonly string[]; readonly longRunning?: boolean};

const boomId = 'b0000000-0000-4000-8000-000000000001';

// Every command. Those that only read the fixture run several at a time; `demo` (it would seed an
// empty store) and the mutations (they change the fixture) come after them, one by one, in order;
// then the audit log is read.
const reads: readonly CommandCase[] = (['data', 'errors'] as const).flatMap((env): CommandCase[] => [
	{env, args: ['status']},
	{env, args: ['status', '--json']},
	{env, args: ['keys']},
	{env, args: ['keys', '--json']},
	{env, args: ['keys', 'evil:*', '--json']},
	{env, args: ['inspect', hostileKey]},
	{env, args: ['inspect', hostileKey, '--json']},
	{env, args: ['inspect', lookAlikeKey]},
	{env, args: ['inspect', 'evil:hash']},
	{env, args: ['inspect', 'evil:hash', '--json']},
	{env, args: ['chat', 'list']},
	{env, args: ['chat', 'list', '--json']},
	{env, args: ['chat', 'show', 'EVIL', '--messages', '5']},
	{env, args: ['chat', 'show', 'EVIL', '--json']},
	{env, args: ['chat', 'show', 'EVIL', '--compare']},
	{env, args: ['chat', 'show', hostileChat]},
	// issue 14, case 1: PostgreSQL RAISEs the hostile text for this chat
	{env, args: ['chat', 'show', 'BOOM', '--compare']},
	{env, args: ['chat', 'show', 'BOOM', '--compare', '--json']},
	{env, args: ['message', 'm1']},
	{env, args: ['message', boomId]},
	{env, args: ['message', boomId, '--json']},
	{env, args: ['stats']},
	{env, args: ['stats', '--json']},
	{env, args: ['reconnect', 'redis']},
	{env, args: ['reconnect', 'postgres']},
	{env, args: ['monitor', 'evil:*', 'chat:*'], longRunning: true},
	{env, args: ['monitor', 'evil:*', '--json'], longRunning: true},
	{env, args: ['serve', '--port', '0'], longRunning: true},
	{env, args: ['sqlite', 'check']},
	{env, args: ['sqlite', 'check', '--json']},
	{env, args: ['sqlite', 'export', 'nosuch']},
	{env, args: ['sqlite', 'export', hostileTable, '--format', 'json']},
	{env, args: ['backup', 'create']},
	{env, args: ['backup', 'list']},
	{env, args: ['backup', 'list', '--json']},
	{env, args: [hostileKey]},
	{env, args: ['keys', '--type', hostileKey]},
]);
const inOrder: readonly CommandCase[] = [
	{env: 'data', args: ['demo']},
	{env: 'errors', args: ['demo']},
	// the mutations: each is audited, the failed ones with the server's error text
	{env: 'errors', args: ['flush', '--yes']},
	{env: 'errors', args: ['chat', 'show', 'EVIL', '--clear', '--yes']},
	{env: 'data', args: ['chat', 'show', 'EVIL', '--clear', '--yes']},
	{env: 'data', args: ['chat', 'show', hostileChat, '--clear', '--yes']},
	{env: 'data', args: ['flush', '--yes']},
	{env: 'data', args: ['audit']},
	{env: 'data', args: ['audit', '--json']},
];

/** Every tab and what to do there: a tab added to the console is covered by a line here. */
type TabCase = {readonly key: string; readonly name: string; readonly visit: (run: PtyRun, env: Env) => Promise<void>};

const pause = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** The screen's last non-empty row: the bottom bar. */
const bar = (run: PtyRun) => run.lines().filter(line => line.trim()).at(-1) ?? '';
/** Waits until check(screen) holds (each step waits for what it shows, never for a fixed time). */
async function until(run: PtyRun, check: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	try {
		await waitFor(async () => {
			await run.flush();
			return check(run.screen());
		}, {timeout: timeoutMs, interval: 20, message: what});
	} catch (error) {
		throw new Error(`${(error as Error).message}; the screen:\n${run.screen()}`);
	}
}
const keyList = (screen: string) => /^\/ pattern /m.test(screen.split('\n').filter(line => line.trim()).at(-1) ?? '');
const selectedKey = (run: PtyRun) => run.inverseLines().find(line => /^(chat|evil):/.test(line))?.split(/ {2,}/)[0];

const tabs: readonly TabCase[] = [
	// every card drawn with the verdict (the -ERR text on the Redis card in the errors run)
	{key: '1', name: 'Status', visit: run => until(run, screen => /HEALTHY|DEGRADED|UNHEALTHY/.test(screen), 'the verdict')},
	{
		key: '2',
		name: 'Keys',
		async visit(run, env) {
			await until(run, screen => /scanned \d+ of \d+ · (done|error: )/.test(screen), 'the scan done (or failed)');
			if (env === 'errors') {
				expect(run.screen()).toContain('error: ERR boom');
				return;
			}
			// open every row's value (a string, a hash, the chats), and the comparison of each chat
			expect(run.screen()).toContain('· 6 keys ·');
			let compared = 0;
			for (let i = 0; i < 6; i++) {
				const row = selectedKey(run);
				expect(row, `row ${i} highlighted`).toBeDefined();
				run.press(ptyKeys.enter);
				await until(run, screen => /^Esc back/m.test(screen) && !screen.includes('loading…') && /^Reactions \(|^\w+ +ttl /m.test(screen), `the value of row ${i}`);
				run.press(ptyKeys.escape);
				await until(run, keyList, 'back at the list');
				if (/ c compare /.test(bar(run))) {
					run.press('c');
					await until(run, screen => {
						const lines = screen.split('\n');
						const title = lines.findIndex(line => /^compare .* with postgres/.test(line));
						return title >= 0 && !lines[title]!.includes('loading…') && (lines[title + 1] ?? '').trim() !== '';
					}, `the comparison of row ${i}`);
					compared++;
					run.press(ptyKeys.escape);
					await until(run, keyList, 'back at the list');
				}
				if (i < 5) {
					run.press('j');
					await until(run, () => selectedKey(run) !== row, `the cursor past row ${i}`);
				}
			}
			// the three chats (one named with escapes, one whose comparison RAISEs)
			expect(compared).toBe(3);
		},
	},
	{key: '3', name: 'Monitor', visit: run => until(run, screen => /^total \(\d+ keys\) +\d|^redis: ERR boom/m.test(screen), 'the counters (or the -ERR text)')},
	{
		key: '4',
		name: 'Backups',
		async visit(run) {
			await until(run, screen => /\d+ backups?, keep/.test(screen) && /no backups yet|(manual|auto|safety)_\S+\.db/.test(screen), 'the backups');
			if (run.screen().includes('no backups yet')) {
				// run on its own (the commands above made two): one to restore
				run.press('n');
				await until(run, screen => /manual_\S+\.db/.test(screen), 'the new backup');
			}
			// the restore plan lists the backup's tables (one is named with escapes)
			run.press(ptyKeys.enter);
			await until(run, screen => screen.includes('Type restore and press Enter') && /rows now -> /.test(screen), 'the restore plan');
			run.press(ptyKeys.escape);
			await until(run, screen => !screen.includes('Type restore'), 'the restore dialog closed');
		},
	},
	{
		key: '5',
		name: 'Postgres',
		async visit(run) {
			// a session whose query is full of escapes: in the list, opened whole, in the tables and top queries
			const session = new postgresDriver.Client({connectionString: envs.data.DATABASE_URL, application_name: 'hostile-query'});
			session.on('error', () => undefined);
			await session.connect();
			// the escapes raw in the SQL itself (pg_stat_activity shows the text as sent); cancelled below
			const ended = session.query(`select pg_sleep(60), 'boom ${errorText.slice(5).replaceAll("'", "''")}' as t`).catch(() => undefined);
			const running = (screen: string) => /^running · /m.test(screen);
			try {
				await until(run, running, 'the running sessions');
				run.press('/');
				await until(run, screen => /^filter: /m.test(screen), 'the filter field');
				run.press('hostile-query\r');
				await until(run, screen => screen.includes('filter "hostile-query"') && /^ +\d+ .*hostile-que/m.test(screen), 'the hostile session');
				run.press(ptyKeys.enter);
				// the whole query was drawn, escaped
				await until(run, screen => screen.includes('the query as read when opened'), 'the query opened');
				await waitFor(() => run.rawOutput().includes(String.raw`select pg_sleep(60), 'boom \x1b]52;c;cm0gLXJmIH4=\x07`), {message: 'the query drawn escaped'});
				// back, who blocks whom, all sessions, the tables, back, the top queries, back
				const steps: Array<[string, (screen: string) => boolean]> = [
					[ptyKeys.escape, running],
					['b', screen => screen.includes('who blocks whom')],
					['a', running],
					['t', screen => /tables in \S+, largest first/.test(screen) && screen.includes('message_ro')],
					[ptyKeys.escape, running],
					['Q', screen => /pg_stat_statements is not installed|^top \d+ queries|cannot read the top queries/m.test(screen)],
					[ptyKeys.escape, running],
				];
				for (const [key, shows] of steps) {
					run.press(key);
					await until(run, shows, `after ${JSON.stringify(key)}`);
				}
			} finally {
				await adminQuery('select pg_cancel_backend(pid) from pg_stat_activity where application_name = $1', ['hostile-query']).catch(() => undefined);
				await ended;
				await session.end().catch(() => undefined);
			}
		},
	},
];

let redis: RedisServerHandle;
let fake: HostileRedis;
let db: TestDatabase;
let sqlite: TempSqlite;
const envs = {} as Record<Env, Record<string, string>>;
let auditLog: string;

/** E'...' for PostgreSQL: every character outside printable ASCII as an escape. */
function pgString(text: string): string {
	let out = '';
	for (const ch of text) {
		const code = ch.codePointAt(0)!;
		if (ch === '\'' || ch === '\\') out += ch + ch;
		else if (code >= 0x20 && code < 0x7f) out += ch;
		else out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
	}
	return `E'${out}'`;
}

beforeAll(async () => {
	redis = await startRedis();
	// DBSIZE answers, so `flush` gets as far as FLUSHDB and its failure is audited with the error text
	fake = await startHostileRedis({error: errorText, answer: args => (args[0] === 'DBSIZE' ? resp.int(3) : undefined)});
	db = await createTestDatabase('opsdeck_hostile');
	sqlite = tempSqlite();
	auditLog = path.join(sqlite.dir, 'audit.log');

	await seedRedis();

	// issue 14, case 1: `messages` is a view that RAISEs the hostile text for the chat BOOM (the
	// cheap `chat_code = $1` / `id = $1` quals run first, so other chats are untouched)
	await adminQuery(`
		create table message_rows (id text primary key, chat_code text not null, username text, content text, created_at timestamptz not null default now());
		create function boom_check(c text) returns boolean language plpgsql as $$
		begin
			if c = 'BOOM' then raise exception '%', ${pgString(errorText)}; end if;
			return true;
		end $$;
		create view messages as select * from message_rows where boom_check(chat_code);
		insert into message_rows (id, chat_code, username, content) values
			('m1', 'EVIL', ${pgString(payloads.bidi)}, ${pgString(`${payloads.link} ${payloads.tag}`)}),
			('missing1', 'EVIL', ${pgString(payloads.filler)}, ${pgString(payloads.clipboard)}),
			('${boomId}', 'BOOM', 'x', 'y');
	`, [], db.url);

	// SQLite: a table named with escapes, with a column and a row to match
	const file = new Database(sqlite.path);
	file.exec(`create table "${hostileTable}" ("${payloads.joiner}" text); insert into "${hostileTable}" values ('${hostileValue.replaceAll('\u0000', '')}');`);
	file.close();

	fs.writeFileSync(path.join(sqlite.dir, 'opsdeck.json'), '{}\n');
	const common = {DATABASE_URL: db.url, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups'), OPSDECK_AUDIT_LOG: auditLog, OPSDECK_CONFIG: path.join(sqlite.dir, 'opsdeck.json'), POLL_INTERVAL_MS: '500'};
	envs.data = {...common, REDIS_URL: redis.url};
	envs.errors = {...common, REDIS_URL: fake.url};
}, 60_000);

afterAll(async () => {
	await redis?.stop();
	await fake?.stop();
	await db?.drop();
	sqlite?.cleanup();
});

/** The Redis side of the fixture (again after a command flushed it). */
async function seedRedis(): Promise<void> {
	const client = new Redis(redis.url);
	const message = (id: string, extra: object = {}) => JSON.stringify({id, username: payloads.bidi, content: payloads.link, created_at: new Date().toISOString(), ...extra});
	await client.set(hostileKey, hostileValue);
	await client.set(lookAlikeKey, payloads.filler);
	await client.hset('evil:hash', payloads.clipboard, payloads.title);
	await client.zadd('chat:EVIL:messages', Date.now(), message('m1'), Date.now() + 1, message('gone', {content: payloads.tag}));
	await client.zadd('chat:BOOM:messages', Date.now(), message(boomId));
	await client.zadd(`chat:${hostileChat}:messages`, Date.now(), message('h1', {username: payloads.filler}));
	client.disconnect();
}

function expectNoRaw(text: string, where: string, expect: ExpectStatic = globalExpect): void {
	for (const bad of forbidden) expect(text, `${where} contains ${JSON.stringify(bad)}`).not.toContain(bad);
}

/** A command that runs until stopped: its output after the first tick, then SIGTERM. */
async function runLong(args: readonly string[], env: Record<string, string>): Promise<{code: number | null; stdout: string; stderr: string}> {
	const run = startCli(args, {env: {...process.env, ...env}, cwd: sqlite.dir});
	const deadline = Date.now() + 6000;
	while (Date.now() < deadline && run.out().split('\n').length < 3 && !/unhealthy|degraded|healthy|redis:/i.test(run.out() + run.err())) await pause(50);
	await pause(1200);
	run.child.kill('SIGTERM');
	const code = await run.exit;
	return {code, stdout: run.out(), stderr: run.err()};
}

describe('the hostile fixture never reaches a pipe, a log or a terminal raw', () => {
	const cases = (list: readonly CommandCase[]) => list.map(c => [c.env, sanitize(c.args.join(' ')), c] as const);
	const check = async ([, , c]: readonly [Env, string, CommandCase], expect: ExpectStatic) => {
		const env = c.env;
		const result = c.longRunning ? await runLong(c.args, envs[env]) : await runCli(c.args, {env: envs[env], cwd: sqlite.dir});
		if (process.env.HOSTILE_DUMP) fs.appendFileSync(process.env.HOSTILE_DUMP, `\n=== [${env}] ${sanitize(c.args.join(' '))} -> ${result.code}\n${result.stdout}\n--- stderr\n${result.stderr}`);
		expect(result.code, result.stderr).not.toBeNull();
		expect(result.stdout + result.stderr, 'said nothing').not.toBe('');
		expectNoRaw(result.stdout, 'stdout', expect);
		expectNoRaw(result.stderr, 'stderr', expect);
		// no escape character at all in output meant for a pipe, and never a stack trace
		expect(result.stdout).not.toContain('\u001b');
		expect(result.stderr).not.toContain('\u001b');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		// errors are one line each: `opsdeck: ...`
		for (const line of result.stderr.split('\n').filter(Boolean)) expect(line.startsWith('opsdeck: ') || /^\d+ keys/.test(line), line).toBe(true);
		if (c.args.includes('--json') && result.code === 0 && !c.longRunning) expect(() => JSON.parse(result.stdout)).not.toThrow();
	};
	// each in its own process, as many at a time as vitest's maxConcurrency (5)
	it.concurrent.for(cases(reads))('[%s] opsdeck %s', {timeout: 30_000}, (c, {expect}) => check(c, expect));
	it.for(cases(inOrder))('[%s] opsdeck %s', {timeout: 30_000}, (c, {expect}) => check(c, expect));

	it('issue 14, case 1: the RAISE and the -ERR text were shown (escaped), not dropped', async () => {
		const pg = await runCli(['chat', 'show', 'BOOM', '--compare'], {env: envs.data, cwd: sqlite.dir});
		expect(pg.code).toBe(1);
		expect(pg.stderr).toContain('boom \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b]0;pwned\\x07');
		expect(pg.stderr).toContain('admin\\u{e0041}\\u{e0064}');
		const fakeRedis = await runCli(['keys'], {env: envs.errors, cwd: sqlite.dir});
		expect(fakeRedis.code).toBe(1);
		expect(fakeRedis.stderr).toContain('\\x1b]0;pwned\\x07');
	});

	it('issue 14, case 2: look-alike keys are told apart in text, and JSON keeps the exact key', async () => {
		await seedRedis();
		const text = await runCli(['keys', 'evil:*'], {env: envs.data, cwd: sqlite.dir});
		expect(text.stdout).toContain('evil:admin\\u{e0041}\\u{e0064}x\\u3164y\\u115fa\\u034fb\\ufe0f');
		const json = await runCli(['keys', 'evil:*', '--json'], {env: envs.data, cwd: sqlite.dir});
		expect((JSON.parse(json.stdout) as {keys: string[]}).keys).toContain(lookAlikeKey);
		expect(json.stdout).toContain('\\udb40\\udc41');
	});

	// the same commands on a terminal: what a person sees (CSV rows are sanitized there, exact in a pipe)
	it.each([
		['sqlite', 'export', hostileTable],
		['inspect', hostileKey],
		['chat', 'show', 'BOOM', '--compare'],
	].map(args => [sanitize(args.join(' ')), args] as const))('on a terminal: opsdeck %s', async (_name, args) => {
		await seedRedis();
		const run = runPty('node', [binPath, ...args], {cols: 200, rows: 40, env: {...process.env, ...envs.data}, cwd: sqlite.dir});
		await run.waitForExit(20_000);
		await run.flush();
		expectNoRaw(run.rawOutput(), 'the terminal');
		expect(run.rawOutput()).toContain('\\x1b]');
	}, 30_000);

	it('the audit log holds the hostile targets and errors escaped', () => {
		const log = fs.readFileSync(auditLog, 'utf8');
		// the failed FLUSHDB (the fake's error text) and the cleared chat named with escapes
		expect(log).toContain('"result":"failed"');
		expect(log).toContain('\\u009b31m');
		// the exact data is kept (a C1 CSI in the chat's name), escaped only as JSON escapes it
		const entries = log.split('\n').filter(Boolean).map(line => JSON.parse(line) as {action: string; target: string});
		expect(entries.some(e => e.action === 'clear-chat' && e.target.includes('\u009b31m'))).toBe(true);
		expectNoRaw(log, 'the audit log');
	});
});

describe('the console: every tab against the hostile fixture, in a pseudo-terminal', () => {
	it.each(['data', 'errors'] as const)('[%s] pane title, clipboard and screen untouched', async env => {
		// a fresh Redis fixture for the data run: the commands above flushed it
		if (env === 'data') await seedRedis();
		const run = runPty('node', [binPath], {cols: 120, rows: 30, env: {...process.env, ...envs[env]}, cwd: sqlite.dir});
		await run.waitForText('1 Status', 15_000);
		for (const tab of tabs) {
			run.press(tab.key);
			await tab.visit(run, env);
			await run.flush();
			expectNoRaw(run.rawOutput(), `the ${tab.name} tab`);
		}
		run.press('q');
		await run.waitForExit(10_000);
		const raw = run.rawOutput();
		expectNoRaw(raw, 'the console');
		// OSC 0/2 (title), OSC 52 (clipboard) and OSC 8 (link) are never written by the console at all
		expect(raw).not.toMatch(/\u001b\](?:0|2|8|52);/);
		if (env === 'data') {
			// the values were shown, escaped
			expect(raw).toContain('\\x1b]52;c;');
			expect(raw).toContain('\\u202e');
		} else {
			expect(raw).toContain('boom \\x1b]52;c;');
		}
	}, 90_000);
});
