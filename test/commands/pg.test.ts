// `opsdeck pg` as a user runs it (the built CLI, no terminal) on a fresh database of the real
// server, with sessions the test opens: the sessions listed (hostile query text escaped), cancel
// and terminate with their guard and audit, the blocking tree as JSON, tables and top queries.
// Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readAudit} from '../../source/mutations/registry.js';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {adminQuery, createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {sessionPool, type SessionPool, type TestSession} from '../helpers/pg-sessions.js';
import {waitFor} from '../helpers/wait.js';

let db: TestDatabase;
let sessions: SessionPool;
let cwd: string;

beforeAll(async () => {
	requireBuild();
	db = await createTestDatabase('opsdeck_pgcmd');
	sessions = sessionPool(db.url);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-pgcmd-'));
});

afterAll(async () => {
	await sessions?.closeAll();
	await db?.drop();
	if (cwd) fs.rmSync(cwd, {recursive: true, force: true});
});

const auditLog = () => path.join(cwd, 'audit.log');
const pg = (args: string[], extra: Record<string, string> = {}) => runCli(['pg', ...args], {env: cliEnv({DATABASE_URL: db.url, OPSDECK_AUDIT_LOG: auditLog(), ...extra}), cwd});
const stateOf = async (pid: number) => (await adminQuery<{state: string}>('select state from pg_stat_activity where pid = $1', [pid]))[0]?.state;

async function sleeping(name: string, sql = 'select pg_sleep(60)'): Promise<{session: TestSession; ended: Promise<unknown>}> {
	const session = await sessions.connect(name);
	const ended = session.start(sql);
	await waitFor(async () => (await stateOf(session.pid)) === 'active');
	return {session, ended};
}

type Node = {pid: number; blocks: Node[]; session?: {database: string}};

