// Issue 14, point 5 (and issue 7): one registry of mutations drives the guard, the confirmation and
// the audit. The table below must name a way to trigger each entry of the registry (the Record type
// and the runtime check both fail when a new mutation is added without one). Each entry, on real
// data (a private redis-server, a temp SQLite file and its backups, a fresh PostgreSQL database):
//   refused in read-only mode + audited + nothing changed;
//   refused without confirmation (the CLI without --yes and no terminal, or the console's dialog
//   cancelled) + audited + nothing changed;
//   done + audited: a `started` line before it and its result after.
// And (issue 15: mutations/ is the only way a destructive action runs) each entry's op refuses it
// in read-only mode by itself, audited, whoever calls it; and no source file outside the ops sends
// a destructive Redis command or SQL statement.
// Plus issue 13, case 16 (an audit log that cannot be written), a SIGKILL mid-mutation ("started,
// no result") and a wrong word typed in the console's dialog. Needs `npm run build` (the CLI).
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {Redis} from 'ioredis';
import {createElement} from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig, type Config} from '../../source/config/config.js';
import {createBackup, deleteBackup, listBackups, planPrune, pruneBackups} from '../../source/backups/backups.js';
import {restoreBackup} from '../../source/backups/restore.js';
import {seedDemo} from '../../source/demo/demo.js';
import {clearChat} from '../../source/cache/collections.js';
import {flushRedis} from '../../source/cache/flush.js';
import {deleteKey} from '../../source/cache/keys.js';
import {analyzeDatabase, vacuumDatabase} from '../../source/sqlite/maintenance.js';
import {findSession} from '../../source/postgres/sessions.js';
import {signalSession} from '../../source/postgres/signal.js';
import {findClient, killClient} from '../../source/redis-server/clients.js';
import {resetSlowlog} from '../../source/redis-server/slowlog.js';
import {mutations, readAudit, ReadOnlyError, type AuditEntry, type Mutation} from '../../source/mutations/registry.js';
import {adminQuery, createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {sessionPool, type SessionPool, type TestSession} from '../helpers/pg-sessions.js';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle} from '../helpers/render.js';
import {binPath, runCli} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';
import {grow, sha256, startPairWriter, waitReady} from '../backups/backup-helpers.js';
import {restartApp} from '../../source/app-process/restart.js';
import {startSupervised, type Supervised} from '../helpers/app-supervisor.js';
import {freePort} from '../helpers/ports.js';
import {startS3Server, type S3ServerHandle} from '../helpers/s3-server.js';
import {deleteRemoteBackup, listRemoteBackups} from '../../source/backups/remote/remote-backups.js';
import {shipBackup} from '../../source/backups/remote/offsite.js';

let server: RedisServerHandle;
let database: TestDatabase;
let sqlite: TempSqlite;
let dir: string;
let auditLog: string;
let env: Record<string, string>;
let demoEnv: Record<string, string>;
let db0: Redis;
let db3: Redis;
let pgSessions: SessionPool;
const open: Backends[] = [];
// the app-restart entry's app: a plain process under a plain supervisor that keeps its pid in a file
let supervised: Supervised | undefined;
const appEnv = () => ({APP_SERVICE: `pidfile:${supervised!.pidFile}`, LOG_FILES: supervised!.log});

