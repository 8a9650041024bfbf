// One typed, validated Config. Precedence: flag > environment > .env in the working directory >
// config file (opsdeck.config.json, or --config FILE) > default. Any invalid value is a
// ConfigError with one line for the operator; the CLI prints it and exits 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ConfigError, readConfigFile} from './config-file.js';
import {activeProfile, mergeSettings, profileSummaries, selectProfile, fileProfiles, type ActiveProfile, type ProfileSummary} from './profiles.js';
import {parseAppService, type AppService} from '../app-process/service.js';
import {kebab, type Flags} from '../cli/flags.js';
import {savedWatches} from '../monitor/watch-store.js';
import {shareSettings, type ShareSettings} from './share-settings.js';
import {fsReason} from '../text/fs-reason.js';
import {registerSecret, registerUrlSecrets} from '../text/mask.js';
import {remoteSettings, type RemoteSettings} from './remote-settings.js';
import {backupSettings, type BackupSettings} from './backup-settings.js';
import {quote} from '../text/sanitize.js';

export {ConfigError} from './config-file.js';
export type {ActiveProfile, ProfileSummary} from './profiles.js';

export type CollectionsLayout = {
	readonly messages: string;
	readonly pinned: string;
	readonly backroom: string;
	readonly reactions: string;
	readonly maxMessages: number;
	readonly ttlSeconds: number;
	readonly pinnedTtlSeconds: number;
	/** PostgreSQL: the source of truth */
	readonly table: string;
	readonly chatsTable: string;
	readonly columns: {
		readonly id: string;
		readonly chat: string;
		readonly username: string;
		readonly content: string;
		readonly createdAt: string;
	};
};

export type Thresholds = {
	readonly latencyMs: number;
	readonly redisMemoryRatio: number;
	readonly minFreeDiskRatio: number;
	/** PostgreSQL connections (client backends) over this share of max_connections */
	readonly pgConnectionsRatio: number;
	/** a PostgreSQL session idle in transaction for longer than this */
	readonly pgIdleInTransactionMs: number;
	/** Redis evicting more keys a second than this (between two checks) */
	readonly redisEvictionsPerSec: number;
	/** degraded when this many backups (or more) failed to reach a BACKUP_REMOTE */
	readonly notOffsiteBackups: number;
};

export type Config = {
	readonly redisUrl: string;
	readonly databaseUrl: string;
	readonly sqlitePath: string;
	readonly backupDir: string;
	readonly backupRetention: number;
	readonly backupEnabled: boolean;
	readonly backupIntervalHours: number;
	readonly pollIntervalMs: number;
	readonly readOnly: boolean;
	readonly appUrl: string | undefined;
	readonly alertWebhookUrl: string | undefined;
	readonly healthPort: number;
	readonly healthHost: string;
	readonly auditLog: string;
	/** the config file in use (read only: opsdeck never writes it) */
	readonly configFile: string;
	/** opsdeck's own state file for the Monitor's watch list ($XDG_STATE_HOME/opsdeck/watches.json) */
	readonly watchesFile: string;
	readonly scanCount: number;
	readonly thresholds: Thresholds;
	readonly collections: CollectionsLayout;
	/** Monitor tab watch list (the saved one, else the config file's); empty = every chat's messages key */
	readonly watches: readonly string[];
	/** LOG_FILES: the app's log files, absolute paths or globs (expanded each time they are read) */
	readonly logFiles: readonly string[];
	/** LOG_UNIT: a systemd unit whose journal is a log source */
	readonly logUnit: string | undefined;
	/** APP_SERVICE: how the app's own process is supervised (undefined: no app process card) */
	readonly appService: AppService | undefined;
	/** APP_RESTART_TIMEOUT (seconds in the setting): how long a restart waits for the new pid */
	readonly appRestartTimeoutMs: number;
	/** the environment (--profile, OPSDECK_PROFILE, the console's picker); undefined: the file's top level */
	readonly profile: ActiveProfile | undefined;
	/** every profile the config file defines, in its order */
	readonly profileNames: readonly string[];
	/** and what the file says of each (colour, read-only), for the console's picker */
	readonly profiles: readonly ProfileSummary[];
	/** the flags that override a setting the profile sets (--redis-url over prod's redisUrl): said, never silent */
	readonly profileShadowed: readonly string[];
	/** METRICS_WATCH_CAP: at most this many opsdeck_watch_count{key} series on /metrics */
	readonly metricsWatchCap: number;
	/** NO_COLOR (any non-empty value) or --no-color: no colour anywhere (bold and inverse stay) */
	readonly noColor: boolean;
	/** THEME: the console's colours */
	readonly theme: Theme;
} & RemoteSettings & BackupSettings & ShareSettings;

