// Environments in the console (issue 20): two profiles, each with its own private redis-server, its
// own PostgreSQL database, SQLite file and backup folder. The banner names the profile on every
// frame (also at 40x10); P opens the picker, Esc cancels, Enter switches, and afterwards every tab
// shows the new environment's data and none of the old one's. A hostile profile name is drawn
// escaped. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliEnv} from '../helpers/health-env.js';
import {adminQuery, createTestDatabase, type TestDatabase} from '../helpers/pg-db.js';
import {keys, runPty, type PtyRun} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

const bin = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
const hostile = 'qa\u001b]0;pwned\u0007\u001b[2J';
const pause = () => new Promise(resolve => setTimeout(resolve, 80));

type Env = {readonly name: string; readonly redis: RedisServerHandle; readonly db: TestDatabase; readonly backup: string};
let dir: string;
let staging: Env;
let prod: Env;

async function environment(name: string, backup: string): Promise<Env> {
	const [redis, db] = await Promise.all([startRedis(), createTestDatabase(`opsdeck_${name}`)]);
	const client = new Redis(redis.url);
	client.on('error', () => undefined);
	await client.mset(`only:${name}:a`, '1', `only:${name}:b`, '2');
	client.disconnect();
	await adminQuery(`create table ${name}_only (id int)`, [], db.url);
	const folder = path.join(dir, name);
	fs.mkdirSync(path.join(folder, 'backups'), {recursive: true});
	fs.writeFileSync(path.join(folder, 'app.db'), '');
	fs.copyFileSync(path.join(folder, 'app.db'), path.join(folder, 'backups', backup));
	return {name, redis, db, backup};
}

const settings = (env: Env) => ({redisUrl: env.redis.url, databaseUrl: env.db.url, sqlitePath: `./${env.name}/app.db`, backupDir: `./${env.name}/backups`});

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-envs-'));
	[staging, prod] = await Promise.all([environment('staging', 'manual_2026-01-02T03-04-05.db'), environment('prod', 'manual_2025-06-07T08-09-10.db')]);
	fs.writeFileSync(path.join(dir, 'opsdeck.config.json'), JSON.stringify({
		watches: ['only:*'],
		profiles: {
			staging: {...settings(staging), colour: 'green'},
			prod: {...settings(prod), colour: 'red', readOnly: true, description: 'live'},
			[hostile]: {redisUrl: 'redis://127.0.0.1:1/0'},
		},
	}));
});

afterAll(async () => {
	await Promise.all([staging, prod].filter(Boolean).flatMap(env => [env.redis.stop(), env.db.drop()]));
	fs.rmSync(dir, {recursive: true, force: true});
});

/** Each tab's mark of an environment: the data only it has. */
async function visitTabs(run: PtyRun, env: Env, other: Env): Promise<void> {
	const marks: Array<[string, () => Promise<void>, string, string]> = [
		['1', async () => undefined, `redis://127.0.0.1:${env.redis.port}/0`, `:${other.redis.port}/`],
		['2', async () => undefined, `only:${env.name}:a`, `only:${other.name}`],
		['3', async () => undefined, `only:${env.name}:b`, `only:${other.name}`],
		['4', async () => undefined, env.backup, other.backup],
		['5', async () => {
			await run.waitForText(/sessions|running/);
			await pause();
			run.press('t');
		}, `tables in ${env.db.name}`, other.db.name],
		['6', async () => undefined, `127.0.0.1:${env.redis.port}`, `127.0.0.1:${other.redis.port}`],
	];
	for (const [tab, then, mine, theirs] of marks) {
		await pause();
		run.press(tab);
		await then();
		await run.waitForText(mine, 15_000);
		expect(run.screen(), `tab ${tab} on ${env.name}`).not.toContain(theirs);
		// the banner on every frame
		expect(run.lines()[0]).toMatch(new RegExp(`^ ${env.name} `));
	}
}

describe('profiles in the console', () => {
	it('the banner names the environment; P switches every tab to the other one; Esc cancels; 40x10 keeps the banner', async () => {
		const env = cliEnv({XDG_STATE_HOME: path.join(dir, 'state'), OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log')});
		const run = runPty('node', [bin, '--profile', 'staging'], {cols: 80, rows: 24, env, cwd: dir});
		try {
			await run.waitForText('HEALTHY', 15_000);
			expect(run.lines()[0]).toMatch(/^ staging +1 Status/);
			await visitTabs(run, staging, prod);

			// the picker: every profile, the current one marked, a hostile name escaped; Esc keeps the environment
			await pause();
			run.press('P');
			await run.waitForText('Switch environment (3 profiles)');
			expect(run.screen()).toMatch(/staging +\(current\)/);
			expect(run.screen()).toMatch(/prod +read-only +live/);
			expect(run.screen()).toContain('qa\\x1b]0;pwned\\x07\\x1b[2J');
			expect(run.rawOutput()).not.toContain('\u001b]0;pwned');
			run.press(keys.escape);
			await run.waitForNoText('Switch environment');
			expect(run.lines()[0]).toMatch(/^ staging /);

			await pause();
			run.press('P');
			await run.waitForText('Switch environment');
			await pause();
			run.press('j');
			await pause();
			run.press(keys.enter);
			await run.waitForText('now on prod (read-only)');
			expect(run.lines()[0]).toMatch(/^ prod .*(read-only|RO)$/);
			await visitTabs(run, prod, staging);

			// a small tmux pane: the banner and RO still on the top row
			run.resize(40, 10);
			await run.waitForText(/^ prod +1 .*RO$/m);
			expect(run.wrappedRows()).toEqual([]);
			run.press('q');
			expect((await run.waitForExit()).exitCode).toBe(0);
		} finally {
			run.kill('SIGKILL');
		}
	});
});