beforeAll(async () => {
	if (!fs.existsSync(binPath)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	[server, database] = await Promise.all([startRedis(), createTestDatabase('opsdeck_guard')]);
	sqlite = tempSqlite();
	dir = sqlite.dir;
	auditLog = path.join(dir, 'audit.log');
	env = {
		REDIS_URL: server.url,
		DATABASE_URL: database.url,
		SQLITE_PATH: sqlite.path,
		BACKUP_DIR: path.join(dir, 'backups'),
		BACKUP_RETENTION: '1',
		OPSDECK_AUDIT_LOG: auditLog,
	};
	// the demo seeds its own stores: Redis db 3, a SQLite file and backups of its own
	demoEnv = {...env, REDIS_URL: `redis://127.0.0.1:${server.port}/3`, SQLITE_PATH: path.join(dir, 'demo', 'app.db'), BACKUP_DIR: path.join(dir, 'demo', 'backups')};
	db0 = new Redis(server.url);
	db3 = new Redis(demoEnv.REDIS_URL!);
	pgSessions = sessionPool(database.url);
});

afterAll(async () => {
	await supervised?.stop();
	await s3?.close();
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
	await pgSessions?.closeAll();
	db0?.disconnect();
	db3?.disconnect();
	victim?.disconnect();
	await server?.stop();
	await database?.drop();
	sqlite?.cleanup();
});

function config(extra: Record<string, string> = {}): Config {
	return loadConfig({env: {...env, ...extra}, cwd: dir});
}

async function backendsFor(extra: Record<string, string> = {}): Promise<Backends> {
	const backends = createBackends(config(extra));
	open.push(backends);
	await backends.redis.ready();
	return backends;
}

function rawLines(file = auditLog): AuditEntry[] {
	if (!fs.existsSync(file)) return [];
	return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(line => JSON.parse(line) as AuditEntry);
}

const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, {env: {...env, ...extra}, cwd: dir});

async function keysOf(client: Redis): Promise<string> {
	return JSON.stringify((await client.keys('*')).sort());
}

function sqliteState(): string {
	const wal = `${sqlite.path}-wal`;
	return JSON.stringify({live: sha256(sqlite.path), wal: fs.existsSync(wal) ? sha256(wal) : null, backups: fs.readdirSync(env.BACKUP_DIR!).sort()});
}

let backupClock = Date.now() - 3_600_000;
async function newBackup(): Promise<string> {
	backupClock += 60_000;
	return (await createBackup(config(), {kind: 'manual', now: new Date(backupClock)})).name;
}

/** A CLI command: read-only with --yes, without --yes (no terminal), with --yes. */
function viaCli(args: () => string[], extra: () => Record<string, string> = () => ({})) {
	return {
		async readOnly() {
			const r = await cli([...args(), '--yes'], {...extra(), OPSDECK_READ_ONLY: '1'});
			expect(r.stderr).toMatch(/^opsdeck: read-only mode: .* refused/m);
			expect(r.code).toBe(2);
		},
		async unconfirmed() {
			const r = await cli(args(), extra());
			expect(r.stderr).toMatch(/^opsdeck: refused: .*needs --yes/m);
			expect(r.code).toBe(2);
		},
		async confirmed() {
			const r = await cli([...args(), '--yes'], extra());
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
		},
	};
}

type Trigger = {
	/** makes sure there is something for it to act on */
	readonly setup: () => Promise<void> | void;
	/** the state it would change */
	readonly snapshot: () => Promise<string> | string;
	readonly readOnly: () => Promise<void>;
	/** the op itself, called in read-only mode (as the console and the commands call it) */
	readonly op: (b: Backends) => Promise<unknown>;
	/** the environment the op's backends need beside read-only mode */
	readonly opEnv?: () => Record<string, string>;
	readonly unconfirmed: () => Promise<void>;
	readonly confirmed: () => Promise<void>;
};

let backupName = '';
let deleteName = '';
// delete-remote-backup's remote: a private s3rver, one backup uploaded to it
let s3: S3ServerHandle | undefined;
let remoteName = '';
const remoteEnv = () => ({...s3!.env, BACKUP_REMOTE: `s3://${s3!.bucket}/guard`});
const remoteState = async () => JSON.stringify((await listRemoteBackups(config(remoteEnv())))[0]!.backups.map(b => b.name));
/** a client of the test's own, for client-kill: it does not reconnect once killed */
let victim: Redis | undefined;
let victimId = 0;

async function victimIds(): Promise<string> {
	const list = String(await db0.client('LIST'));
	return JSON.stringify(list.split('\n').filter(line => / name=victim /.test(line)).map(line => /^id=(\d+)/.exec(line)![1]));
}

/** A PostgreSQL session of the test's own running pg_sleep: what pg cancel and pg terminate act on. */
async function sleeper(name: string): Promise<{session: TestSession; ended: Promise<unknown>}> {
	const session = await pgSessions.connect(name);
	const ended = session.start('select pg_sleep(120)');
	await waitFor(async () => (await adminQuery('select 1 from pg_stat_activity where pid = $1 and state = $2', [session.pid, 'active'])).length === 1);
	return {session, ended};
}
const sessionState = async (pid: number) => JSON.stringify(await adminQuery('select state, query_start::text from pg_stat_activity where pid = $1', [pid]));
let toCancel: Awaited<ReturnType<typeof sleeper>>;
let toTerminate: Awaited<ReturnType<typeof sleeper>>;

