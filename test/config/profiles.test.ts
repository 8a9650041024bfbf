// Profiles in the config file (issue 20, environments): the chosen one's settings, the precedence
// (flag > profile > environment > .env > the file's top level > default), read-only that nothing
// below can switch off, and the one-line errors (an unknown name lists the known ones).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/config.js';
import type {Flags} from '../../source/cli/flags.js';
import {mask} from '../../source/text/mask.js';

let cwd: string;

beforeEach(() => {
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-profiles-'));
});

afterEach(() => {
	fs.rmSync(cwd, {recursive: true, force: true});
});

const file = {
	redisUrl: 'redis://top:6379/0',
	databaseUrl: 'postgres://top:5432/app',
	sqlitePath: './top.db',
	thresholds: {latencyMs: 500, redisMemoryRatio: 0.5},
	profiles: {
		staging: {redisUrl: 'redis://staging:6379/1', colour: 'green', description: 'the rehearsal'},
		prod: {readOnly: true, colour: 'RED', redisUrl: 'redis://:Pr0dSecretPw@prod:6379/0', databaseUrl: 'postgres://app:PgProdSecret9@prod:5432/app', thresholds: {latencyMs: 200}},
		open: {readOnly: false},
	},
};

function load(options: {flags?: Flags; env?: Record<string, string>; profile?: string; dotenv?: string; content?: unknown} = {}) {
	fs.writeFileSync(path.join(cwd, 'opsdeck.config.json'), JSON.stringify(options.content ?? file));
	if (options.dotenv) fs.writeFileSync(path.join(cwd, '.env'), options.dotenv);
	return loadConfig({flags: options.flags ?? {}, env: {HOME: cwd, ...options.env}, cwd, profile: options.profile});
}

function error(options: Parameters<typeof load>[0]): string {
	try {
		load(options);
	} catch (caught) {
		expect(caught).toBeInstanceOf(ConfigError);
		return (caught as Error).message;
	}
	throw new Error('loadConfig did not throw');
}

describe('choosing a profile', () => {
	it('without one: the top level, and the names of every profile', () => {
		const config = load();
		expect(config.profile).toBeUndefined();
		expect(config.redisUrl).toBe('redis://top:6379/0');
		expect(config.profileNames).toEqual(['staging', 'prod', 'open']);
	});

	it('--profile, OPSDECK_PROFILE (also from .env), the picker: each picks one; the picker beats the flag, the flag the variable', () => {
		expect(load({flags: {profile: 'staging'}}).redisUrl).toBe('redis://staging:6379/1');
		expect(load({env: {OPSDECK_PROFILE: 'staging'}}).profile?.name).toBe('staging');
		expect(load({dotenv: 'OPSDECK_PROFILE=prod\n'}).profile?.name).toBe('prod');
		expect(load({flags: {profile: 'prod'}, env: {OPSDECK_PROFILE: 'staging'}}).profile?.name).toBe('prod');
		expect(load({flags: {profile: 'prod'}, profile: 'staging'}).profile?.name).toBe('staging');
		// an empty variable is unset, as everywhere
		fs.rmSync(path.join(cwd, '.env'));
		expect(load({env: {OPSDECK_PROFILE: ''}}).profile).toBeUndefined();
	});

	it('a profile overrides the top level key by key, nested thresholds merged; the rest is the top level', () => {
		const config = load({flags: {profile: 'prod'}});
		expect(config.profile).toEqual({name: 'prod', colour: 'red', description: undefined});
		expect(config.thresholds.latencyMs).toBe(200);
		expect(config.thresholds.redisMemoryRatio).toBe(0.5);
		expect(config.sqlitePath).toBe(path.join(cwd, 'top.db'));
		expect(load({flags: {profile: 'staging'}}).profile?.description).toBe('the rehearsal');
	});

	it('precedence: flag > profile > environment > .env > top level', () => {
		const dotenv = 'REDIS_URL=redis://dotenv:6379/0\nSQLITE_PATH=./dotenv.db\n';
		const env = {REDIS_URL: 'redis://env:6379/0'};
		// the profile beats the environment and .env: its banner never sits over another environment's Redis
		expect(load({flags: {profile: 'staging'}, env, dotenv}).redisUrl).toBe('redis://staging:6379/1');
		// what the profile does not set: the environment, then .env, then the top level
		expect(load({flags: {profile: 'staging'}, env, dotenv}).sqlitePath).toBe(path.join(cwd, 'dotenv.db'));
		expect(load({flags: {profile: 'staging'}, env: {DATABASE_URL: 'postgres://env:5432/x'}}).databaseUrl).toBe('postgres://env:5432/x');
		expect(load({flags: {profile: 'prod'}, env: {DATABASE_URL: 'postgres://env:5432/x'}}).databaseUrl).toBe('postgres://app:PgProdSecret9@prod:5432/app');
		// a flag beats the profile, and says so
		const flagged = load({flags: {profile: 'staging', redisUrl: 'redis://flag:6379/0'}});
		expect(flagged.redisUrl).toBe('redis://flag:6379/0');
		expect(flagged.profileShadowed).toEqual(['--redis-url']);
		expect(load({flags: {profile: 'staging', sqlite: './x.db'}}).profileShadowed).toEqual([]);
	});

	it('read-only: on when the flag, the environment or the profile says so; neither switches the other off', () => {
		expect(load({flags: {profile: 'prod'}}).readOnly).toBe(true);
		expect(load({flags: {profile: 'prod'}, env: {OPSDECK_READ_ONLY: '0'}}).readOnly).toBe(true);
		expect(load({flags: {profile: 'open'}, env: {OPSDECK_READ_ONLY: '1'}}).readOnly).toBe(true);
		expect(load({flags: {profile: 'open', readOnly: true}}).readOnly).toBe(true);
		expect(load({flags: {profile: 'open'}}).readOnly).toBe(false);
		expect(load({flags: {profile: 'staging'}}).readOnly).toBe(false);
		// without a profile: the usual precedence
		expect(load({content: {readOnly: true}, env: {OPSDECK_READ_ONLY: '0'}}).readOnly).toBe(false);
	});

	it('every profile\'s passwords are masked, whichever is chosen', () => {
		load();
		expect(mask('x Pr0dSecretPw y PgProdSecret9')).toBe('x *** y ***');
	});
});