export const themes = ['default', 'high-contrast'] as const;
export type Theme = (typeof themes)[number];

export const defaultCollections: CollectionsLayout = {
	messages: 'chat:{chat}:messages',
	pinned: 'chat:{chat}:pinned',
	backroom: 'chat:{chat}:backroom',
	reactions: 'chat:{chat}:reactions:{message}',
	maxMessages: 500,
	ttlSeconds: 86_400,
	pinnedTtlSeconds: 604_800,
	table: 'messages',
	chatsTable: 'chats',
	columns: {id: 'id', chat: 'chat_code', username: 'username', content: 'content', createdAt: 'created_at'},
};

export const defaultThresholds: Thresholds = {latencyMs: 1000, redisMemoryRatio: 0.75, minFreeDiskRatio: 0.1, pgConnectionsRatio: 0.8, pgIdleInTransactionMs: 300_000, redisEvictionsPerSec: 0, notOffsiteBackups: 1};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * KEY=value lines; # comments; optional quotes; `export ` prefix allowed. A line that is none of
 * these (or a quote left open) is a ConfigError naming the line, never skipped: a skipped line is a
 * setting silently not in force. The line itself is not quoted back (it may hold a password).
 *
 * Not node:util parseEnv (checked on Node 20.20, issue 15): it agrees on comments, quotes, `export `,
 * inline comments, empty values, `=` in values and CRLF, but it never refuses a line, and the
 * tests (test/config, test/commands/config-errors) require these refusals:
 *   `REDIS_URL redis://…` (no `=`) and `=value`   parseEnv skips the line without a word
 *   `1ABC=x`                                      parseEnv takes 1ABC as a key
 *   `URL="postgres://…` (quote not closed)        parseEnv keeps the `"` in the value
 *   `A='x' y` (text after the closing quote)      parseEnv drops ` y` and gives x
 * It also differs where no test looks: a UTF-8 BOM stays in the first key, `export<TAB>B=1` is a key
 * "export\tB", `A=abc#def` gives abc (here abc#def), whitespace around an unquoted value is kept,
 * and double-quoted values expand \n and may span lines (here one line, backslashes literal).
 */
export function parseDotenv(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	const lines = text.split(/\r?\n/);
	for (const [index, raw] of lines.entries()) {
		const line = raw.trim();
		if (!line || line.startsWith('#')) continue;
		const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
		if (!m) throw new ConfigError(`.env line ${index + 1} is not KEY=value`);
		let value = m[2]!;
		const quote = value[0];
		if (quote === '"' || quote === "'") {
			const close = value.indexOf(quote, 1);
			if (close === -1) throw new ConfigError(`.env line ${index + 1}: the ${quote === '"' ? 'double' : 'single'} quote is not closed`);
			const rest = value.slice(close + 1).trim();
			if (rest && !rest.startsWith('#')) throw new ConfigError(`.env line ${index + 1}: text after the closing quote`);
			value = value.slice(1, close);
		} else {
			value = value.replace(/\s+#.*$/, '');
		}
		out[m[1]!] = value;
	}
	return out;
}

function parseUrl(value: string, name: string, protocols: string[], what: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new ConfigError(`${name} is not ${what}`);
	}
	if (!protocols.includes(url.protocol)) throw new ConfigError(`${name} is not ${what}`);
	return value;
}

function parseInteger(value: string | number, name: string, min: number, max: number): number {
	const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
	if (!Number.isInteger(n) || n < min || n > max) {
		throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got ${quote(String(value))})`);
	}
	return n;
}

function parseNumber(value: string | number, name: string, min: number, max: number): number {
	// decimal only: Number('0x10') is 16 and Number('') is 0
	const n = typeof value === 'number' ? value : /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
	if (!Number.isFinite(n) || n < min || n > max) {
		throw new ConfigError(`${name} must be a number from ${min} to ${max} (got ${quote(String(value))})`);
	}
	return n;
}

function parseBoolean(value: string | boolean, name: string): boolean {
	if (typeof value === 'boolean') return value;
	const v = value.trim().toLowerCase();
	if (['1', 'true', 'yes', 'on'].includes(v)) return true;
	if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
	throw new ConfigError(`${name} must be true or false (got ${JSON.stringify(value)})`);
}

/** DATABASE_URL, else a URL built from the standard PG* variables, else undefined. */
function postgresFromEnv(env: Env): string | undefined {
	if (env.DATABASE_URL) return env.DATABASE_URL;
	if (!env.PGHOST && !env.PGPORT && !env.PGUSER && !env.PGDATABASE && !env.PGPASSWORD) return undefined;
	const host = env.PGHOST ?? '127.0.0.1';
	// 1..65535: the URL port setter silently ignores 99999 and the driver would go to 5432
	if (env.PGPORT !== undefined && !(/^\d{1,5}$/.test(env.PGPORT) && Number(env.PGPORT) >= 1 && Number(env.PGPORT) <= 65_535)) throw new ConfigError(`PGPORT must be a port number (got ${quote(env.PGPORT)})`);
	let url: URL;
	try {
		url = new URL(`postgres://${host.startsWith('/') ? 'localhost' : host}`);
	} catch {
		throw new ConfigError(`PGHOST is not a host name or socket directory (got ${quote(host)})`);
	}
	url.port = env.PGPORT ?? '5432';
	if (env.PGUSER) url.username = env.PGUSER;
	if (env.PGPASSWORD) url.password = env.PGPASSWORD;
	url.pathname = `/${env.PGDATABASE ?? env.PGUSER ?? 'postgres'}`;
	if (host.startsWith('/')) url.searchParams.set('host', host);
	return url.toString();
}