const triggers: Record<Mutation, Trigger> = {
	flush: {
		setup: async () => void (await db0.mset('a', '1', 'b', '2')),
		snapshot: () => keysOf(db0),
		op: b => flushRedis(b.config, b, {all: false, description: `FLUSHDB on ${b.redis.maskedUrl}`}),
		...viaCli(() => ['flush']),
	},
	'delete-key': {
		// only the console deletes a key: its dialog is the confirmation
		setup: async () => {
			const db2 = new Redis(`redis://127.0.0.1:${server.port}/2`);
			await db2.set('doomed', '1');
			db2.disconnect();
		},
		snapshot: async () => {
			const db2 = new Redis(`redis://127.0.0.1:${server.port}/2`);
			try {
				return await keysOf(db2);
			} finally {
				db2.disconnect();
			}
		},
		async readOnly() {
			const b = await backendsFor({REDIS_URL: `redis://127.0.0.1:${server.port}/2`, OPSDECK_READ_ONLY: '1'});
			await expect(deleteKey(b.config, b.redis, 'doomed')).rejects.toBeInstanceOf(ReadOnlyError);
		},
		op: b => deleteKey(b.config, b.redis, 'doomed'),
		opEnv: () => ({REDIS_URL: `redis://127.0.0.1:${server.port}/2`}),
		async unconfirmed() {
			const b = await backendsFor({REDIS_URL: `redis://127.0.0.1:${server.port}/2`});
			const app = render(createElement(App, {backends: b, initialTab: 1, startOnMount: false}));
			await app.waitFor(s => s.includes('doomed') && s.includes('done'), 10_000);
			await settle(100);
			await app.press('x');
			await app.waitFor('Type delete and press Enter');
			await settle(100);
			await app.press(keys.escape);
			await app.waitFor('cancelled: nothing was done');
			app.unmount();
		},
		async confirmed() {
			const b = await backendsFor({REDIS_URL: `redis://127.0.0.1:${server.port}/2`});
			expect(await deleteKey(b.config, b.redis, 'doomed')).toBe(true);
		},
	},
	'clear-chat': {
		setup: async () => {
			await db0.zadd('chat:ABC:messages', Date.now(), JSON.stringify({id: 'm1', content: 'hi'}));
			await db0.hset('chat:ABC:reactions:m1', 'heart', '2');
		},
		snapshot: () => keysOf(db0),
		op: b => clearChat(b, 'ABC'),
		...viaCli(() => ['chat', 'show', 'ABC', '--clear']),
	},
	restore: {
		setup: async () => {
			backupName = await newBackup();
			// the restore must change something the snapshot sees
			const db = new Database(sqlite.path);
			db.exec("insert into chats (code, name) values ('after', 'After the backup')");
			db.close();
		},
		snapshot: sqliteState,
		op: b => restoreBackup(b.config, backupName),
		...viaCli(() => ['backup', 'restore', backupName]),
	},
	'delete-backup': {
		setup: async () => void (deleteName = await newBackup()),
		snapshot: sqliteState,
		op: b => deleteBackup(b.config, deleteName),
		...viaCli(() => ['backup', 'delete', deleteName]),
	},
	prune: {
		setup: async () => {
			// manual backups are pruned only with --manual, and the newest verified one older than the
			// kept one stays too: three make sure one goes
			await newBackup();
			await newBackup();
			await newBackup();
			expect(planPrune(await listBackups(env.BACKUP_DIR!), 1, Date.now(), {manual: true}).remove.length).toBeGreaterThan(0);
		},
		snapshot: sqliteState,
		op: b => pruneBackups(b.config, Date.now(), {manual: true, leftovers: true}),
		...viaCli(() => ['backup', 'prune', '--manual']),
	},
	'sqlite-vacuum': {
		setup: () => {
			// free pages for VACUUM to give back
			const db = new Database(sqlite.path);
			db.exec('create table junk (body blob); with recursive c(x) as (select 1 union all select x + 1 from c where x < 500) insert into junk select randomblob(1000) from c; drop table junk;');
			db.close();
		},
		snapshot: sqliteState,
		op: b => vacuumDatabase(b.config, b.sqlite),
		...viaCli(() => ['sqlite', 'vacuum']),
	},
	'sqlite-analyze': {
		setup: () => undefined,
		snapshot: sqliteState,
		op: b => analyzeDatabase(b.config, b.sqlite),
		...viaCli(() => ['sqlite', 'analyze']),
	},
	'pg-cancel': {
		setup: async () => void (toCancel = await sleeper('guard-cancel')),
		snapshot: () => sessionState(toCancel.session.pid),
		op: async b => signalSession(b.config, b.postgres, 'cancel', (await findSession(b.postgres, toCancel.session.pid))!),
		...viaCli(() => ['pg', 'cancel', String(toCancel.session.pid)]),
		async confirmed() {
			await viaCli(() => ['pg', 'cancel', String(toCancel.session.pid)]).confirmed();
			expect(String(await toCancel.ended)).toContain('canceling statement due to user request');
		},
	},
	'pg-terminate': {
		setup: async () => void (toTerminate = await sleeper('guard-terminate')),
		snapshot: () => sessionState(toTerminate.session.pid),
		op: async b => signalSession(b.config, b.postgres, 'terminate', (await findSession(b.postgres, toTerminate.session.pid))!),
		...viaCli(() => ['pg', 'terminate', String(toTerminate.session.pid)]),
		async confirmed() {
			await viaCli(() => ['pg', 'terminate', String(toTerminate.session.pid)]).confirmed();
			await toTerminate.ended;
			await waitFor(async () => (await sessionState(toTerminate.session.pid)) === '[]');
		},
	},
	'slowlog-reset': {
		// a few entries logged, then the threshold back to its default (nothing else is slow here)
		setup: async () => {
			await db0.config('SET', 'slowlog-log-slower-than', '0');
			await db0.ping();
			await db0.config('SET', 'slowlog-log-slower-than', '10000');
			expect(await db0.slowlog('LEN')).toBeGreaterThan(0);
		},
		snapshot: async () => String(await db0.slowlog('LEN')),
		op: b => resetSlowlog(b.config, b.redis),
		...viaCli(() => ['redis', 'slowlog', '--reset']),
	},
	'client-kill': {
		setup: async () => {
			victim = new Redis(server.url, {connectionName: 'victim', retryStrategy: () => null});
			victim.on('error', () => undefined);
			victimId = Number(await victim.client('ID'));
		},
		snapshot: victimIds,
		op: async b => killClient(b.config, b.redis, await findClient(b.redis, {id: victimId})),
		...viaCli(() => ['redis', 'kill', String(victimId)]),
	},
	demo: {
		// seeding empty stores needs no confirmation (nothing is lost); replacing data does: --force
		setup: async () => {
			const b = createBackends(loadConfig({env: demoEnv, cwd: dir}));
			try {
				await startBackends(b);
				await b.redis.ready();
				await seedDemo(b, {chats: 2, seed: 1});
			} finally {
				await closeBackends(b);
			}
		},
		snapshot: () => keysOf(db3),
		async readOnly() {
			const r = await cli(['demo', '--chats', '2', '--force'], {...demoEnv, OPSDECK_READ_ONLY: '1'});
			expect(r.stderr).toBe('opsdeck: read-only mode: demo refused (nothing was changed)\n');
			expect(r.code).toBe(2);
		},
		op: b => seedDemo(b, {chats: 2, force: true}),
		opEnv: () => demoEnv,
		async unconfirmed() {
			const r = await cli(['demo', '--chats', '2'], demoEnv);
			expect(r.stderr).toMatch(/^opsdeck: refused: already has demo data.*use --force to replace it\n$/);
			expect(r.code).toBe(2);
		},
		async confirmed() {
			const r = await cli(['demo', '--chats', '2', '--force', '--json'], demoEnv);
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
		},
	},
	'delete-remote-backup': {
		setup: async () => {
			s3 ??= await startS3Server();
			remoteName = await newBackup();
			expect((await shipBackup(config(remoteEnv()), remoteName))?.ok).toBe(true);
		},
		snapshot: remoteState,
		op: b => deleteRemoteBackup(b.config, b.config.backupRemotes[0]!, remoteName),
		opEnv: remoteEnv,
		...viaCli(() => ['backup', 'delete', remoteName, '--from', '1'], remoteEnv),
	},
	'app-restart': {
		setup: async () => {
			supervised ??= startSupervised(dir, await freePort());
			await supervised.ready();
		},
		// the app's pid: a restart gives a new one
		snapshot: async () => String(await supervised!.ready()),
		op: b => restartApp(b.config),
		opEnv: appEnv,
		...viaCli(() => ['app', 'restart'], appEnv),
	},
};

