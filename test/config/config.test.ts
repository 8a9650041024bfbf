import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigError, defaultCollections, loadConfig, parseDotenv, redisDb} from '../../source/config/config.js';
import type {Flags} from '../../source/cli/flags.js';
import {mask} from '../../source/text/mask.js';

// Every test gets its own working directory and an explicit environment: process.env is never read.
let cwd: string;
const baseEnv = () => ({HOME: cwd});

beforeEach(() => {
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-config-'));
});

afterEach(() => {
	fs.rmSync(cwd, {recursive: true, force: true});
});

function writeDotenv(lines: string[]): void {
	fs.writeFileSync(path.join(cwd, '.env'), lines.join('\n') + '\n');
}

function writeConfigFile(content: unknown, name = 'opsdeck.config.json'): string {
	const file = path.join(cwd, name);
	fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
	return file;
}

function load(options: {flags?: Flags; env?: Record<string, string | undefined>} = {}) {
	return loadConfig({flags: options.flags ?? {}, env: {...baseEnv(), ...options.env}, cwd});
}

function configError(options: {flags?: Flags; env?: Record<string, string | undefined>} = {}): string {
	try {
		load(options);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return (error as Error).message;
	}
	throw new Error('loadConfig did not throw');
}

describe('defaults', () => {
	it('match the product contract', () => {
		const config = load();
		expect(config.redisUrl).toBe('redis://127.0.0.1:6379/0');
		expect(config.databaseUrl).toBe('postgres://127.0.0.1:5432/postgres');
		expect(config.sqlitePath).toBe(path.join(cwd, 'data', 'app.db'));
		expect(config.backupDir).toBe(path.join(cwd, 'backups'));
		expect(config.backupRetention).toBe(7);
		expect(config.backupEnabled).toBe(false);
		expect(config.backupIntervalHours).toBe(24);
		expect(config.pollIntervalMs).toBe(1000);
		expect(config.readOnly).toBe(false);
		expect(config.appUrl).toBeUndefined();
		expect(config.alertWebhookUrl).toBeUndefined();
		expect(config.healthPort).toBe(3000);
		expect(config.healthHost).toBe('127.0.0.1');
		expect(config.configFile).toBe(path.join(cwd, 'opsdeck.config.json'));
		expect(config.auditLog).toBe(path.join(cwd, '.local', 'state', 'opsdeck', 'audit.log'));
		expect(config.collections).toEqual(defaultCollections);
		expect(config.watches).toEqual([]);
	});
});

