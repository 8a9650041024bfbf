// The Postgres tab in the console frame, on the real PostgreSQL, with sessions the tests open
// themselves (a sleeping query, a lock chain, hostile query text) in a fresh database. The shared
// server holds other tests' sessions too: each test filters the list to its own application name.
import crypto from 'node:crypto';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {readAudit} from '../../source/mutations/registry.js';
import {parseDuration} from '../../source/postgres/views.js';
import {adminQuery, createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {sessionPool, type SessionPool} from '../helpers/pg-sessions.js';
import {keys, render, settle, stripAnsi, type Rendered} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let db: TestDatabase;
let pool: SessionPool;
let temp: TempSqlite;
const open: Backends[] = [];

beforeAll(async () => {
	db = await createTestDatabase('opsdeck_pgtab');
	pool = sessionPool(db.url);
	temp = tempSqlite();
});

afterEach(async () => {
	await pool.closeAll();
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
});

afterAll(async () => {
	await db?.drop();
	temp?.cleanup();
});

const auditFile = () => path.join(temp.dir, 'audit.log');
const appName = () => `pgtab-${crypto.randomBytes(4).toString('hex')}`;

/** The console on the Postgres tab (pressed `5`, as an operator would), listing `filter` only. */
async function openTab(env: Record<string, string> = {}, filter?: string): Promise<Rendered> {
	const config = loadConfig({
		env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: db.url, SQLITE_PATH: temp.path, OPSDECK_AUDIT_LOG: auditFile(), POLL_INTERVAL_MS: '300', ...env},
		cwd: temp.dir,
	});
	const backends = createBackends(config);
	open.push(backends);
	await backends.postgres.start();
	const app = render(<App backends={backends} startOnMount={false} />);
	await app.waitFor('1 Status');
	await settle(50);
	await app.press('5');
	await app.waitFor(/connections \d+\/\d+/, 10_000);
	if (filter !== undefined) {
		await app.press('/');
		await app.waitFor('filter:');
		await app.type(filter);
		await app.press(keys.enter);
		await app.waitFor(`filter "${filter}"`);
	}
	return app;
}

const rowOf = (screen: string, pid: number) => screen.split('\n').find(line => new RegExp(`^\\s*${pid}\\s`).test(line));

/** A session of its own application running `sql` (in the background); the tab filtered to it. */
async function sleeper(sql = 'select pg_sleep(60)', env: Record<string, string> = {}) {
	const name = appName();
	const session = await pool.connect(name);
	const ended = session.start(sql);
	const app = await openTab(env, name);
	await app.waitFor(s => rowOf(s, session.pid)?.includes('active') === true, 10_000);
	await settle(50);
	return {app, session, ended, name};
}

const stateOf = async (pid: number) => (await adminQuery<{state: string; query: string}>('select state, query from pg_stat_activity where pid = $1', [pid]))[0];
const auditOf = (pid: number) => readAudit({auditLog: auditFile()}, 500).filter(e => e.target.startsWith(`pid ${pid} `));

describe('Postgres tab: sessions', () => {
	it('`5` selects the tab; a pg_sleep(60) session is listed with its query and a growing time', async () => {
		const {app, session} = await sleeper();
		const timeOf = (screen: string) => {
			const match = /(\S+)\s+\S+\s+select pg_sleep\(60\)/.exec(rowOf(screen, session.pid) ?? '');
			return match ? parseDuration(match[1]!) : undefined;
		};
		const first = timeOf(app.screen());
		expect(rowOf(app.screen(), session.pid)).toMatch(/active .*select pg_sleep\(60\)/);
		expect(first).toBeDefined();
		await app.waitFor(s => (timeOf(s) ?? 0) > first! + 500, 5000);
		// the help names the active tab first, then its keys
		await app.press('?');
		const help = await app.waitFor('Esc or ? closes this help');
		expect(help.split('\n')[1]!.trim()).toBe('Postgres');
		// the frame's keys come after the tab's (y copy and E export made it taller than the pane)
		await app.press('G');
		await app.waitFor(/1-\d +Status · Keys · Monitor · Backups · Postgres · Redis/);
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('closes this help'));
		// idle sessions are hidden by default; `A` lists them
		const idle = await pool.connect(`${appName()}-idle`);
		await app.press('/');
		await app.type(`${keys.backspace.repeat(30)}pgtab-`);
		await app.press(keys.enter);
		await settle(700);
		expect(rowOf(app.screen(), idle.pid)).toBeUndefined();
		await app.press('A');
		await app.waitFor(s => rowOf(s, idle.pid)?.includes('idle') === true);
	});

	it('Enter opens the whole query, wrapped; hostile text in it is drawn escaped', async () => {
		const long = `select '\u001b]0;pwned\u0007' as title, pg_sleep(60), ${Array.from({length: 30}, (_, i) => `${i} as column_${i}`).join(', ')}`;
		const {app} = await sleeper(long);
		const raw = app.lastFrame() ?? '';
		expect(raw).not.toContain('\u001b]0;pwned');
		expect(raw).not.toContain('\u0007');
		expect(app.screen()).toContain(String.raw`select '\x1b]0;pwned\x07'`);
		await app.press(keys.enter);
		const whole = await app.waitFor('column_29');
		expect(whole).toContain(String.raw`\x1b]0;pwned\x07`);
		expect(whole.split('\n').every(line => Array.from(line).length <= 100)).toBe(true);
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('column_29') && s.includes('filter "pgtab-'));
	});
});