describe('the registry of mutations', () => {
	it('has a trigger for each entry (a new one cannot skip this test)', () => {
		expect(Object.keys(triggers).sort()).toEqual([...mutations].sort());
	});
});

describe.each([...mutations])('%s', action => {
	const trigger = triggers[action];

	beforeAll(async () => {
		await trigger.setup();
	});

	it('is refused in read-only mode, changes nothing, and the refusal is audited', async () => {
		const before = await trigger.snapshot();
		const lines = rawLines().length;
		await trigger.readOnly();
		expect(await trigger.snapshot()).toBe(before);
		const added = rawLines().slice(lines);
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({action, result: 'refused', error: 'read-only mode'});
	}, 60_000);

	it('is refused in read-only mode by its op itself (whoever calls it), changes nothing, audited', async () => {
		const b = await backendsFor({...trigger.opEnv?.(), OPSDECK_READ_ONLY: '1'});
		const before = await trigger.snapshot();
		const lines = rawLines().length;
		await expect(trigger.op(b)).rejects.toBeInstanceOf(ReadOnlyError);
		expect(await trigger.snapshot()).toBe(before);
		const added = rawLines().slice(lines);
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({action, result: 'refused', error: 'read-only mode'});
	}, 60_000);

	it('is refused without confirmation, changes nothing, and the refusal is audited', async () => {
		const before = await trigger.snapshot();
		const entries = readAudit({auditLog}, 10_000).length;
		await trigger.unconfirmed();
		expect(await trigger.snapshot()).toBe(before);
		const audit = readAudit({auditLog}, 10_000);
		expect(audit).toHaveLength(entries + 1);
		expect(audit.at(-1)).toMatchObject({action, result: 'refused'});
	}, 60_000);

	it('runs when confirmed: a started line before it, the result after', async () => {
		const before = await trigger.snapshot();
		const lines = rawLines().length;
		await trigger.confirmed();
		expect(await trigger.snapshot()).not.toBe(before);
		const added = rawLines().slice(lines);
		expect(added.map(e => [e.action, e.result])).toEqual([[action, 'started'], [action, 'ok']]);
		expect(added[0]!.id).toBeTruthy();
		expect(added[1]!.id).toBe(added[0]!.id);
		expect(readAudit({auditLog}, 1)[0]).toMatchObject({action, result: 'ok', id: added[0]!.id});
	}, 60_000);
});