describe('precedence: flag > environment > .env > config file > default', () => {
	const settings = [
		{flag: 'redisUrl', env: 'REDIS_URL', file: 'redisUrl', field: 'redisUrl', values: ['redis://flag:6379/1', 'redis://env:6379/2', 'redis://dotenv:6379/3', 'redis://file:6379/4'], expected: (v: string) => v},
		{flag: 'interval', env: 'POLL_INTERVAL_MS', file: 'pollIntervalMs', field: 'pollIntervalMs', values: ['500', '600', '700', '800'], expected: (v: string) => Number(v)},
		{flag: 'sqlite', env: 'SQLITE_PATH', file: 'sqlitePath', field: 'sqlitePath', values: ['flag.db', 'env.db', 'dotenv.db', 'file.db'], expected: (v: string) => path.join(cwd, v)},
		{flag: 'backupDir', env: 'BACKUP_DIR', file: 'backupDir', field: 'backupDir', values: ['/b/flag', '/b/env', '/b/dotenv', '/b/file'], expected: (v: string) => v},
		{flag: 'appUrl', env: 'APP_HEALTH_URL', file: 'appUrl', field: 'appUrl', values: ['http://flag/health', 'http://env/health', 'http://dotenv/health', 'http://file/health'], expected: (v: string) => v},
		{flag: 'port', env: 'HEALTH_PORT', file: 'healthPort', field: 'healthPort', values: ['4001', '4002', '4003', '4004'], expected: (v: string) => Number(v)},
		{flag: 'databaseUrl', env: 'DATABASE_URL', file: 'databaseUrl', field: 'databaseUrl', values: ['postgres://flag/db', 'postgres://env/db', 'postgres://dotenv/db', 'postgres://file/db'], expected: (v: string) => v},
	] as const;

	for (const s of settings) {
		it(`${s.field}: each source beats the ones below it`, () => {
			const [flagValue, envValue, dotenvValue, fileValue] = s.values;
			const field = s.field as keyof ReturnType<typeof load>;
			writeConfigFile({[s.file]: s.file === 'pollIntervalMs' || s.file === 'healthPort' ? Number(fileValue) : fileValue});
			expect(load()[field]).toBe(s.expected(fileValue));
			writeDotenv([`${s.env}=${dotenvValue}`]);
			expect(load()[field]).toBe(s.expected(dotenvValue));
			expect(load({env: {[s.env]: envValue}})[field]).toBe(s.expected(envValue));
			expect(load({env: {[s.env]: envValue}, flags: {[s.flag]: flagValue}})[field]).toBe(s.expected(flagValue));
		});
	}

	it('backup settings without flags: environment > .env > config file', () => {
		writeConfigFile({backupRetention: 3, backupEnabled: true, backupIntervalHours: 6});
		expect(load()).toMatchObject({backupRetention: 3, backupEnabled: true, backupIntervalHours: 6});
		writeDotenv(['BACKUP_RETENTION=4', 'BACKUP_ENABLED=no', 'BACKUP_INTERVAL_HOURS=12']);
		expect(load()).toMatchObject({backupRetention: 4, backupEnabled: false, backupIntervalHours: 12});
		expect(load({env: {BACKUP_RETENTION: '5', BACKUP_ENABLED: 'on', BACKUP_INTERVAL_HOURS: '0.5'}})).toMatchObject({backupRetention: 5, backupEnabled: true, backupIntervalHours: 0.5});
	});

	it('read-only: flag, OPSDECK_READ_ONLY=1, .env, config file', () => {
		expect(load().readOnly).toBe(false);
		writeConfigFile({readOnly: true});
		expect(load().readOnly).toBe(true);
		writeDotenv(['OPSDECK_READ_ONLY=0']);
		expect(load().readOnly).toBe(false);
		expect(load({env: {OPSDECK_READ_ONLY: '1'}}).readOnly).toBe(true);
		expect(load({flags: {readOnly: true}, env: {OPSDECK_READ_ONLY: '0'}}).readOnly).toBe(true);
	});

	it('an empty environment variable does not hide .env or the config file', () => {
		writeDotenv(['REDIS_URL=redis://dotenv:6379/0']);
		expect(load({env: {REDIS_URL: ''}}).redisUrl).toBe('redis://dotenv:6379/0');
	});
});

describe('config file', () => {
	it('--config FILE is read relative to the working directory instead of opsdeck.config.json', () => {
		writeConfigFile({redisUrl: 'redis://default-file:6379/0'});
		fs.mkdirSync(path.join(cwd, 'conf'));
		writeConfigFile({redisUrl: 'redis://other-file:6379/5', watches: ['chat:*:messages']}, 'conf/other.json');
		const config = load({flags: {config: 'conf/other.json'}});
		expect(config.redisUrl).toBe('redis://other-file:6379/5');
		expect(config.configFile).toBe(path.join(cwd, 'conf', 'other.json'));
		expect(config.watches).toEqual(['chat:*:messages']);
		expect(redisDb(config)).toBe(5);
	});

	it('OPSDECK_CONFIG names the file too', () => {
		writeConfigFile({pollIntervalMs: 2000}, 'x.json');
		expect(load({env: {OPSDECK_CONFIG: 'x.json'}}).pollIntervalMs).toBe(2000);
	});

	it('a custom collections layout and thresholds are read', () => {
		writeConfigFile({
			collections: {messages: 'room:{chat}:msgs', maxMessages: 100, table: 'public.posts', columns: {chat: 'room_code'}},
			thresholds: {latencyMs: 250, redisMemoryRatio: 0.5, redisEvictionsPerSec: 20},
		});
		const config = load();
		expect(config.collections.messages).toBe('room:{chat}:msgs');
		expect(config.collections.pinned).toBe(defaultCollections.pinned);
		expect(config.collections.maxMessages).toBe(100);
		expect(config.collections.table).toBe('public.posts');
		expect(config.collections.columns).toEqual({...defaultCollections.columns, chat: 'room_code'});
		expect(config.thresholds).toEqual({latencyMs: 250, redisMemoryRatio: 0.5, minFreeDiskRatio: 0.1, pgConnectionsRatio: 0.8, pgIdleInTransactionMs: 300_000, redisEvictionsPerSec: 20, notOffsiteBackups: 1});
	});

});