describe('Postgres tab: cancel and terminate', () => {
	it('c and the pid cancel the query: the session stays, the query ends "canceling statement"; audited', async () => {
		const {app, session, ended} = await sleeper();
		await app.press('c');
		const dialog = await app.waitFor(`Type ${session.pid} and press Enter`);
		expect(dialog).toContain('Cancel the query of pid');
		await settle(50);
		await app.type(String(session.pid));
		await app.press(keys.enter);
		expect(String(await ended)).toContain('canceling statement due to user request');
		await app.waitFor(`cancelled the query of pid ${session.pid}; the session stays open`);
		expect((await stateOf(session.pid))?.state).toBe('idle');
		expect(auditOf(session.pid).map(e => [e.action, e.result])).toEqual([['pg-cancel', 'ok']]);
	});

	it('k and the pid terminate the whole session; audited', async () => {
		const {app, session, ended} = await sleeper();
		await app.press('k');
		const dialog = await app.waitFor(`Type ${session.pid} and press Enter`);
		expect(dialog).toContain('Closes the whole session, not only its query');
		await settle(50);
		await app.type(String(session.pid));
		await app.press(keys.enter);
		expect(String(await ended)).toMatch(/terminating connection due to administrator command|Connection terminated/);
		await app.waitFor(`terminated pid ${session.pid}`);
		expect(await stateOf(session.pid)).toBeUndefined();
		expect(auditOf(session.pid).map(e => [e.action, e.result])).toEqual([['pg-terminate', 'ok']]);
	});

	it('a wrong word or Esc does nothing (each refusal audited)', async () => {
		const {app, session} = await sleeper();
		await app.press('k');
		await app.waitFor(`Type ${session.pid} and press Enter`);
		await settle(50);
		await app.type(String(session.pid + 1));
		await app.press(keys.enter);
		await app.waitFor(`That is not "${session.pid}". Nothing was done.`);
		await app.press(keys.escape);
		await app.waitFor('cancelled: nothing was done');
		await app.press('c');
		await app.waitFor(`Type ${session.pid} and press Enter`);
		await settle(50);
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('press Enter') && s.includes('cancelled: nothing was done'));
		expect(await stateOf(session.pid)).toMatchObject({state: 'active', query: 'select pg_sleep(60)'});
		expect(auditOf(session.pid).map(e => [e.action, e.result])).toEqual([['pg-terminate', 'refused'], ['pg-terminate', 'refused'], ['pg-cancel', 'refused']]);
	});

	it('read-only: c and k are refused with a message and no dialog; audited', async () => {
		const {app, session} = await sleeper('select pg_sleep(60)', {OPSDECK_READ_ONLY: '1'});
		await app.press('c');
		await app.waitFor('read-only mode: pg-cancel refused');
		expect(app.screen()).not.toContain('press Enter');
		await app.press('k');
		await app.waitFor('read-only mode: pg-terminate refused');
		expect(await stateOf(session.pid)).toMatchObject({state: 'active'});
		expect(auditOf(session.pid).map(e => [e.action, e.result])).toEqual([['pg-cancel', 'refused'], ['pg-terminate', 'refused']]);
	});
});

