// PostgresBackend against a fresh database on the local server: statement timeouts, killed
// connections, unreachable servers, reconnects.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {PostgresBackend} from '../../source/backends/postgres.js';
import {freePort} from '../helpers/ports.js';
import {type TestDatabase, adminQuery, createTestDatabase} from '../helpers/pg-db.js';
import {startBlackhole, startProxy} from '../helpers/tcp-proxy.js';
import {timed, waitFor} from '../helpers/wait.js';

const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);

let db: TestDatabase;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

function track<T extends {close(): Promise<unknown>}>(thing: T): T {
	cleanups.push(() => thing.close());
	return thing;
}

/** Connections to the test database as the server sees them. */
async function activity(): Promise<{pid: number; application_name: string; state: string | null}[]> {
	return adminQuery('select pid, application_name, state from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [db.name]);
}

beforeAll(async () => {
	process.on('unhandledRejection', onEscape);
	process.on('uncaughtException', onEscape);
	db = await createTestDatabase();
});

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	expect(escaped).toEqual([]);
});

afterAll(async () => {
	process.off('unhandledRejection', onEscape);
	process.off('uncaughtException', onEscape);
	await db?.drop();
});

describe('PostgresBackend', () => {
	it('runs queries with parameters and reports up', async () => {
		const backend = track(new PostgresBackend(db.url, {max: 4}));
		await backend.query('create table chats (code text primary key, name text not null)');
		await backend.query('insert into chats values ($1, $2), ($3, $4)', ['lobby', 'Lobby', 'dev', 'Developers']);
		const rows = await backend.query<{code: string; name: string}>('select code, name from chats order by code');
		expect(rows).toEqual([{code: 'dev', name: 'Developers'}, {code: 'lobby', name: 'Lobby'}]);
		// without parameters the statement travels in one string with BEGIN … COMMIT: a trailing ; is fine
		expect(await backend.query('select count(*)::int as n from chats;\n')).toEqual([{n: 2}]);
		const ms = await backend.ping();
		expect(ms).toBeGreaterThanOrEqual(0);
		expect(backend.status.state).toBe('up');
		expect(backend.serverStartedAt).toBeInstanceOf(Date);
	});

	it('a failed statement rolls back and leaves the connection usable', async () => {
		const backend = track(new PostgresBackend(db.url, {max: 1}));
		await backend.query('create table t_rollback (n int primary key)');
		await backend.query('insert into t_rollback values (1)');
		await expect(backend.query('insert into t_rollback values (1)')).rejects.toMatchObject({code: '23505'});
		expect(await backend.query('select count(*)::int as n from t_rollback')).toEqual([{n: 1}]);
	});

	it('the statement timeout cancels pg_sleep and the pool is not exhausted afterwards', async () => {
		const backend = track(new PostgresBackend(db.url, {max: 4}));
		const sleep = await timed(() => backend.query('select pg_sleep(10)', [], {timeoutMs: 200}));
		expect(sleep.ok).toBe(false);
		expect(sleep.error).toMatchObject({code: '57014'});
		expect(sleep.ms).toBeGreaterThanOrEqual(150);
		expect(sleep.ms).toBeLessThan(2000);

		// more timeouts than the pool has clients, all at once
		const many = await Promise.all(Array.from({length: 6}, () => timed(() => backend.query('select pg_sleep(10)', [], {timeoutMs: 200}))));
		for (const result of many) expect(result.error).toMatchObject({code: '57014'});

		const started = performance.now();
		const results = await Promise.all(Array.from({length: 10}, (_, i) => backend.query<{n: number}>('select $1::int as n', [i])));
		expect(results.map(rows => rows[0]!.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(performance.now() - started).toBeLessThan(2000);
		expect(backend.pool.totalCount).toBeLessThanOrEqual(4);
		expect(backend.pool.waitingCount).toBe(0);
		// the server agrees: nothing is still sleeping
		const busy = (await activity()).filter(row => row.state === 'active');
		expect(busy).toEqual([]);
	});

	it('survives pg_terminate_backend of every connection, idle pool clients included', async () => {
		const backend = track(new PostgresBackend(db.url, {max: 4}));
		// fill the pool: four clients, then idle
		await Promise.all(Array.from({length: 4}, () => backend.query('select pg_sleep(0.05)')));
		expect(backend.pool.idleCount).toBe(4);
		expect((await activity()).filter(row => row.application_name === 'opsdeck')).toHaveLength(4);

		expect(await db.terminate()).toBe(4);
		// the idle clients' errors arrive on the pool's error listener, not as a crash
		await waitFor(() => backend.pool.idleCount === 0, {timeout: 3000});
		expect(backend.status.lastError).toMatch(/terminat/i);

		const ms = await backend.ping();
		expect(ms).toBeGreaterThanOrEqual(0);
		expect(backend.status.state).toBe('up');
	});

	it('a query running while its connection is terminated fails, and the next one works', async () => {
		const backend = track(new PostgresBackend(db.url, {max: 2}));
		const running = timed(() => backend.query('select pg_sleep(5)', [], {timeoutMs: 8000}));
		await waitFor(async () => (await activity()).some(row => row.state === 'active' && row.application_name === 'opsdeck'), {timeout: 3000});
		await db.terminate();
		const result = await running;
		expect(result.ok).toBe(false);
		expect(result.ms).toBeLessThan(4000);
		await waitFor(() => backend.ping(), {timeout: 3000});
		expect(await backend.query('select 1 as one')).toEqual([{one: 1}]);
	});

	it('a closed port rejects within the connect timeout and never hangs', async () => {
		const port = await freePort();
		const backend = track(new PostgresBackend(`postgres://postgres@127.0.0.1:${port}/postgres`, {connectTimeoutMs: 1000}));
		const ping = await timed(() => backend.ping());
		expect(ping.ok).toBe(false);
		expect(String(ping.error)).toMatch(/ECONNREFUSED/);
		expect(ping.ms).toBeLessThan(1000);
		expect(backend.status.state).toBe('down');
		expect(backend.status.lastError).toMatch(/connection refused/);
	});

	it('a server that accepts and never answers rejects within the connect timeout', async () => {
		const hole = await startBlackhole();
		cleanups.push(() => hole.close());
		const backend = track(new PostgresBackend(`postgres://postgres@127.0.0.1:${hole.port}/postgres`, {connectTimeoutMs: 1000}));
		const ping = await timed(() => backend.ping());
		expect(ping.ok).toBe(false);
		expect(ping.ms).toBeGreaterThanOrEqual(900);
		expect(ping.ms).toBeLessThan(2000);
		expect(backend.status.state).toBe('down');
		expect(backend.status.lastError).toBe('no answer within 1000 ms');
	});

	it('a connection that stops answering mid-query is given up by the client-side backstop', async () => {
		const proxy = await startProxy({targetPort: 5432});
		cleanups.push(() => proxy.close());
		const url = new URL(db.url);
		url.port = String(proxy.port);
		url.hostname = '127.0.0.1';
		const backend = track(new PostgresBackend(url.toString(), {max: 2, statementTimeoutMs: 300}));
		expect(await backend.query('select 1 as one')).toEqual([{one: 1}]);
		proxy.stall();
		// statement timeout 300 ms + 2 s backstop
		const stuck = await timed(() => backend.query('select 2 as two'));
		expect(stuck.ok).toBe(false);
		expect(stuck.ms).toBeLessThan(4000);
		proxy.resume();
		// the stuck client was thrown away, a new one works
		expect(await backend.query('select 3 as three')).toEqual([{three: 3}]);
	});

	// issue 13, case 13: a connection dropped under a query in flight emitted 'error' on a
	// checked-out client with no listener: "Unhandled 'error' event" took the process down.
	it('a proxy cut under a query in flight fails it with "postgres down: connection lost"; nothing escapes; traffic again → it works', async () => {
		const proxy = await startProxy({targetPort: 5432});
		cleanups.push(() => proxy.close());
		const url = new URL(db.url);
		url.port = String(proxy.port);
		const backend = track(new PostgresBackend(url.toString(), {max: 2}));
		await backend.ping();
		const running = timed(() => backend.query('select pg_sleep(5)', [], {timeoutMs: 8000}));
		await waitFor(async () => (await activity()).some(row => row.state === 'active' && row.application_name === 'opsdeck'), {timeout: 3000});
		proxy.cutAll();
		const result = await running;
		expect(result.ok).toBe(false);
		expect(String((result.error as Error).message)).toBe('postgres down: connection lost');
		expect(result.ms).toBeLessThan(4000);
		expect(backend.status.lastError).toBe('connection lost');
		// the proxy passes traffic again: a new connection, the next query works
		expect(await backend.query('select 1 as one')).toEqual([{one: 1}]);
		expect(backend.status.state).toBe('up');
		// the server's side of the cut connection sleeps on, unaware: end it for the tests after this one
		await adminQuery(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and state = 'active' and query like '%pg_sleep(5)%'`, [db.name]);
	});

	// issue 13, case 13: the same hole with no query running: a client checked out inside a
	// transaction (the demo seeds inside one while it writes Redis) terminated from another session.
	it('pg_terminate_backend of a checked-out client between two queries: no crash, the next query fails as connection lost', async () => {
		const backend = track(new PostgresBackend(db.url, {max: 2}));
		const result = await timed(() => backend.transaction(async client => {
			const pid = (await client.query<{pid: number}>('select pg_backend_pid() as pid')).rows[0]!.pid;
			expect(await adminQuery('select pg_terminate_backend($1) as ok', [pid])).toEqual([{ok: true}]);
			// the server's FATAL arrives with no query active: the client emits 'error' right away
			await waitFor(() => backend.status.lastError?.includes('connection lost'), {timeout: 3000});
			return client.query('select 2');
		}));
		expect(result.ok).toBe(false);
		expect(String((result.error as Error).message)).toMatch(/^postgres down: connection lost/);
		expect(await backend.query('select 3 as three')).toEqual([{three: 3}]);
	});

	it('reconnect() called 5 times at once makes exactly one reconnect', async () => {
		const backend = track(new PostgresBackend(db.url, {max: 4}));
		await backend.ping();
		const before = backend.status.reconnects;
		const firstPool = backend.pool;

		const results = await Promise.all([1, 2, 3, 4, 5].map(() => backend.reconnect()));
		for (const result of results) expect(result).toMatchObject({ok: true});
		expect(new Set(results).size).toBe(1);
		expect(backend.status.reconnects).toBe(before + 1);
		expect(backend.pool).not.toBe(firstPool);
		expect(firstPool.ended).toBe(true);
		// only the new pool's connection is left on the server
		await waitFor(async () => (await activity()).filter(row => row.application_name === 'opsdeck').length === 1, {timeout: 3000});
	});

	it('reconnect() to a server that is not there reports ok:false with the reason', async () => {
		const port = await freePort();
		const backend = track(new PostgresBackend(`postgres://postgres@127.0.0.1:${port}/postgres`, {connectTimeoutMs: 1000}));
		const result = await backend.reconnect();
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(/connection refused/);
	});

	it('connects as application_name opsdeck', async () => {
		const backend = track(new PostgresBackend(db.url));
		expect(await backend.query('select current_setting($1) as name', ['application_name'])).toEqual([{name: 'opsdeck'}]);
		const names = (await activity()).map(row => row.application_name);
		expect(names).toContain('opsdeck');
	});

	it('close() ends the pool; later queries fail fast', async () => {
		const backend = new PostgresBackend(db.url);
		await backend.ping();
		const closed = await timed(() => backend.close());
		expect(closed.ok).toBe(true);
		expect(closed.ms).toBeLessThan(2500);
		const after = await timed(() => backend.query('select 1'));
		expect(after.ok).toBe(false);
		expect(after.ms).toBeLessThan(100);
		await waitFor(async () => (await activity()).length === 0, {timeout: 3000});
	});
});