describe('PostgreSQL from the standard PG* variables', () => {
	it('builds a URL from PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE', () => {
		const config = load({env: {PGHOST: 'db.internal', PGPORT: '6543', PGUSER: 'app', PGPASSWORD: 's3cret', PGDATABASE: 'chat'}});
		expect(config.databaseUrl).toBe('postgres://app:s3cret@db.internal:6543/chat');
	});

	it('defaults the database to the user and the host to 127.0.0.1', () => {
		expect(load({env: {PGUSER: 'app'}}).databaseUrl).toBe('postgres://app@127.0.0.1:5432/app');
	});

	it('handles a Unix socket directory as PGHOST', () => {
		const url = new URL(load({env: {PGHOST: '/var/run/postgresql', PGDATABASE: 'chat'}}).databaseUrl);
		expect(url.searchParams.get('host')).toBe('/var/run/postgresql');
		expect(url.pathname).toBe('/chat');
	});

	it('percent-encodes a password with special characters', () => {
		const url = new URL(load({env: {PGUSER: 'app', PGPASSWORD: 'p@ss/w:rd'}}).databaseUrl);
		expect(decodeURIComponent(url.password)).toBe('p@ss/w:rd');
	});

	it('DATABASE_URL beats PG*, and --database-url beats both', () => {
		const env = {PGHOST: 'pg-vars', DATABASE_URL: 'postgres://from-env/db'};
		expect(load({env}).databaseUrl).toBe('postgres://from-env/db');
		expect(load({env, flags: {databaseUrl: 'postgresql://from-flag/db'}}).databaseUrl).toBe('postgresql://from-flag/db');
	});

	it('PG* variables beat the config file', () => {
		writeConfigFile({databaseUrl: 'postgres://file/db'});
		expect(load({env: {PGHOST: 'vars'}}).databaseUrl).toBe('postgres://vars:5432/postgres');
	});
});

describe('.env parsing', () => {
	it('reads comments, quotes, export and inline comments', () => {
		expect(parseDotenv([
			'# a comment',
			'',
			'A=1',
			'export B = two',
			'C="quoted # not a comment"',
			"D='single'",
			'E=value # trailing comment',
			'F=',
			'G="quoted" # and a comment',
		].join('\r\n'))).toEqual({A: '1', B: 'two', C: 'quoted # not a comment', D: 'single', E: 'value', F: '', G: 'quoted'});
	});

	// issue 15: the cases where node:util parseEnv reads a line another way (see parseDotenv's comment)
	it('a BOM, a tab after export, # inside a value, = in a value, spaces around it, backslashes', () => {
		expect(parseDotenv('\uFEFFA=1\nexport\tB=2\nC=abc#def\nD=b=c\nE=\t spaced \t\nF="a\\nb"\n')).toEqual({A: '1', B: '2', C: 'abc#def', D: 'b=c', E: 'spaced', F: 'a\\nb'});
	});

	// issue 13, case 17: a malformed line was skipped (its setting silently not in force)
	it('a malformed line is one error naming the line, never skipped (and never quoted: it may hold a password)', () => {
		const cases: [string[], string][] = [
			[['A=1', 'REDIS_URL redis://:pw@h:6379/0'], '.env line 2 is not KEY=value'],
			[['=value'], '.env line 1 is not KEY=value'],
			[['1ABC=x'], '.env line 1 is not KEY=value'],
			[['# c', 'DATABASE_URL="postgres://u:pw@h/db'], '.env line 2: the double quote is not closed'],
			[["A='x' y"], '.env line 1: text after the closing quote'],
		];
		for (const [lines, message] of cases) {
			writeDotenv(lines);
			expect(configError(), lines.join(' / ')).toBe(message);
		}
	});
});