describe('Postgres tab: blocking, tables, top queries', () => {
	it('A holds a row lock, B waits on it, C waits on B: the blocking view draws A → B → C', async () => {
		await adminQuery('create table if not exists accounts (id int primary key, balance int); insert into accounts values (1, 0) on conflict do nothing', [], db.url);
		const name = appName();
		const [a, b, c] = [await pool.connect(`${name}-a`), await pool.connect(`${name}-b`), await pool.connect(`${name}-c`)];
		await a.client.query('begin');
		await a.client.query('update accounts set balance = 1 where id = 1');
		void b.start('update accounts set balance = 2 where id = 1');
		await new Promise(resolve => setTimeout(resolve, 200));
		void c.start('update accounts set balance = 3 where id = 1');
		const app = await openTab({}, name);
		// pg_blocking_pids() takes lock-manager locks: asked only while the blocking view is open
		const backends = open.at(-1)!;
		const blockingReads = () => query.mock.calls.filter(([sql]) => String(sql).includes('pg_blocking_pids')).length;
		const query = vi.spyOn(backends.postgres, 'query');
		await settle(1000);
		expect(blockingReads()).toBe(0);
		await app.press('b');
		const screen = await app.waitFor(s => rowOf(s, c.pid) !== undefined || new RegExp(`└─ ${c.pid}`).test(s), 10_000);
		const lines = screen.split('\n');
		const at = (re: RegExp) => lines.findIndex(line => re.test(line));
		const [ia, ib, ic] = [at(new RegExp(`^\\s*${a.pid} `)), at(new RegExp(`^└─ ${b.pid} `)), at(new RegExp(`^   └─ ${c.pid} `))];
		expect([ia, ib, ic].every(i => i > 0), screen).toBe(true);
		expect(ib).toBe(ia + 1);
		expect(ic).toBe(ib + 1);
		expect(screen).toContain('who blocks whom');
		expect(blockingReads()).toBeGreaterThan(0);
		await app.press('a');
		await settle(400);
		const reads = blockingReads();
		await settle(1000);
		expect(blockingReads()).toBe(reads);
		await app.press('b');
		await a.client.query('rollback');
		await app.waitFor('who blocks whom · 0 in the tree', 5000);
	});

	it('t lists the tables with their dead ratio; Q says how to enable pg_stat_statements', async () => {
		await adminQuery('create table churn as select g as id from generate_series(1, 1000) g; delete from churn where id <= 250', [], db.url);
		const app = await openTab();
		await app.press('t');
		// the statistics reach pg_stat_all_tables within a second or so: r reads again
		for (let i = 0; i < 40 && !/public\.churn .* 25\.0%/.test(app.screen()); i++) {
			await app.press('r');
			await settle(250);
		}
		expect(app.screen()).toMatch(/public\.churn .* 25\.0%/);
		expect(app.screen()).toMatch(/tables in opsdeck_pgtab_\w+, largest first/);
		await app.press(keys.escape);
		await app.waitFor(/connections \d+\/\d+/);
		await app.press('Q');
		await app.waitFor(/pg_stat_statements is (not installed|installed but not loaded)|top \d+ queries/);
	});

	it('40x10: nothing drawn is wider than the pane, on the list, a dialog and the sub-views', async () => {
		const {app, session} = await sleeper(`select pg_sleep(60) /* ${'x'.repeat(200)} */`);
		Object.defineProperty(app.stdout, 'columns', {value: 40, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {value: 10, configurable: true});
		app.stdout.emit('resize');
		const fits = (what: string) => {
			const lines = stripAnsi(app.lastFrame() ?? '').split('\n');
			expect(lines.length, what).toBeLessThanOrEqual(9);
			for (const line of lines) expect(Array.from(line).length, `${what}: ${line}`).toBeLessThanOrEqual(40);
		};
		await app.waitFor(s => !s.includes('2 Keys') && rowOf(s, session.pid) !== undefined);
		fits('the list');
		await app.press('k');
		await app.waitFor(`Type ${session.pid}`);
		fits('the dialog');
		expect(app.screen()).toMatch(/by itself in \d+s/);
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes(`Type ${session.pid}`));
		await app.press(keys.enter);
		await app.waitFor('lines 1-');
		fits('the whole query');
		await app.press(keys.escape, 't');
		await app.waitFor(/tables in|no tables/);
		fits('the tables');
		await app.press(keys.escape, 'Q');
		await app.waitFor(/pg_stat_statements|queries/);
		fits('top queries');
	});
});