// issue 15: a destructive command sent from anywhere but an op that runs it through runMutation
// would skip the guard and the audit. The demo's own files are the exception: they are reached from
// seedDemo (which runs through runMutation) or are the demo app's traffic.
describe('no destructive action outside the guarded ops', () => {
	const redisCommand = /\.(flushdb|flushall|del|unlink)(Buffer)?\(|['"](del|unlink|flushdb|flushall)['"]/;
	const sqlStatement = /exec\(['"`](VACUUM|ANALYZE)|\b(drop table|delete from|truncate table)\b/i;
	// a signal to another process, `systemctl restart` / `pm2 restart` (the app-restart op)
	const processAction = /process\.kill\([^)]*'SIG(TERM|KILL|INT|HUP|QUIT)'|\[['"]restart['"]/;
	const sourceDir = fileURLToPath(new URL('../../source', import.meta.url));
	const files = (fs.readdirSync(sourceDir, {recursive: true}) as string[]).filter(file => /\.tsx?$/.test(file) && !file.startsWith(`demo${path.sep}`));

	it('every file that sends one runs it through runMutation', () => {
		const senders = files.filter(file => {
			const text = fs.readFileSync(path.join(sourceDir, file), 'utf8');
			return redisCommand.test(text) || sqlStatement.test(text) || processAction.test(text);
		});
		// the patterns still find the ops we know (flush, DEL, clear, VACUUM/ANALYZE, the app's restart)
		expect(senders).toEqual(expect.arrayContaining(['cache/collections.ts', 'cache/flush.ts', 'cache/keys.ts', 'sqlite/maintenance.ts', 'app-process/restart.ts'].map(file => file.replaceAll('/', path.sep))));
		for (const file of senders) expect(fs.readFileSync(path.join(sourceDir, file), 'utf8'), file).toMatch(/\brunMutation\(/);
	});
});

// issue 13, case 16
describe('an audit log that cannot be written', () => {
	let notAFolder: string;
	beforeAll(() => {
		notAFolder = path.join(dir, 'not-a-folder');
		fs.writeFileSync(notAFolder, 'a regular file\n');
		fs.mkdirSync(path.join(dir, 'log-is-a-folder'), {recursive: true});
	});

	it.each([
		['under a regular file', () => path.join(notAFolder, 'audit.log'), 'a parent of it is not a folder'],
		['that is a folder', () => path.join(dir, 'log-is-a-folder'), 'it is a folder'],
	])('%s: flush --yes does not run, one line names the path and --audit-log', async (_name, file, reason) => {
		await db0.mset('kept:1', '1', 'kept:2', '2');
		const before = await db0.dbsize();
		const r = await cli(['flush', '--yes'], {OPSDECK_AUDIT_LOG: file()});
		expect(r.stderr).toBe(`opsdeck: cannot write the audit log ${file()} (${reason}): nothing was done; set --audit-log or OPSDECK_AUDIT_LOG\n`);
		expect(r.code).toBe(2);
		expect(await db0.dbsize()).toBe(before);
	});

	it('a refusal is still a refusal, with a warning that it is not on record', async () => {
		await db0.set('kept:3', '3');
		const before = await db0.dbsize();
		const file = path.join(notAFolder, 'audit.log');
		const unconfirmed = await cli(['flush'], {OPSDECK_AUDIT_LOG: file});
		expect(unconfirmed.code).toBe(2);
		expect(unconfirmed.stderr).toContain(`opsdeck: warning: cannot write the audit log ${file} (a parent of it is not a folder): this refusal of flush is not on record\n`);
		expect(unconfirmed.stderr).toMatch(/^opsdeck: refused: .*needs --yes/m);
		const readOnly = await cli(['flush', '--yes'], {OPSDECK_AUDIT_LOG: file, OPSDECK_READ_ONLY: '1'});
		expect(readOnly.code).toBe(2);
		expect(readOnly.stderr).toBe(`opsdeck: warning: cannot write the audit log ${file} (a parent of it is not a folder): this refusal of flush is not on record\nopsdeck: read-only mode: flush refused (nothing was changed)\n`);
		expect(await db0.dbsize()).toBe(before);
	});
});

describe('a mutation killed while it runs', () => {
	it('leaves "started" without a result, and opsdeck audit says so', async () => {
		const killDir = path.join(dir, 'killed');
		const live = path.join(killDir, 'app.db');
		fs.mkdirSync(killDir, {recursive: true});
		fs.copyFileSync(sqlite.path, live);
		grow(live, 48);
		const killEnv = {...env, SQLITE_PATH: live, BACKUP_DIR: path.join(killDir, 'backups'), OPSDECK_AUDIT_LOG: path.join(killDir, 'audit.log')};
		const name = (await createBackup(loadConfig({env: killEnv, cwd: dir}), {kind: 'manual'})).name;
		const child = spawn(process.execPath, [binPath, 'backup', 'restore', name, '--yes', '--force'], {cwd: dir, env: {...process.env, ...killEnv}, stdio: 'ignore'});
		const exited = new Promise(resolve => child.once('exit', resolve));
		await waitFor(() => rawLines(killEnv.OPSDECK_AUDIT_LOG).some(e => e.result === 'started'), {interval: 2, timeout: 20_000});
		child.kill('SIGKILL');
		await exited;
		expect(rawLines(killEnv.OPSDECK_AUDIT_LOG).map(e => e.result)).toEqual(['started']);
		const shown = await cli(['audit'], killEnv);
		expect(shown.code).toBe(0);
		expect(shown.stdout).toMatch(new RegExp(`  restore  ${live.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} from ${name.replace(/\./g, '\\.')}  started, no result — killed\\?\\n$`));
		const json = JSON.parse((await cli(['audit', '--json'], killEnv)).stdout) as {entries: AuditEntry[]};
		expect(json.entries).toMatchObject([{action: 'restore', result: 'started', unfinished: 'started, no result — killed?'}]);
	}, 60_000);
});

describe('holders found on restore', () => {
	it('the refusal is on record', async () => {
		const holdDir = path.join(dir, 'held');
		const live = path.join(holdDir, 'app.db');
		fs.mkdirSync(holdDir, {recursive: true});
		fs.copyFileSync(sqlite.path, live);
		const holdEnv = {...env, SQLITE_PATH: live, BACKUP_DIR: path.join(holdDir, 'backups'), OPSDECK_AUDIT_LOG: path.join(holdDir, 'audit.log')};
		const name = (await createBackup(loadConfig({env: holdEnv, cwd: dir}), {kind: 'manual'})).name;
		const writer = startPairWriter(live);
		try {
			await waitReady(writer.child);
			const r = await cli(['backup', 'restore', name, '--yes'], holdEnv);
			expect(r.stderr).toMatch(/is open in another process \(pid \d+/);
			expect(r.code).toBe(2);
			const audit = readAudit({auditLog: holdEnv.OPSDECK_AUDIT_LOG});
			expect(audit).toMatchObject([{action: 'restore', result: 'refused'}]);
			expect(audit[0]!.error).toContain(`pid ${writer.child.pid}`);
		} finally {
			await writer.stop();
		}
	}, 60_000);
});

describe('y/N on a terminal', () => {
	it('answered no: cancelled, nothing flushed, the refusal on record', async () => {
		await db0.mset('y:1', '1', 'y:2', '2');
		const before = await db0.dbsize();
		const entries = readAudit({auditLog}, 10_000).length;
		const pty = runPty(process.execPath, [binPath, 'flush'], {env: {...process.env, ...env}, cwd: dir});
		await pty.waitForText('Flush? [y/N]', 10_000);
		pty.press('n\r');
		expect((await pty.waitForExit(10_000)).exitCode).toBe(2);
		expect(pty.screen()).toContain('opsdeck: cancelled: nothing was done');
		expect(readAudit({auditLog}, 10_000).slice(entries)).toMatchObject([{action: 'flush', result: 'refused', error: 'not confirmed (answered no)'}]);
		expect(await db0.dbsize()).toBe(before);
	}, 30_000);
});

describe("the console's dialog", () => {
	it('a wrong word and Esc are refusals on record; nothing is flushed', async () => {
		await db0.mset('x:1', '1', 'x:2', '2');
		const before = await db0.dbsize();
		const backends = createBackends(config());
		open.push(backends);
		await startBackends(backends);
		const app = render(createElement(App, {backends, startOnMount: false}));
		await app.waitFor(/Redis {2}up/, 10_000);
		await settle(50);
		await app.press('F');
		await app.waitFor('Type flush and press Enter', 5000);
		await settle(50);
		const entries = readAudit({auditLog}, 10_000).length;
		await app.type('flsh');
		await app.press(keys.enter);
		await app.waitFor('That is not "flush". Nothing was done.');
		await app.press(keys.escape);
		await app.waitFor('flush cancelled: nothing was done');
		const added = readAudit({auditLog}, 10_000).slice(entries);
		expect(added).toMatchObject([
			{action: 'flush', result: 'refused', error: 'wrong confirmation word typed (not "flush")'},
			{action: 'flush', result: 'refused', error: 'cancelled (Esc)'},
		]);
		expect(added[0]!.target).toContain(`FLUSHDB on ${server.url}`);
		expect(await db0.dbsize()).toBe(before);
		app.unmount();
	}, 30_000);
});