describe('errors: one line the operator can act on', () => {
	it('REDIS_URL that is not a redis URL', () => {
		expect(configError({env: {REDIS_URL: 'http://127.0.0.1:6379'}})).toBe('REDIS_URL is not a redis:// or rediss:// URL');
		expect(configError({env: {REDIS_URL: 'not a url'}})).toBe('REDIS_URL is not a redis:// or rediss:// URL');
	});

	it('names the source of a bad Redis URL: flag, .env, config file', () => {
		expect(configError({flags: {redisUrl: 'localhost:6379'}})).toBe('--redis-url is not a redis:// or rediss:// URL');
		writeConfigFile({redisUrl: 'mysql://x'});
		expect(configError()).toBe('redisUrl in opsdeck.config.json is not a redis:// or rediss:// URL');
		writeDotenv(['REDIS_URL=ftp://x']);
		expect(configError()).toBe('REDIS_URL is not a redis:// or rediss:// URL');
	});

	it('a Redis database that is not a number', () => {
		expect(configError({env: {REDIS_URL: 'redis://127.0.0.1:6379/cache'}})).toBe('REDIS_URL has a database number that is not a number: "cache"');
		// the flag as it is typed (it said --redisUrl, an option that does not exist)
		expect(configError({flags: {redisUrl: 'redis://127.0.0.1:6379/cache'}})).toBe('--redis-url has a database number that is not a number: "cache"');
		expect(configError({flags: {redisUrl: 'redis://127.0.0.1:6379?db=5'}})).toBe('--redis-url: give the database in the path (redis://host:6379/N), not as ?db=');
	});

	it('a bad DATABASE_URL, --database-url and PG* variables', () => {
		expect(configError({env: {DATABASE_URL: 'mysql://127.0.0.1/app'}})).toBe('DATABASE_URL is not a postgres:// or postgresql:// URL');
		expect(configError({flags: {databaseUrl: 'nonsense'}})).toBe('--database-url is not a postgres:// or postgresql:// URL');
		expect(configError({env: {PGHOST: 'bad host name'}})).toBe('PGHOST is not a host name or socket directory (got "bad host name")');
		expect(configError({env: {PGHOST: 'db', PGPORT: 'five'}})).toBe('PGPORT must be a port number (got "five")');
	});

	it('POLL_INTERVAL_MS out of range or not a number', () => {
		expect(configError({env: {POLL_INTERVAL_MS: '100'}})).toBe('POLL_INTERVAL_MS must be a whole number from 250 to 60000 (got "100")');
		expect(configError({env: {POLL_INTERVAL_MS: '60001'}})).toBe('POLL_INTERVAL_MS must be a whole number from 250 to 60000 (got "60001")');
		expect(configError({env: {POLL_INTERVAL_MS: 'fast'}})).toBe('POLL_INTERVAL_MS must be a whole number from 250 to 60000 (got "fast")');
		expect(configError({env: {POLL_INTERVAL_MS: '1.5e3'}})).toBe('POLL_INTERVAL_MS must be a whole number from 250 to 60000 (got "1.5e3")');
		expect(configError({flags: {interval: '10'}})).toBe('--interval must be a whole number from 250 to 60000 (got "10")');
	});

	it('BACKUP_RETENTION and BACKUP_INTERVAL_HOURS', () => {
		expect(configError({env: {BACKUP_RETENTION: '0'}})).toBe('BACKUP_RETENTION must be a whole number from 1 to 10000 (got "0")');
		expect(configError({env: {BACKUP_RETENTION: 'all'}})).toBe('BACKUP_RETENTION must be a whole number from 1 to 10000 (got "all")');
		expect(configError({env: {BACKUP_INTERVAL_HOURS: 'daily'}})).toBe('BACKUP_INTERVAL_HOURS must be a number from 0.01 to 8760 (got "daily")');
	});

	it('BACKUP_ENABLED and OPSDECK_READ_ONLY garbage', () => {
		expect(configError({env: {BACKUP_ENABLED: 'maybe'}})).toBe('BACKUP_ENABLED must be true or false (got "maybe")');
		expect(configError({env: {OPSDECK_READ_ONLY: 'y'}})).toBe('OPSDECK_READ_ONLY must be true or false (got "y")');
	});

	it('HEALTH_PORT, APP_HEALTH_URL and ALERT_WEBHOOK_URL', () => {
		expect(configError({env: {HEALTH_PORT: '70000'}})).toBe('HEALTH_PORT must be a whole number from 0 to 65535 (got "70000")');
		expect(configError({flags: {port: 'x'}})).toBe('--port must be a whole number from 0 to 65535 (got "x")');
		expect(configError({env: {APP_HEALTH_URL: 'localhost:8080/health'}})).toBe('APP_HEALTH_URL is not an http:// or https:// URL');
		expect(configError({env: {ALERT_WEBHOOK_URL: 'ftp://hooks'}})).toBe('ALERT_WEBHOOK_URL is not an http:// or https:// URL');
	});

	it('a config file that is not JSON, or not an object', () => {
		const file = writeConfigFile('{"redisUrl": ');
		expect(configError()).toBe(`config file ${file} is not a JSON object`);
		writeConfigFile('[1, 2]');
		expect(configError()).toBe(`config file ${file} is not a JSON object`);
	});

	it('a missing --config file (a missing default file is fine)', () => {
		expect(() => load()).not.toThrow();
		expect(configError({flags: {config: 'nope.json'}})).toBe(`cannot read config file ${path.join(cwd, 'nope.json')}: it does not exist`);
		expect(configError({env: {OPSDECK_CONFIG: 'gone.json'}})).toBe(`cannot read config file ${path.join(cwd, 'gone.json')}: it does not exist`);
	});

	it('a wrongly typed setting in the config file', () => {
		writeConfigFile({databaseUrl: 5432});
		expect(configError()).toBe('databaseUrl in opsdeck.config.json must be a string (got 5432)');
		writeConfigFile({watches: 'chat:*'});
		expect(configError()).toBe('watches in opsdeck.config.json must be a list of key names or patterns (got "chat:*")');
		writeConfigFile({thresholds: {redisMemoryRatio: 2}});
		expect(configError()).toBe('thresholds.redisMemoryRatio must be a number from 0 to 1 (got "2")');
	});

	it('a bad collections layout', () => {
		const cases: [unknown, string][] = [
			[[], 'collections in opsdeck.config.json must be an object (got a list)'],
			[{messages: 'chat:messages'}, 'collections.messages must contain {chat}'],
			[{pinned: 7}, 'collections.pinned in opsdeck.config.json must be a string (got 7)'],
			[{reactions: 'chat:{chat}:reactions'}, 'collections.reactions must contain {message}'],
			[{maxMessages: 0}, 'collections.maxMessages must be a whole number from 1 to 10000000 (got "0")'],
			[{ttlSeconds: 'long'}, 'collections.ttlSeconds in opsdeck.config.json must be a number (got "long")'],
			[{ttlSeconds: 1.5}, 'collections.ttlSeconds must be a whole number from 1 to 315360000 (got "1.5")'],
			[{table: 'messages; drop table chats'}, 'collections.table is not a plain SQL name: "messages; drop table chats"'],
			[{chatsTable: 'a.b.c'}, 'collections.chatsTable is not a plain SQL name: "a.b.c"'],
			[{columns: {createdAt: 'created at'}}, 'collections.columns.createdAt is not a plain SQL name: "created at"'],
			[{columns: 'id'}, 'collections.columns in opsdeck.config.json must be an object (got "id")'],
			[{columns: {created_at: 'x'}}, 'unknown key collections.columns.created_at in opsdeck.config.json: did you mean collections.columns.createdAt?'],
			[{messagess: 'chat:{chat}:m'}, 'unknown key collections.messagess in opsdeck.config.json: did you mean collections.messages?'],
		];
		for (const [collections, message] of cases) {
			writeConfigFile({collections});
			expect(configError(), JSON.stringify(collections)).toBe(message);
		}
	});
});