describe('errors: one line, naming the profiles', () => {
	it('an unknown profile lists the known ones; none defined says so', () => {
		expect(error({flags: {profile: 'production'}})).toBe('unknown profile "production" (--profile); the profiles in opsdeck.config.json are "staging", "prod", "open"');
		expect(error({env: {OPSDECK_PROFILE: 'qa'}})).toMatch(/^unknown profile "qa" \(OPSDECK_PROFILE\); the profiles/);
		expect(error({flags: {profile: 'prod'}, content: {redisUrl: 'redis://x:6379/0'}})).toBe('unknown profile "prod" (--profile): opsdeck.config.json defines no profiles');
	});

	it('no config file at all: says so and where it looked, not "defines no profiles"', () => {
		const message = (() => {
			try {
				loadConfig({flags: {profile: 'prod'}, env: {HOME: cwd}, cwd});
			} catch (error_) {
				return (error_ as ConfigError).message;
			}
			return 'no error';
		})();
		expect(message).toBe(`profile "prod" (--profile): there is no config file: ${path.join(cwd, 'opsdeck.config.json')} does not exist (profiles live in the config file; --config FILE or OPSDECK_CONFIG names another)`);
	});

	it('a hostile name is escaped in every message', () => {
		const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J';
		const message = error({flags: {profile: hostile}, content: {profiles: {[hostile]: {colour: 'red'}}, redisUrl: 'nope'}});
		expect(message).not.toMatch(/[\u0000-\u001f]/);
		expect(error({flags: {profile: 'x\u001b[31m'}})).toContain('"x\\x1b[31m"');
	});

	it('a bad profile is refused key by key, like the top level', () => {
		expect(error({content: {profiles: {prod: {redisURL: 'redis://x'}}}})).toBe('unknown key profiles.prod.redisURL in opsdeck.config.json: did you mean profiles.prod.redisUrl?');
		expect(error({content: {profiles: {prod: {color: 'red'}}}})).toMatch(/did you mean profiles\.prod\.colour\?/);
		expect(error({content: {profiles: {prod: {readOnly: 'yes'}}}})).toBe('profiles.prod.readOnly in opsdeck.config.json must be true or false (got "yes")');
		expect(error({content: {profiles: ['prod']}})).toMatch(/^profiles in opsdeck\.config\.json must be an object of named profiles/);
		expect(error({content: {profiles: {prod: 'red'}}})).toMatch(/^profiles\.prod in opsdeck\.config\.json must be an object/);
		expect(error({content: {profiles: {'': {}}}})).toMatch(/a profile needs a name/);
		expect(error({content: {profiles: {prod: {profiles: {}}}}})).toMatch(/^unknown key profiles\.prod\.profiles/);
		// a bad colour only when that profile is chosen (the others still load)
		const content = {profiles: {prod: {colour: 'pink'}, staging: {}}};
		expect(error({content, flags: {profile: 'prod'}})).toBe('profiles.prod.colour must be one of red, yellow, green, blue, magenta, cyan, white, gray or #rrggbb (got "pink")');
		expect(load({content, flags: {profile: 'staging'}}).profile?.colour).toBe('yellow');
		// a bad value of the chosen profile names where it is
		expect(error({content: {profiles: {prod: {redisUrl: 'http://x'}}}, flags: {profile: 'prod'}})).toBe('profiles.prod.redisUrl in opsdeck.config.json is not a redis:// or rediss:// URL');
	});
});
