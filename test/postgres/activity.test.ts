// The Postgres capability on the real server, in a fresh database, with sessions the test opens
// itself: a sleeping query, a lock chain, a transaction left idle, a table with dead tuples. The
// shared server may hold other tests' sessions: every check looks at this database's only.
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, startBackends} from '../../source/backends/index.js';
import {PostgresBackend} from '../../source/backends/postgres.js';
import {defaultThresholds, loadConfig} from '../../source/config/config.js';
import {checkHealth, judge} from '../../source/health/health.js';
import {readBlocking, type BlockingNode} from '../../source/postgres/blocking.js';
import {maskQuery} from '../../source/postgres/query-text.js';
import {readSessions, type Session} from '../../source/postgres/sessions.js';
import {readTables} from '../../source/postgres/tables.js';
import {parseDuration, selectSessions} from '../../source/postgres/views.js';
import {tablesTable} from '../../source/text/pg-text.js';
import {adminQuery, createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {sessionPool, type SessionPool} from '../helpers/pg-sessions.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';

let db: TestDatabase;
let backend: PostgresBackend;
let sessions: SessionPool;

beforeAll(async () => {
	db = await createTestDatabase('opsdeck_pgact');
	backend = new PostgresBackend(db.url);
	sessions = sessionPool(db.url);
});

afterAll(async () => {
	await sessions?.closeAll();
	await backend?.close();
	await db?.drop();
});

const ours = async () => (await readSessions(backend)).sessions.filter(s => s.database === db.name);
const shape = (nodes: readonly BlockingNode[]): unknown => nodes.map(n => ({pid: n.pid, blocks: shape(n.blocks)}));

describe('sessions', () => {
	it('a session running pg_sleep(60) is listed with its query and a growing duration; opsdeck is not', async () => {
		const sleeper = await sessions.connect('sleeper');
		const ended = sleeper.start('select pg_sleep(60)');
		const find = async () => (await ours()).find(s => s.pid === sleeper.pid && s.state === 'active');
		const first = await waitFor(find);
		expect(first).toMatchObject({query: 'select pg_sleep(60)', application: 'sleeper', user: 'postgres', waitEvent: 'PgSleep', hidden: false});
		const later = await waitFor(async () => {
			const s = await find();
			return s && s.queryMs! > first.queryMs! + 200 ? s : undefined;
		});
		expect(later.xactMs).toBeGreaterThanOrEqual(later.queryMs!);
		// the backend's own pool (application 'opsdeck') is never listed
		expect(backend.pool.totalCount).toBeGreaterThan(0);
		expect((await readSessions(backend)).sessions.some(s => s.application === 'opsdeck')).toBe(false);
		// the views: running and text match it; a minimum above its run time and the waiting view do not
		const all = await ours();
		expect(selectSessions(all, {text: 'SLEEPER'}).map(s => s.pid)).toEqual([sleeper.pid]);
		expect(selectSessions(all, {minDurationMs: 3_600_000})).toEqual([]);
		expect(selectSessions(all, {view: 'waiting'})).toEqual([]);
		await adminQuery('select pg_cancel_backend($1)', [sleeper.pid]);
		expect(String(await ended)).toContain('canceling statement due to user request');
	});

	it('views: idle hidden unless all, sorted longest first; durations and query masks parse as written', () => {
		const s = (pid: number, state: Session['state'], queryMs: number, xactMs: number | null) => ({pid, state, queryMs, xactMs, stateMs: queryMs, database: 'd', user: 'u', application: 'a', query: 'q', hidden: false}) as Session;
		const list = [s(1, 'idle', 9000, null), s(2, 'active', 100, 100), s(3, 'idle in transaction', 50, 5000), s(4, 'active', 2000, 2000)];
		expect(selectSessions(list).map(x => x.pid)).toEqual([3, 4, 2]);
		expect(selectSessions(list, {view: 'all', sort: 'pid'}).map(x => x.pid)).toEqual([1, 2, 3, 4]);
		expect(selectSessions(list, {view: 'all', sort: 'state'}).map(x => x.pid)).toEqual([4, 2, 3, 1]);
		expect(selectSessions(list, {minDurationMs: 1000}).map(x => x.pid)).toEqual([3, 4]);
		expect(['5s', '500ms', '2m', '1m30s', '1.5', 'x', '5 s'].map(parseDuration)).toEqual([5000, 500, 120_000, 90_000, 1500, undefined, undefined]);
		expect(maskQuery("ALTER ROLE app PASSWORD 'hunter2''s' valid until 'x'")).toBe("ALTER ROLE app PASSWORD '***' valid until 'x'");
		expect(maskQuery("select dblink('host=db password=s3cr3t dbname=app', 'select 1')")).toBe("select dblink('host=db password=*** dbname=app', 'select 1')");
	});
});

describe('blocking', () => {
	it('A holds a row lock, B waits on it, C waits on B: the tree is A → B → C', async () => {
		await adminQuery('create table accounts (id int primary key, balance int); insert into accounts values (1, 0)', [], db.url);
		const [a, b, c] = [await sessions.connect('holder-a'), await sessions.connect('waiter-b'), await sessions.connect('waiter-c')];
		await a.client.query('begin');
		await a.client.query('update accounts set balance = 1 where id = 1');
		const bDone = b.start('update accounts set balance = 2 where id = 1');
		await waitFor(async () => (await ours()).find(s => s.pid === b.pid && s.waitEventType === 'Lock'));
		const cDone = c.start('update accounts set balance = 3 where id = 1');
		const blocking = await waitFor(async () => {
			const read = await readBlocking(backend);
			return read.edges.some(e => e.pid === c.pid) ? read : undefined;
		});
		const tree = blocking.tree.filter(n => n.session?.database === db.name);
		expect(shape(tree)).toEqual([{pid: a.pid, blocks: [{pid: b.pid, blocks: [{pid: c.pid, blocks: []}]}]}]);
		expect(tree[0]!.session).toMatchObject({state: 'idle in transaction', application: 'holder-a'});
		expect(tree[0]!.blocks[0]!.blockedBy).toEqual([a.pid]);
		// the flat views agree
		const list = await ours();
		expect(selectSessions(list, {view: 'waiting', sort: 'pid'}).map(s => s.pid)).toEqual([b.pid, c.pid].sort((x, y) => x - y));
		expect(selectSessions(list, {view: 'blocking', edges: blocking.edges, sort: 'pid'}).map(s => s.pid)).toEqual([a.pid, b.pid, c.pid].sort((x, y) => x - y));
		await a.client.query('rollback');
		expect(await bDone).toEqual([]);
		expect(await cDone).toEqual([]);
	});
});

describe('health', () => {
	let redis: RedisServerHandle;
	let sqlite: TempSqlite;
	beforeAll(async () => {
		redis = await startRedis();
		sqlite = tempSqlite();
	});
	afterAll(async () => {
		await redis?.stop();
		sqlite?.cleanup();
	});

	it('a session idle in transaction longer than the threshold makes the verdict degraded, with its pid', async () => {
		fs.writeFileSync(path.join(sqlite.dir, 'opsdeck.config.json'), JSON.stringify({thresholds: {pgIdleInTransactionMs: 1000}}));
		const config = loadConfig({env: {REDIS_URL: redis.url, DATABASE_URL: db.url, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups')}, cwd: sqlite.dir});
		expect(config.thresholds).toMatchObject({pgIdleInTransactionMs: 1000, pgConnectionsRatio: 0.8});
		const backends = createBackends(config);
		try {
			await startBackends(backends);
			const idle = await sessions.connect('forgetful');
			await idle.client.query('begin');
			await idle.client.query('select 1');
			const before = await checkHealth(backends);
			expect(before.reasons.filter(r => r.component === 'postgres')).toEqual([]);
			const report = await waitFor(async () => {
				const r = await checkHealth(backends);
				return r.postgres.idleInTransaction && r.postgres.idleInTransaction.ms > 1000 ? r : undefined;
			});
			expect(report.postgres.idleInTransaction!.pid).toBe(idle.pid);
			expect(report.reasons.filter(r => r.component === 'postgres')).toEqual([
				{component: 'postgres', level: 'degraded', message: expect.stringMatching(new RegExp(`^postgres session pid ${idle.pid} idle in transaction for [\\d.]+s \\(over 1\\.0s\\)$`))},
			]);
			expect(report.verdict).toBe('degraded');
			await idle.client.query('rollback');
			// connections over the share of max_connections (the rule on its own: 81 sessions are not opened here)
			const at = (connections: number) => judge({...report, postgres: {...report.postgres, connections, maxConnections: 100, idleInTransaction: null}}, defaultThresholds).reasons.filter(r => r.component === 'postgres');
			expect(at(80)).toEqual([]);
			expect(at(81)).toEqual([{component: 'postgres', level: 'degraded', message: 'postgres connections at 81% of max_connections (81/100, over 80%)'}]);
		} finally {
			await closeBackends(backends);
		}
	});
});

describe('tables', () => {
	it('a table with dead tuples shows its dead ratio; the largest table comes first', async () => {
		// the 1M rows, half deleted; no autovacuum to clean up under the test
		await adminQuery(`
			create table events (id int primary key, body text) with (autovacuum_enabled = false);
			insert into events select i, repeat('x', 100) from generate_series(1, 1000000) i;
			delete from events where id % 2 = 0;
			create table tiny (id int)`, [], db.url);
		const result = await waitFor(async () => {
			const r = await readTables(backend);
			return r.tables.find(t => t.name === 'events')?.deadTuples === 500_000 ? r : undefined;
		});
		expect(result.database).toBe(db.name);
		expect(result.estimated).toBe(false);
		expect(result.tables[0]).toMatchObject({schema: 'public', name: 'events', liveTuples: 500_000, deadTuples: 500_000, deadRatio: 0.5, lastAutovacuum: null});
		const events = result.tables[0]!;
		expect(events.totalBytes).toBe(events.heapBytes + events.indexBytes + events.toastBytes);
		expect(events.heapBytes).toBeGreaterThan(5_000_000);
		expect(events.indexBytes).toBeGreaterThan(0);
		expect(result.tables.map(t => t.name)).toContain('tiny');
		expect(tablesTable(result)[1]).toMatch(/^public\.events\s+\d.*500,000\s+500,000\s+50\.0%/);
		// a table locked by an ALTER TABLE-like lock: sizes estimated instead of waiting in its queue
		const locker = await sessions.connect('locker');
		await locker.client.query('begin; lock table tiny in access exclusive mode');
		const started = performance.now();
		const locked = await readTables(backend, {lockTimeoutMs: 100});
		expect(performance.now() - started).toBeLessThan(3000);
		expect(locked.estimated).toBe(true);
		expect(locked.tables.map(t => t.name).sort()).toEqual(result.tables.map(t => t.name).sort());
		await locker.client.query('rollback');
	});
});