function str(value: unknown, name: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new ConfigError(`${name} in the config file must be a string`);
	return value;
}

function collectionsFrom(file: Record<string, unknown>): CollectionsLayout {
	const c = file.collections;
	if (c === undefined) return defaultCollections;
	if (!c || typeof c !== 'object' || Array.isArray(c)) throw new ConfigError('collections in the config file must be an object');
	const o = c as Record<string, unknown>;
	if (o.columns !== undefined && (!o.columns || typeof o.columns !== 'object' || Array.isArray(o.columns))) throw new ConfigError('collections.columns must be an object');
	const columns = (o.columns ?? {}) as Record<string, unknown>;
	const layout: CollectionsLayout = {
		messages: str(o.messages, 'collections.messages') ?? defaultCollections.messages,
		pinned: str(o.pinned, 'collections.pinned') ?? defaultCollections.pinned,
		backroom: str(o.backroom, 'collections.backroom') ?? defaultCollections.backroom,
		reactions: str(o.reactions, 'collections.reactions') ?? defaultCollections.reactions,
		maxMessages: o.maxMessages === undefined ? defaultCollections.maxMessages : parseInteger(o.maxMessages as number, 'collections.maxMessages', 1, 10_000_000),
		ttlSeconds: o.ttlSeconds === undefined ? defaultCollections.ttlSeconds : parseInteger(o.ttlSeconds as number, 'collections.ttlSeconds', 1, 10 * 365 * 86_400),
		pinnedTtlSeconds: o.pinnedTtlSeconds === undefined ? defaultCollections.pinnedTtlSeconds : parseInteger(o.pinnedTtlSeconds as number, 'collections.pinnedTtlSeconds', 1, 10 * 365 * 86_400),
		table: str(o.table, 'collections.table') ?? defaultCollections.table,
		chatsTable: str(o.chatsTable, 'collections.chatsTable') ?? defaultCollections.chatsTable,
		columns: {
			id: str(columns.id, 'collections.columns.id') ?? defaultCollections.columns.id,
			chat: str(columns.chat, 'collections.columns.chat') ?? defaultCollections.columns.chat,
			username: str(columns.username, 'collections.columns.username') ?? defaultCollections.columns.username,
			content: str(columns.content, 'collections.columns.content') ?? defaultCollections.columns.content,
			createdAt: str(columns.createdAt, 'collections.columns.createdAt') ?? defaultCollections.columns.createdAt,
		},
	};
	for (const name of ['messages', 'pinned', 'backroom', 'reactions'] as const) {
		if (!layout[name].includes('{chat}')) throw new ConfigError(`collections.${name} must contain {chat}`);
	}
	if (!layout.reactions.includes('{message}')) throw new ConfigError('collections.reactions must contain {message}');
	const ident = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
	const names = {table: layout.table, chatsTable: layout.chatsTable, ...Object.fromEntries(Object.entries(layout.columns).map(([k, v]) => [`columns.${k}`, v]))};
	for (const [name, value] of Object.entries(names)) {
		if (!ident.test(value)) throw new ConfigError(`collections.${name} is not a plain SQL name: ${JSON.stringify(value)}`);
	}
	return layout;
}