describe('opsdeck pg', () => {
	it('activity: the sleeping session with its query, hostile text escaped; --min-duration and --json', async () => {
		const {session, ended} = await sleeping('hostile', "select pg_sleep(60), '\x1b]0;pwned\x07' as t");
		const text = await pg(['activity']);
		expect(text.stderr).toBe('');
		expect(text.code).toBe(0);
		const line = text.stdout.split('\n').find(l => l.startsWith(`${session.pid} `));
		expect(line).toMatch(new RegExp(`^${session.pid}\\s+${db.name}\\s+postgres\\s+hostile\\s+127\\.0\\.0\\.1\\s+active\\s+Timeout:PgSleep\\s+[\\d.]+m?s\\s+[\\d.]+m?s\\s+select pg_sleep\\(60\\), '\\\\x1b\\]0;pwned\\\\x07' as t$`));
		expect(text.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
		expect(text.stdout).toMatch(/^connections \d+\/\d+ \(.*active \d+.*\) · longest transaction .* · no standbys$/m);
		const json = await pg(['activity', '--json']);
		expect(json.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
		const data = JSON.parse(json.stdout) as {view: string; sessions: Array<{pid: number; query: string; state: string}>; overview: {maxConnections: number}};
		expect(data.view).toBe('running');
		expect(data.overview.maxConnections).toBeGreaterThan(0);
		expect(data.sessions.find(s => s.pid === session.pid)).toMatchObject({state: 'active', query: "select pg_sleep(60), '\x1b]0;pwned\x07' as t"});
		const longer = await pg(['activity', '--min-duration', '1h']);
		expect(longer.stdout).not.toContain(`${session.pid} `);
		const bad = await pg(['activity', '--min-duration', 'soon']);
		expect(bad).toMatchObject({code: 2, stderr: 'opsdeck: --min-duration must be a duration like 500ms, 5s, 2m or 1h (got "soon")\n'});
		await adminQuery('select pg_cancel_backend($1)', [session.pid]);
		await ended;
	});

	// Found by the hostile tester: a real backslash was shown as it is, so the text `\x1b` typed into an
	// application_name or a query looked exactly like a real ESC shown escaped
	it('activity: a real backslash in server text is shown as \\\\, unlike a real ESC (\\x1b)', async () => {
		const {session, ended} = await sleeping('lit\\x1b]0;T', "select pg_sleep(60), 'typed\\x1b' as a, 'real\x1b' as b");
		const text = await pg(['activity']);
		expect(text.code).toBe(0);
		const line = text.stdout.split('\n').find(l => l.startsWith(`${session.pid} `))!;
		expect(line).toMatch(/ lit\\\\x1b\]0;T /);
		expect(line).toContain("'typed\\\\x1b' as a, 'real\\x1b' as b");
		await adminQuery('select pg_cancel_backend($1)', [session.pid]);
		await ended;
	});

	it('cancel: refused without --yes and in read-only mode; --yes ends the query ("canceling statement"), the session stays; all on record', async () => {
		const {session, ended} = await sleeping('victim');
		const pid = String(session.pid);
		const unconfirmed = await pg(['cancel', pid]);
		expect(unconfirmed.code).toBe(2);
		expect(unconfirmed.stderr).toMatch(new RegExp(`^opsdeck: refused: pid ${pid} \\(postgres@${db.name}, victim, active [\\d.]+m?s\\): select pg_sleep\\(60\\)\\. Cancel its query \\(the session stays open\\) needs --yes when there is no terminal to ask on\\n$`));
		const readOnly = await pg(['cancel', pid, '--yes', '--read-only']);
		expect(readOnly).toMatchObject({code: 2, stderr: 'opsdeck: read-only mode: pg-cancel refused (nothing was changed)\n'});
		expect(await stateOf(session.pid)).toBe('active');
		const done = await pg(['cancel', pid, '--yes']);
		expect(done).toMatchObject({code: 0, stderr: '', stdout: `cancelled the query of pid ${pid}; the session stays open\n`});
		expect(String(await ended)).toContain('canceling statement due to user request');
		expect((await session.client.query('select pg_backend_pid() as pid')).rows[0].pid).toBe(session.pid);
		const audit = readAudit({auditLog: auditLog()}).filter(e => e.target.startsWith(`pid ${pid} `) || e.target === `pid ${pid}`);
		expect(audit.map(e => [e.action, e.result, e.error])).toEqual([
			['pg-cancel', 'refused', 'no --yes and no terminal to ask on'],
			['pg-cancel', 'refused', 'read-only mode'],
			['pg-cancel', 'ok', undefined],
		]);
		expect(audit[2]!.target).toMatch(new RegExp(`^pid ${pid} \\(postgres@${db.name}, victim, active [\\d.]+m?s\\): select pg_sleep\\(60\\)$`));
	});

	it('terminate: a cancel of an idle transaction is refused; read-only refuses; --yes closes the session', async () => {
		const session = await sessions.connect('idler');
		await session.client.query('begin');
		await session.client.query('select 1');
		const pid = String(session.pid);
		const cancel = await pg(['cancel', pid, '--yes']);
		expect(cancel).toMatchObject({code: 2, stderr: `opsdeck: refused: pid ${pid} runs no query (idle in transaction): a cancel does nothing there; terminate ends the session; nothing was done\n`});
		const readOnly = await pg(['terminate', pid, '--yes'], {OPSDECK_READ_ONLY: '1'});
		expect(readOnly).toMatchObject({code: 2, stderr: 'opsdeck: read-only mode: pg-terminate refused (nothing was changed)\n'});
		expect(await stateOf(session.pid)).toBe('idle in transaction');
		const done = await pg(['terminate', pid, '--yes', '--json']);
		expect(done.code).toBe(0);
		expect(JSON.parse(done.stdout)).toMatchObject({pid: session.pid, action: 'terminate', signalled: true, session: {state: 'idle in transaction', application: 'idler'}});
		await waitFor(async () => (await stateOf(session.pid)) === undefined);
		expect(String(await session.client.query('select 1').catch((error: unknown) => error))).toMatch(/terminat|Connection/i);
		const audit = readAudit({auditLog: auditLog()}).filter(e => e.target.startsWith(`pid ${pid}`));
		expect(audit.map(e => [e.action, e.result])).toEqual([['pg-cancel', 'refused'], ['pg-terminate', 'refused'], ['pg-terminate', 'ok']]);
		// a pid with no session, and one that is not a pid
		expect(await pg(['terminate', '2147483647', '--yes'])).toMatchObject({code: 1, stderr: expect.stringContaining('no PostgreSQL session with pid 2147483647')});
		expect((await pg(['cancel', '12ab'])).code).toBe(2);
	});

	it('locks: A holds a row lock, B waits on it, C waits on B — the tree A → B → C, as text and as --json', async () => {
		await adminQuery('create table accounts (id int primary key, balance int); insert into accounts values (1, 0)', [], db.url);
		const a = await sessions.connect('holder-a');
		await a.client.query('begin');
		await a.client.query('update accounts set balance = 1 where id = 1');
		const b = await sessions.connect('waiter-b');
		const bDone = b.start('update accounts set balance = 2 where id = 1');
		await waitFor(async () => (await adminQuery('select wait_event_type from pg_stat_activity where pid = $1', [b.pid]))[0]?.wait_event_type === 'Lock');
		const c = await sessions.connect('waiter-c');
		const cDone = c.start('update accounts set balance = 3 where id = 1');
		const json = await waitFor(async () => {
			const r = await pg(['locks', '--json']);
			const tree = (JSON.parse(r.stdout) as {tree: Node[]}).tree.filter(n => n.session?.database === db.name);
			return tree[0]?.blocks[0]?.blocks.length === 1 ? tree : undefined;
		});
		const shape = (nodes: Node[]): unknown => nodes.map(n => ({pid: n.pid, blocks: shape(n.blocks)}));
		expect(shape(json)).toEqual([{pid: a.pid, blocks: [{pid: b.pid, blocks: [{pid: c.pid, blocks: []}]}]}]);
		const text = (await pg(['locks'])).stdout.split('\n');
		const at = text.findIndex(l => l.startsWith(`${a.pid}  idle in tx`));
		expect(text[at]).toContain('update accounts set balance = 1 where id = 1');
		expect(text[at + 1]).toMatch(new RegExp(`^└─ ${b.pid}  active  .*waits Lock:transactionid  update accounts set balance = 2`));
		expect(text[at + 2]).toMatch(new RegExp(`^   └─ ${c.pid}  active  .*waits Lock:tuple  update accounts set balance = 3`));
		await a.client.query('rollback');
		await Promise.all([bDone, cDone]);
	});

	it('tables lists the tables; queries says how to enable pg_stat_statements', async () => {
		await adminQuery('create table notes (id int primary key, body text); insert into notes select i, md5(i::text) from generate_series(1, 1000) i', [], db.url);
		const tables = JSON.parse((await pg(['tables', '--json'])).stdout) as {database: string; tables: Array<{name: string; totalBytes: number}>};
		expect(tables.database).toBe(db.name);
		expect(tables.tables.find(t => t.name === 'notes')!.totalBytes).toBeGreaterThan(0);
		const missing = await pg(['queries']);
		expect(missing).toMatchObject({code: 0, stdout: expect.stringMatching(new RegExp(`^pg_stat_statements is not installed in ${db.name}: .*CREATE EXTENSION pg_stat_statements\\n$`))});
		// installed: on a server that does not preload the library (the default), it says so
		const preloaded = (await adminQuery<{v: string}>('select current_setting($1) as v', ['shared_preload_libraries']))[0]!.v.includes('pg_stat_statements');
		await adminQuery('create extension pg_stat_statements', [], db.url);
		expect((await pg(['queries', '--json'])).stdout).toContain(preloaded ? '"available": true' : '"reason": "not loaded"');
	});
});
