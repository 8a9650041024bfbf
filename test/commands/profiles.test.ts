// `opsdeck profiles` and `opsdeck status --all-profiles` (issue 20, environments), the built CLI
// against two private redis-servers, the local PostgreSQL and real SQLite files: passwords masked,
// hostile names escaped, one line per environment and the worst exit code. Needs `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bin, cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {adminUrl} from '../helpers/pg-db.js';
import {freePort} from '../helpers/ports.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let staging: RedisServerHandle;
let prod: RedisServerHandle;
let sqlite: TempSqlite;
let deadPort: number;
const hostile = 'qa\u001b]0;pwned\u0007\u001b[2J';

function writeConfig(name: string, profiles: Record<string, unknown>): string {
	const file = path.join(sqlite.dir, name);
	fs.writeFileSync(file, JSON.stringify({sqlitePath: sqlite.path, backupDir: path.join(sqlite.dir, 'backups'), profiles}));
	return file;
}

const run = (args: string[]) => runCli(args, {env: cliEnv({DATABASE_URL: adminUrl, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log')}), cwd: sqlite.dir});

beforeAll(async () => {
	requireBuild();
	[staging, prod] = await Promise.all([startRedis(), startRedis({args: ['--user', 'app', 'on', '>Pr0dRedisSecret', '~*', '&*', '+@all']})]);
	sqlite = tempSqlite();
	deadPort = await freePort();
	writeConfig('opsdeck.config.json', {
		staging: {redisUrl: staging.url, colour: 'green'},
		prod: {redisUrl: `redis://app:Pr0dRedisSecret@127.0.0.1:${prod.port}/0`, readOnly: true, colour: 'red', description: 'live'},
		[hostile]: {redisUrl: `redis://127.0.0.1:${deadPort}/0`},
	});
});

afterAll(async () => {
	await Promise.all([staging?.stop(), prod?.stop()]);
	sqlite?.cleanup();
});

describe('opsdeck profiles', () => {
	it('lists each profile with its settings, passwords masked, a hostile name escaped', async () => {
		const result = await run(['profiles']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('  staging  (green)');
		expect(result.stdout).toContain('  prod  read-only  (red)  live');
		expect(result.stdout).toContain(`redis     redis://app:***@127.0.0.1:${prod.port}/0`);
		expect(result.stdout).not.toContain('Pr0dRedisSecret');
		expect(result.stdout).toContain('qa\\x1b]0;pwned\\x07\\x1b[2J');
		expect(result.stdout).not.toMatch(/\u001b/);
	});

	it('--json: the same, masked; the chosen one marked current', async () => {
		const result = await run(['--profile', 'prod', 'profiles', '--json']);
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain('Pr0dRedisSecret');
		const data = JSON.parse(result.stdout) as {current: string; profiles: Array<{name: string; current: boolean; readOnly: boolean; redisUrl: string}>};
		expect(data.current).toBe('prod');
		expect(data.profiles.map(p => p.name)).toEqual(['staging', 'prod', hostile]);
		expect(data.profiles[1]).toMatchObject({current: true, readOnly: true, redisUrl: `redis://app:***@127.0.0.1:${prod.port}/0`});
	});

	it('status names the profile in use, as the banner does (text and --json); none: no line, null', async () => {
		const text = await run(['--profile', 'prod', 'status']);
		expect(text.stdout.split('\n')[0]).toBe('profile   prod  read-only  live');
		const escaped = await run(['--profile', hostile, 'status']);
		expect(escaped.stdout.split('\n')[0]).toBe('profile   qa\\x1b]0;pwned\\x07\\x1b[2J');
		expect(escaped.stdout).not.toMatch(/\u001b/);
		const json = JSON.parse((await run(['--profile', 'staging', 'status', '--json'])).stdout) as {profile: unknown; verdict: string};
		expect(json.profile).toEqual({name: 'staging', description: null, readOnly: false});
		expect(json.verdict).toMatch(/^(healthy|degraded|unhealthy)$/);
		const none = await run(['status', '--json']);
		expect((JSON.parse(none.stdout) as {profile: unknown}).profile).toBeNull();
		expect((await run(['status'])).stdout).not.toMatch(/^profile/m);
	});

	it('a flag that beats the profile is said on stderr', async () => {
		const result = await run(['--profile', 'staging', '--redis-url', prod.url, 'profiles']);
		expect(result.stderr).toBe('opsdeck: --redis-url on the command line overrides what profile "staging" sets\n');
		expect(result.stdout).toContain('overridden by --redis-url');
	});

	it('bad usage: an unknown profile, --profile without a value, no profiles at all', async () => {
		const unknown = await run(['--profile', 'production', 'status']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toBe('opsdeck: unknown profile "production" (--profile); the profiles in opsdeck.config.json are "staging", "prod", "qa\\x1b]0;pwned\\x07\\x1b[2J"\n');
		const missing = await run(['status', '--profile']);
		expect(missing).toMatchObject({code: 2, stdout: '', stderr: 'opsdeck: --profile needs a value\n'});
		const none = writeConfig('none.json', {});
		const listed = await run(['--config', none, 'profiles']);
		expect(listed.code).toBe(0);
		expect(listed.stdout).toMatch(/none\.json defines no profiles/);
		const all = await run(['--config', none, 'status', '--all-profiles']);
		expect(all.code).toBe(2);
		expect(all.stderr).toMatch(/^opsdeck: --all-profiles: .*none\.json defines no profiles/);
		// no config file at all: said so, not "defines no profiles"
		const empty = path.join(sqlite.dir, 'no-config');
		fs.mkdirSync(empty, {recursive: true});
		const env = cliEnv({DATABASE_URL: adminUrl, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log')});
		const absent = await runCli(['profiles'], {env, cwd: empty});
		expect(absent.code).toBe(0);
		expect(absent.stdout).toMatch(/no-config\/opsdeck\.config\.json does not exist: to use profiles, create it and define them there as \{"profiles"/);
		const allAbsent = await runCli(['status', '--all-profiles'], {env, cwd: empty});
		expect(allAbsent.code).toBe(2);
		expect(allAbsent.stderr).toMatch(/^opsdeck: --all-profiles: .*opsdeck\.config\.json does not exist/);
		// --profile or OPSDECK_PROFILE with no config file: one line saying so and where it looked
		for (const [args, extra] of [[['--profile', 'prod', 'status'], {}], [['status'], {OPSDECK_PROFILE: 'prod'}]] as const) {
			const noFile = await runCli(args, {env: {...env, ...extra}, cwd: empty});
			expect(noFile.code).toBe(2);
			expect(noFile.stdout).toBe('');
			expect(noFile.stderr).toBe(`opsdeck: profile "prod" (${'OPSDECK_PROFILE' in extra ? 'OPSDECK_PROFILE' : '--profile'}): there is no config file: ${path.join(empty, 'opsdeck.config.json')} does not exist (profiles live in the config file; --config FILE or OPSDECK_CONFIG names another)\n`);
		}
		const both = await run(['status', '--all-profiles', '--profile', 'prod']);
		expect(both).toMatchObject({code: 2, stderr: 'opsdeck: status takes --all-profiles or --profile NAME, not both\n'});
	});

	it('--help on the new commands prints help and runs nothing', async () => {
		for (const args of [['profiles', '--help'], ['status', '--all-profiles', '--help'], ['--profile', 'nope', 'profiles', '-h']]) {
			const result = await run(args);
			expect(result.code).toBe(0);
			expect(result.stdout).toMatch(/Usage: opsdeck (profiles|status)/);
			expect(result.stderr).toBe('');
		}
	});
});

describe('opsdeck status --all-profiles', () => {
	it('one line per environment; the exit code is the worst (a Redis on a dead port: degraded, 1)', async () => {
		const config = writeConfig('two.json', {staging: {redisUrl: staging.url}, gone: {redisUrl: `redis://127.0.0.1:${deadPort}/0`, colour: 'red'}});
		const result = await run(['--config', config, 'status', '--all-profiles']);
		const lines = result.stdout.trim().split('\n');
		expect(lines[0]).toMatch(/^profile +verdict +postgres +redis +backup +reason$/);
		expect(lines[1]).toMatch(/^staging +healthy +[\d.]+m?s +[\d.]+m?s +none\b/);
		expect(lines[2]).toMatch(/^gone +degraded +[\d.]+m?s +DOWN +none +redis down: /);
		expect(result.code).toBe(1);
	});

	it('every profile: PostgreSQL down in one (unhealthy, 2), an invalid one listed; --json carries each row', async () => {
		const config = writeConfig('three.json', {
			staging: {redisUrl: staging.url},
			nopg: {databaseUrl: `postgres://127.0.0.1:${deadPort}/x`},
			broken: {colour: 'pink'},
		});
		const result = await run(['--config', config, 'status', '--all-profiles', '--json']);
		expect(result.code).toBe(2);
		const data = JSON.parse(result.stdout) as {verdict: string; exitCode: number; profiles: Array<{name: string; verdict: string; redis: {state: string} | null; reason: string | null}>};
		expect(data.verdict).toBe('unhealthy');
		expect(data.profiles.map(p => [p.name, p.verdict])).toEqual([['staging', 'healthy'], ['nopg', 'unhealthy'], ['broken', 'invalid']]);
		expect(data.profiles[2]!.reason).toMatch(/colour must be one of/);
	});

	it('all three of the main file: the masked password never printed, the hostile name escaped', async () => {
		const result = await run(['status', '--all-profiles']);
		expect(result.stdout).not.toContain('Pr0dRedisSecret');
		expect(result.stdout).not.toMatch(/\u001b/);
		expect(result.stdout).toMatch(/^prod +healthy/m);
		expect(result.code).toBe(1);
		expect(fs.existsSync(bin)).toBe(true);
	});
});