function stateFile(env: Env, name: string): string {
	const state = env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), '.local', 'state');
	return path.join(state, 'opsdeck', name);
}

function defaultAuditLog(env: Env): string {
	return stateFile(env, 'audit.log');
}

export type LoadOptions = {
	readonly flags?: Flags;
	readonly env?: Env;
	readonly cwd?: string;
	/** the profile the console's picker chose: beats --profile and OPSDECK_PROFILE */
	readonly profile?: string;
};

export function loadConfig(options: LoadOptions = {}): Config {
	const flags = options.flags ?? {};
	const cwd = options.cwd ?? process.cwd();
	const processEnv = options.env ?? process.env;
	const configFile = path.resolve(cwd, flags.config ?? processEnv.OPSDECK_CONFIG ?? 'opsdeck.config.json');
	const fileAll = readConfigFile(configFile, Boolean(flags.config ?? processEnv.OPSDECK_CONFIG));
	const fileName = path.basename(configFile);

	let dotenvText = '';
	try {
		dotenvText = fs.readFileSync(path.join(cwd, '.env'), 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`cannot read .env: ${fsReason(error) ?? String(error)}`);
	}
	const dotenv = parseDotenv(dotenvText);
	// environment beats .env; an empty variable counts as unset (as everywhere below), so it does not hide .env
	const env: Record<string, string | undefined> = {...dotenv};
	for (const [key, value] of Object.entries(processEnv)) if (value !== undefined && value !== '') env[key] = value;

	// the profile: its settings over the file's top level (config/profiles.ts)
	registerSecrets(flags, env, fileAll);
	const wanted = options.profile ?? flags.profile ?? env.OPSDECK_PROFILE;
	const wantedFrom = options.profile !== undefined ? 'chosen in the console' : flags.profile !== undefined ? '--profile' : 'OPSDECK_PROFILE';
	const {profiles: _profiles, ...top} = fileAll;
	const settings = wanted === undefined ? undefined : selectProfile(fileAll, wanted, wantedFrom, configFile);
	const profile = wanted === undefined ? undefined : activeProfile(wanted, settings!);
	const {colour: _colour, description: _description, ...overrides} = settings ?? {};
	const file = mergeSettings(top, overrides);
	const shadowed: string[] = [];

	// a switch left off is false in the parsed flags: not given
	const fromProfile = (fileKey: string) => `profiles.${profile?.name ?? ''}.${fileKey} in ${fileName}`;
	const pick = (flagName: keyof Flags | undefined, envName: string | undefined, fileKey: string | undefined): {value: unknown; name: string} => {
		const flag = flagName === undefined ? undefined : flags[flagName];
		if (flag !== undefined && flag !== false) {
			if (fileKey && fileKey !== 'readOnly' && overrides[fileKey] !== undefined) shadowed.push(`--${kebab(flagName!)}`);
			return {value: flag, name: `--${kebab(flagName!)}`};
		}
		if (fileKey && overrides[fileKey] !== undefined) return {value: overrides[fileKey], name: fromProfile(fileKey)};
		if (envName && env[envName] !== undefined && env[envName] !== '') return {value: env[envName], name: envName};
		if (fileKey && top[fileKey] !== undefined) return {value: top[fileKey], name: `${fileKey} in ${fileName}`};
		return {value: undefined, name: envName ?? fileKey ?? ''};
	};
	const redis = pick('redisUrl', 'REDIS_URL', 'redisUrl');
	const redisUrl = parseUrl(String(redis.value ?? 'redis://127.0.0.1:6379/0'), redis.name, ['redis:', 'rediss:'], 'a redis:// or rediss:// URL');
	const redisDb = new URL(redisUrl).pathname.replace(/^\//, '');
	if (redisDb && !/^\d{1,2}$/.test(redisDb)) throw new ConfigError(`${redis.name} has a database number that is not a number: ${quote(redisDb)}`);
	// ioredis takes ?db=N when the path has none, while opsdeck would name db 0: one place for the db
	if (new URL(redisUrl).searchParams.has('db')) throw new ConfigError(`${redis.name}: give the database in the path (redis://host:6379/N), not as ?db=`);

	const pgFromEnv = postgresFromEnv(env);
	const pgProfile = str(overrides.databaseUrl, 'databaseUrl');
	if (flags.databaseUrl !== undefined && pgProfile !== undefined) shadowed.push('--database-url');
	const pgValue = flags.databaseUrl ?? pgProfile ?? pgFromEnv ?? str(top.databaseUrl, 'databaseUrl') ?? 'postgres://127.0.0.1:5432/postgres';
	const pgName = flags.databaseUrl !== undefined ? '--database-url' : pgProfile !== undefined ? fromProfile('databaseUrl') : env.DATABASE_URL ? 'DATABASE_URL' : pgFromEnv ? 'PG* variables' : 'databaseUrl';
	const databaseUrl = parseUrl(pgValue, pgName, ['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL');

	const sqlite = pick('sqlite', 'SQLITE_PATH', 'sqlitePath');
	const backup = pick('backupDir', 'BACKUP_DIR', 'backupDir');
	const retention = pick(undefined, 'BACKUP_RETENTION', 'backupRetention');
	const enabled = pick(undefined, 'BACKUP_ENABLED', 'backupEnabled');
	const hours = pick(undefined, 'BACKUP_INTERVAL_HOURS', 'backupIntervalHours');
	const interval = pick('interval', 'POLL_INTERVAL_MS', 'pollIntervalMs');
	const readOnly = pick('readOnly', 'OPSDECK_READ_ONLY', 'readOnly');
	// read-only, for safety: on when the flag, the environment or the profile says so; neither of the
	// last two switches the other's off (without a profile: the usual precedence)
	const envReadOnly = env.OPSDECK_READ_ONLY === undefined ? undefined : parseBoolean(env.OPSDECK_READ_ONLY, 'OPSDECK_READ_ONLY');
	const readOnlyValue = readOnly.name.startsWith('profiles.') ? parseBoolean(readOnly.value as boolean, readOnly.name) || envReadOnly === true : parseBoolean((readOnly.value as string | boolean | undefined) ?? false, readOnly.name);
	const app = pick('appUrl', 'APP_HEALTH_URL', 'appUrl');
	const webhook = pick(undefined, 'ALERT_WEBHOOK_URL', 'alertWebhookUrl');
	const port = pick('port', 'HEALTH_PORT', 'healthPort');
	const host = pick('host', undefined, 'healthHost');
	const audit = pick('auditLog', 'OPSDECK_AUDIT_LOG', 'auditLog');
	const scan = pick(undefined, 'SCAN_COUNT', 'scanCount');
	const logFiles = pick(undefined, 'LOG_FILES', 'logFiles');
	const logUnit = pick(undefined, 'LOG_UNIT', 'logUnit');
	const appService = pick(undefined, 'APP_SERVICE', 'appService');
	const restartTimeout = pick(undefined, 'APP_RESTART_TIMEOUT', 'appRestartTimeout');
	// issue 19: tiered retention, restore drills, relation checks
	const backup19 = backupSettings({
		keep: pick(undefined, 'BACKUP_KEEP', 'backupKeep'),
		remoteKeep: pick(undefined, 'BACKUP_REMOTE_KEEP', 'backupRemoteKeep'),
		drillHours: pick(undefined, 'DRILL_INTERVAL_HOURS', 'drillIntervalHours'),
		drillChecks: pick(undefined, 'DRILL_CHECKS', 'drillChecks'),
		orphanChecks: pick(undefined, 'ORPHAN_CHECKS', 'orphanChecks'),
	});
	// copy and export (share-settings.ts)
	const share = {clipboard: pick(undefined, 'CLIPBOARD', 'clipboard'), clipboardMax: pick(undefined, 'CLIPBOARD_MAX_BYTES', 'clipboardMaxBytes'), exportDir: pick(undefined, 'EXPORT_DIR', 'exportDir')};
	const watchCap = pick(undefined, 'METRICS_WATCH_CAP', 'metricsWatchCap');
	const noColor = pick('noColor', 'NO_COLOR', 'noColor');
	const theme = pick(undefined, 'THEME', 'theme');

	// types are checked by readConfigFile: here only the ranges
	const thresholdsFile = (file.thresholds ?? {}) as Record<string, number | undefined>;
	const thresholds: Thresholds = {
		latencyMs: thresholdsFile.latencyMs === undefined ? defaultThresholds.latencyMs : parseInteger(thresholdsFile.latencyMs, 'thresholds.latencyMs', 1, 600_000),
		redisMemoryRatio: thresholdsFile.redisMemoryRatio === undefined ? defaultThresholds.redisMemoryRatio : parseNumber(thresholdsFile.redisMemoryRatio, 'thresholds.redisMemoryRatio', 0, 1),
		minFreeDiskRatio: thresholdsFile.minFreeDiskRatio === undefined ? defaultThresholds.minFreeDiskRatio : parseNumber(thresholdsFile.minFreeDiskRatio, 'thresholds.minFreeDiskRatio', 0, 1),
		pgConnectionsRatio: thresholdsFile.pgConnectionsRatio === undefined ? defaultThresholds.pgConnectionsRatio : parseNumber(thresholdsFile.pgConnectionsRatio, 'thresholds.pgConnectionsRatio', 0, 1),
		pgIdleInTransactionMs: thresholdsFile.pgIdleInTransactionMs === undefined ? defaultThresholds.pgIdleInTransactionMs : parseInteger(thresholdsFile.pgIdleInTransactionMs, 'thresholds.pgIdleInTransactionMs', 1, 7 * 86_400_000),
		redisEvictionsPerSec: thresholdsFile.redisEvictionsPerSec === undefined ? defaultThresholds.redisEvictionsPerSec : parseNumber(thresholdsFile.redisEvictionsPerSec, 'thresholds.redisEvictionsPerSec', 0, 1_000_000_000),
		notOffsiteBackups: thresholdsFile.notOffsiteBackups === undefined ? defaultThresholds.notOffsiteBackups : parseInteger(thresholdsFile.notOffsiteBackups, 'thresholds.notOffsiteBackups', 1, 10_000),
	};

	// the list the Monitor saved for this config file wins over the config file's (read as the initial list)
	const watchesFile = stateFile(env, 'watches.json');
	const watches = savedWatches(watchesFile, configFile) ?? ((file.watches ?? []) as string[]);

	const appUrl = app.value === undefined ? undefined : parseUrl(String(app.value), app.name, ['http:', 'https:'], 'an http:// or https:// URL');
	const alertWebhookUrl = webhook.value === undefined ? undefined : parseUrl(String(webhook.value), webhook.name, ['http:', 'https:'], 'an http:// or https:// URL');

	const config: Config = {
		redisUrl,
		databaseUrl,
		sqlitePath: path.resolve(cwd, String(sqlite.value ?? './data/app.db')),
		backupDir: path.resolve(cwd, String(backup.value ?? './backups')),
		backupRetention: parseInteger(String(retention.value ?? 7), retention.name, 1, 10_000),
		backupEnabled: parseBoolean((enabled.value as string | boolean | undefined) ?? false, enabled.name),
		backupIntervalHours: parseNumber(String(hours.value ?? 24), hours.name, 0.01, 24 * 365),
		pollIntervalMs: parseInteger(String(interval.value ?? 1000), interval.name, 250, 60_000),
		readOnly: readOnlyValue,
		appUrl,
		alertWebhookUrl,
		healthPort: parseInteger(String(port.value ?? 3000), port.name, 0, 65_535),
		healthHost: String(host.value ?? '127.0.0.1'),
		auditLog: path.resolve(cwd, String(audit.value ?? defaultAuditLog(env))),
		configFile,
		watchesFile,
		scanCount: parseInteger(String(scan.value ?? 1000), scan.name, 1, 1_000_000),
		thresholds,
		collections: collectionsFrom(file),
		watches,
		logFiles: logFilesFrom(logFiles.value, cwd),
		logUnit: logUnitFrom(logUnit.value, logUnit.name),
		appService: appService.value === undefined ? undefined : parseAppService(String(appService.value), appService.name, cwd),
		appRestartTimeoutMs: parseInteger(String(restartTimeout.value ?? 30), restartTimeout.name, 1, 3600) * 1000,
		...remoteSettings(pick, env, cwd),
		...backup19,
		...shareSettings(share, cwd),
		profile,
		profileNames: Object.keys(fileProfiles(fileAll)),
		profiles: profileSummaries(fileAll),
		profileShadowed: shadowed,
		metricsWatchCap: parseInteger(String(watchCap.value ?? 200), watchCap.name, 0, 100_000),
		// no-color.org: NO_COLOR set to any non-empty value turns colour off (the config file's key is a boolean)
		noColor: noColor.value !== undefined && (noColor.name === 'NO_COLOR' || noColor.value === true),
		theme: themeFrom(theme.value, theme.name),
	};
	return config;
}

function themeFrom(value: unknown, name: string): Theme {
	if (value === undefined) return 'default';
	const theme = String(value).trim().toLowerCase();
	if (!(themes as readonly string[]).includes(theme)) throw new ConfigError(`${name} must be ${themes.join(' or ')} (got ${quote(String(value).slice(0, 40))})`);
	return theme as Theme;
}

/** LOG_FILES (comma-separated) or the config file's list: each path or glob made absolute. */
function logFilesFrom(value: unknown, cwd: string): string[] {
	if (value === undefined) return [];
	const items = Array.isArray(value) ? (value as string[]) : String(value).split(',');
	return items.map(item => item.trim()).filter(Boolean).map(item => path.resolve(cwd, item));
}

function logUnitFrom(value: unknown, name: string): string | undefined {
	if (value === undefined) return undefined;
	const unit = String(value).trim();
	// systemd.unit(5)'s characters; never an option to journalctl
	if (!/^[A-Za-z0-9:_.\\@-]+$/.test(unit) || unit.startsWith('-')) throw new ConfigError(`${name}: ${quote(unit.slice(0, 60))} is not a systemd unit name`);
	return unit;
}

/**
 * Every password opsdeck may come to print, registered for masking before any value is checked
 * (an error about one setting must not show another's password): the Redis and PostgreSQL URLs
 * from every source (userinfo and ?password=/sslpassword=, as each driver reads them),
 * PGPASSWORD, and the .pgpass file pg falls back to.
 */
function registerSecrets(flags: Flags, env: Env, file: Record<string, unknown>): void {
	for (const url of [flags.redisUrl, flags.databaseUrl, env.REDIS_URL, env.DATABASE_URL, file.redisUrl, file.databaseUrl, env.APP_HEALTH_URL, env.ALERT_WEBHOOK_URL]) {
		if (typeof url === 'string') registerUrlSecrets(url);
	}
	// every profile's, whichever is chosen: `opsdeck profiles` and the picker show them all
	for (const settings of Object.values(fileProfiles(file))) {
		for (const url of [settings.redisUrl, settings.databaseUrl, settings.appUrl, settings.alertWebhookUrl]) if (typeof url === 'string') registerUrlSecrets(url);
	}
	registerSecret(env.PGPASSWORD);
	registerSecret(process.env.PGPASSWORD);
	const pgpass = env.PGPASSFILE || path.join(env.HOME || os.homedir(), '.pgpass');
	for (const password of pgpassPasswords(pgpass)) registerSecret(password);
}

/** The password field of every line of a .pgpass file (host:port:db:user:password; \: and \\ escaped). */
export function pgpassPasswords(file: string): string[] {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	const passwords: string[] = [];
	for (const line of text.split(/\r?\n/)) {
		if (!line.trim() || line.startsWith('#')) continue;
		const fields: string[] = [''];
		for (let i = 0; i < line.length; i++) {
			if (line[i] === '\\' && i + 1 < line.length) fields[fields.length - 1] += line[++i];
			else if (line[i] === ':' && fields.length < 5) fields.push('');
			else fields[fields.length - 1] += line[i];
		}
		if (fields.length === 5 && fields[4]) passwords.push(fields[4]);
	}
	return passwords;
}

/** The Redis db number from the URL (0 when absent). */
export function redisDb(config: Pick<Config, 'redisUrl'>): number {
	const db = new URL(config.redisUrl).pathname.replace(/^\//, '');
	return db ? Number(db) : 0;
}