// issue 13, case 17: unknown keys were silently ignored, `"readOnly": 1` said "value.trim is not a
// function", `"thresholds": "x"` was ignored. Every key, nested ones too, is checked.
describe('every key of the config file is checked', () => {
	const cases: [unknown, string][] = [
		[{redisURL: 'redis://h:6379/0'}, 'unknown key redisURL in opsdeck.config.json: did you mean redisUrl?'],
		[{REDIS_URL: 'redis://h:6379/0'}, 'unknown key REDIS_URL in opsdeck.config.json: did you mean redisUrl?'],
		[{databseUrl: 'postgres://h/db'}, 'unknown key databseUrl in opsdeck.config.json: did you mean databaseUrl?'],
		[{watch: ['a']}, 'unknown key watch in opsdeck.config.json: did you mean watches?'],
		[{readOnly: 1}, 'readOnly in opsdeck.config.json must be true or false (got 1)'],
		[{readOnly: 'yes'}, 'readOnly in opsdeck.config.json must be true or false (got "yes")'],
		[{backupEnabled: null}, 'backupEnabled in opsdeck.config.json must be true or false (got null)'],
		[{thresholds: 'x'}, 'thresholds in opsdeck.config.json must be an object (got "x")'],
		[{thresholds: {latency: 5}}, 'unknown key thresholds.latency in opsdeck.config.json: did you mean thresholds.latencyMs?'],
		[{thresholds: {p99: 5}}, 'unknown key thresholds.p99 in opsdeck.config.json: the keys here are latencyMs, redisMemoryRatio, minFreeDiskRatio, pgConnectionsRatio, pgIdleInTransactionMs, redisEvictionsPerSec, notOffsiteBackups'],
		[{thresholds: {latencyMs: '500'}}, 'thresholds.latencyMs in opsdeck.config.json must be a number (got "500")'],
		[{backupRetention: '14'}, 'backupRetention in opsdeck.config.json must be a number (got "14")'],
		[{pollIntervalMs: true}, 'pollIntervalMs in opsdeck.config.json must be a number (got true)'],
		[{sqlitePath: ['a.db']}, 'sqlitePath in opsdeck.config.json must be a string (got a list)'],
		[{watches: ['ok', 3]}, 'watches in opsdeck.config.json must be a list of key names or patterns (got a list)'],
		[{collections: {columns: {id: {}}}}, 'collections.columns.id in opsdeck.config.json must be a string (got an object)'],
		[{'\u001b]0;pwned\u0007': 1}, 'unknown key \\x1b]0;pwned\\x07 in opsdeck.config.json: the keys here are redisUrl, databaseUrl, sqlitePath, backupDir, backupRetention, backupEnabled, backupIntervalHours, pollIntervalMs, readOnly, appUrl, alertWebhookUrl, healthPort, healthHost, auditLog, scanCount, thresholds, collections, watches, logFiles, logUnit, appService, appRestartTimeout, backupRemote, backupS3Endpoint, backupS3Region, backupS3PathStyle, backupS3AccessKeyId, backupS3SecretAccessKey, backupSftpKey, backupSftpPassword, backupSftpPassphrase, backupSftpKnownHosts, backupSftpHostKey, backupUploadRetries, backupUploadBackoffMs, backupHeartbeatUrl, backupKeep, backupRemoteKeep, drillIntervalHours, drillChecks, orphanChecks, clipboard, clipboardMaxBytes, exportDir, metricsWatchCap, noColor, theme, profiles'],
	];
	it.each(cases)('%j', (content, message) => {
		writeConfigFile(content);
		expect(configError()).toBe(message);
	});

	it('a full, correct file still loads (and $schema is allowed)', () => {
		writeConfigFile({
			$schema: './opsdeck.schema.json',
			redisUrl: 'redis://h:6379/1', databaseUrl: 'postgres://h/db', sqlitePath: 'a.db', backupDir: 'b', backupRetention: 9, backupEnabled: true,
			backupIntervalHours: 12, pollIntervalMs: 2000, readOnly: false, appUrl: 'http://h/health', alertWebhookUrl: 'https://hooks/x', healthPort: 3001,
			healthHost: '0.0.0.0', auditLog: 'audit.log', scanCount: 500, thresholds: {latencyMs: 500}, collections: {columns: {id: 'id'}}, watches: ['a:*'],
		});
		expect(load()).toMatchObject({backupRetention: 9, readOnly: false, healthPort: 3001, watches: ['a:*']});
	});
});

