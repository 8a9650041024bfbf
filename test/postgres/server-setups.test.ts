// What the shared server cannot show: a private PostgreSQL (initdb on a free port) with
// pg_stat_statements preloaded, a role without pg_read_all_stats, and a streaming standby.
import {execFileSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {PostgresBackend} from '../../source/backends/postgres.js';
import {readOverview} from '../../source/postgres/overview.js';
import {readTopQueries} from '../../source/postgres/queries.js';
import {hiddenNote, readSessions} from '../../source/postgres/sessions.js';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {adminQuery} from '../helpers/pg-db.js';
import {startPgServer, startStandby, type PgServer} from '../helpers/pg-server.js';
import {sessionPool, type SessionPool} from '../helpers/pg-sessions.js';
import {waitFor} from '../helpers/wait.js';

let primary: PgServer;
let standby: PgServer | undefined;
let sessions: SessionPool;
const backends: PostgresBackend[] = [];

const backend = (url: string) => {
	const b = new PostgresBackend(url);
	backends.push(b);
	return b;
};

beforeAll(async () => {
	primary = await startPgServer({shared_preload_libraries: 'pg_stat_statements'});
	await adminQuery('create extension pg_stat_statements; create role weak login', [], primary.url());
	sessions = sessionPool(primary.url());
}, 60_000);

afterAll(async () => {
	await sessions?.closeAll();
	await Promise.all(backends.map(b => b.close()));
	standby?.stop();
	primary?.stop();
});

describe('on a private server', () => {
	it('top queries from pg_stat_statements: calls, time and rows of the busiest', async () => {
		const app = await sessions.connect('app');
		for (let i = 0; i < 30; i++) await app.client.query('select count(*) from generate_series(1, $1::int)', [1000 + i]);
		const top = await readTopQueries(backend(primary.url()), {limit: 50});
		if (!top.available) throw new Error(top.hint);
		// normalized: the constants are $n
		const ours = top.queries.find(q => /^select count\(\*\) from generate_series\(\$\d, \$\d::int\)$/.test(q.query ?? ''));
		expect(ours).toMatchObject({calls: 30, rows: 30, database: 'postgres', user: 'postgres'});
		expect(ours!.totalMs).toBeGreaterThan(0);
		expect(ours!.meanMs).toBeCloseTo(ours!.totalMs / 30, 5);
		expect(top.hidden).toBe(0);
		expect(top.queries.map(q => q.totalMs)).toEqual(top.queries.map(q => q.totalMs).sort((a, b) => b - a));
	});

	it('a role without pg_read_all_stats: other roles\' sessions are hidden, and said so; granted, they show', async () => {
		requireBuild();
		const sleeper = await sessions.connect('sleeper');
		const ended = sleeper.start('select pg_sleep(60)');
		const weak = backend(primary.url('weak'));
		const hidden = await waitFor(async () => (await readSessions(weak)).sessions.find(s => s.pid === sleeper.pid));
		expect(hidden).toMatchObject({hidden: true, query: null, state: null, application: 'sleeper', user: 'postgres'});
		const cli = await runCli(['pg', 'activity'], {env: cliEnv({DATABASE_URL: primary.url('weak')}), cwd: primary.dir});
		expect(cli.code).toBe(0);
		expect(cli.stdout).toMatch(new RegExp(`^${sleeper.pid}\\s+postgres\\s+postgres\\s+sleeper\\s+-\\s+hidden\\s+.*\\(hidden\\)$`, 'm'));
		expect(cli.stdout).toMatch(new RegExp(`^\\d+ ${hiddenNote}$`, 'm'));
		const top = await readTopQueries(weak);
		expect(top.available && top.hidden).toBeGreaterThan(0);
		await adminQuery('grant pg_read_all_stats to weak', [], primary.url());
		const seen = (await readSessions(backend(primary.url('weak')))).sessions.find(s => s.pid === sleeper.pid);
		expect(seen).toMatchObject({hidden: false, query: 'select pg_sleep(60)', state: 'active'});
		await adminQuery('select pg_cancel_backend($1)', [sleeper.pid], primary.url());
		await ended;
	});

	it('replication: the primary lists its standby with its lag; the standby reports its replay lag', async () => {
		standby = await startStandby(primary);
		const onPrimary = await waitFor(async () => {
			const o = await readOverview(backend(primary.url()));
			// replay_lsn is empty until the standby's first reply
			return o.standbys[0]?.state === 'streaming' && o.standbys[0].lagBytes !== null ? o : undefined;
		}, {timeout: 20_000});
		expect(onPrimary.isStandby).toBe(false);
		expect(onPrimary.standbys).toHaveLength(1);
		expect(onPrimary.standbys[0]!.lagBytes).toBeGreaterThanOrEqual(0);
		const onReplica = backend(standby.url());
		const onStandby = await readOverview(onReplica);
		expect(onStandby).toMatchObject({isStandby: true, standbys: []});
		expect(onStandby.replay!.lagBytes).toBeGreaterThanOrEqual(0);
		// once a transaction is replayed, the replay lag has a time too (the age of the last one replayed)
		await adminQuery('create table t (id int)', [], primary.url());
		const replayed = await waitFor(async () => {
			const replay = (await readOverview(onReplica)).replay;
			return replay?.lagMs != null ? replay : undefined;
		}, {timeout: 10_000});
		expect(replayed.lagMs).toBeGreaterThanOrEqual(0);
		expect(execFileSync('psql', [standby.url(), '-Atc', 'select pg_is_in_recovery()'], {encoding: 'utf8'}).trim()).toBe('t');
	}, 60_000);
});