// issue 13, case 17: environment values that were taken wrongly instead of refused
describe('bad environment values: one line each', () => {
	it.each([
		[{PGHOST: 'db', PGPORT: '99999'}, 'PGPORT must be a port number (got "99999")'],
		[{PGHOST: 'db', PGPORT: '0'}, 'PGPORT must be a port number (got "0")'],
		[{BACKUP_INTERVAL_HOURS: '0x10'}, 'BACKUP_INTERVAL_HOURS must be a number from 0.01 to 8760 (got "0x10")'],
		[{REDIS_URL: 'redis://127.0.0.1:6379?db=5'}, 'REDIS_URL: give the database in the path (redis://host:6379/N), not as ?db='],
	] as const)('%j', (env, message) => {
		expect(configError({env})).toBe(message);
	});
});

describe('secrets', () => {
	it('loadConfig registers the Redis and PostgreSQL passwords for masking', () => {
		load({env: {REDIS_URL: 'redis://app:r3dis-pass@cache:6379/0', DATABASE_URL: 'postgres://app:pg%2Fpass%40x@db/app'}});
		expect(mask('NOAUTH r3dis-pass rejected')).toBe('NOAUTH *** rejected');
		expect(mask('password "pg/pass@x" failed')).toBe('password "***" failed');
		expect(mask('dsn pg%2Fpass%40x')).toBe('dsn ***');
	});

	it('registers PGPASSWORD too, even when DATABASE_URL is used', () => {
		load({env: {PGPASSWORD: 'env-only-secret', DATABASE_URL: 'postgres://db/app'}});
		expect(mask('auth env-only-secret')).toBe('auth ***');
	});

	it('registers a password given in .env', () => {
		writeDotenv(['REDIS_URL=redis://:dotenv-secret@cache:6379/0']);
		load();
		expect(mask('x dotenv-secret y')).toBe('x *** y');
	});
});

describe('issue 20 settings: NO_COLOR, --no-color, THEME, METRICS_WATCH_CAP', () => {
	// one empty working folder for every load, removed after
	let cwd = '';
	beforeEach(() => {
		cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cfg-'));
	});
	afterEach(() => fs.rmSync(cwd, {recursive: true, force: true}));
	const load = (env: Record<string, string>, flags: Flags = {}) => loadConfig({env: {HOME: os.tmpdir(), XDG_STATE_HOME: path.join(os.tmpdir(), 'opsdeck-no-state'), ...env}, flags, cwd});
	it('colour is on unless NO_COLOR has a value or --no-color is given; the theme is default or high-contrast', () => {
		expect(load({}).noColor).toBe(false);
		expect(load({NO_COLOR: ''}).noColor).toBe(false);
		expect(load({NO_COLOR: '1'}).noColor).toBe(true);
		expect(load({NO_COLOR: '0'}).noColor).toBe(true);
		expect(load({}, {noColor: true}).noColor).toBe(true);
		expect(load({}).theme).toBe('default');
		expect(load({THEME: 'High-Contrast'}).theme).toBe('high-contrast');
		expect(() => load({THEME: 'neon'})).toThrow('THEME must be default or high-contrast (got "neon")');
	});
	it('METRICS_WATCH_CAP: 200 by default, a whole number from 0', () => {
		expect(load({}).metricsWatchCap).toBe(200);
		expect(load({METRICS_WATCH_CAP: '5'}).metricsWatchCap).toBe(5);
		expect(() => load({METRICS_WATCH_CAP: '-1'})).toThrow(/METRICS_WATCH_CAP must be a whole number/);
	});
});
