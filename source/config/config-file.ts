// The config file (opsdeck.config.json): read, then every key checked against one schema before
// any value is used, so a typo (`redisURL`) or a wrong type (`"readOnly": 1`, `"thresholds": "x"`)
// is one line and exit 2 instead of a silent default or "value.trim is not a function"
// (issue 13, case 17). Ranges and formats are checked where the values are parsed (config.ts).
import fs from 'node:fs';
import path from 'node:path';
import {fsReason} from '../text/fs-reason.js';
import {quote, sanitize} from '../text/sanitize.js';

export class ConfigError extends Error {}

type Kind = 'string' | 'number' | 'boolean' | 'strings' | 'paths' | 'profiles' | Schema;
type Schema = {readonly [key: string]: Kind};

const kindText: Record<Exclude<Kind, Schema | 'profiles'>, string> = {
	string: 'a string',
	number: 'a number',
	boolean: 'true or false',
	strings: 'a list of strings',
	paths: 'a list of file paths or globs',
};

/** Every key the config file may hold; a new setting is added here or it is refused. */
export const configFileSchema: Schema = {
	$schema: 'string',
	redisUrl: 'string',
	databaseUrl: 'string',
	sqlitePath: 'string',
	backupDir: 'string',
	backupRetention: 'number',
	backupEnabled: 'boolean',
	backupIntervalHours: 'number',
	pollIntervalMs: 'number',
	readOnly: 'boolean',
	appUrl: 'string',
	alertWebhookUrl: 'string',
	healthPort: 'number',
	healthHost: 'string',
	auditLog: 'string',
	scanCount: 'number',
	thresholds: {latencyMs: 'number', redisMemoryRatio: 'number', minFreeDiskRatio: 'number', pgConnectionsRatio: 'number', pgIdleInTransactionMs: 'number', redisEvictionsPerSec: 'number', notOffsiteBackups: 'number'},
	collections: {
		messages: 'string',
		pinned: 'string',
		backroom: 'string',
		reactions: 'string',
		maxMessages: 'number',
		ttlSeconds: 'number',
		pinnedTtlSeconds: 'number',
		table: 'string',
		chatsTable: 'string',
		columns: {id: 'string', chat: 'string', username: 'string', content: 'string', createdAt: 'string'},
	},
	watches: 'strings',
	logFiles: 'paths',
	logUnit: 'string',
	appService: 'string',
	appRestartTimeout: 'number',
	// off-site copies and the heartbeat (issue 19; config/remote-settings.ts)
	backupRemote: 'string', backupS3Endpoint: 'string', backupS3Region: 'string', backupS3PathStyle: 'boolean',
	backupS3AccessKeyId: 'string', backupS3SecretAccessKey: 'string', backupSftpKey: 'string', backupSftpPassword: 'string',
	backupSftpPassphrase: 'string', backupSftpKnownHosts: 'string', backupSftpHostKey: 'string',
	backupUploadRetries: 'number', backupUploadBackoffMs: 'number', backupHeartbeatUrl: 'string',
	backupKeep: 'string',
	backupRemoteKeep: 'string',
	drillIntervalHours: 'number',
	drillChecks: 'strings',
	orphanChecks: 'strings',
	clipboard: 'string',
	clipboardMaxBytes: 'number',
	exportDir: 'string',
	// issue 20: /metrics, colours
	metricsWatchCap: 'number',
	noColor: 'boolean',
	theme: 'string',
	// named environments (staging, prod): each overrides the settings above (config/profiles.ts)
	profiles: 'profiles',
};

/** What a profile may hold: every setting of the file (not $schema, not profiles), its colour and a description. */
export const profileSchema: Schema = {
	...Object.fromEntries(Object.entries(configFileSchema).filter(([key]) => key !== '$schema' && key !== 'profiles')),
	colour: 'string',
	description: 'string',
};

const normalize = (name: string) => name.toLowerCase().replace(/[_\-\s]/g, '');

function distance(a: string, b: string): number {
	const row = Array.from({length: b.length + 1}, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let diagonal = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const above = row[j]!;
			row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
			diagonal = above;
		}
	}
	return row[b.length]!;
}

/** The known key an unknown one was probably meant to be: same letters in another case or style (REDIS_URL, redisURL), its start, or a typo or two. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
	const wanted = normalize(unknown);
	const same = known.find(name => normalize(name) === wanted);
	if (same) return same;
	// `watch`, `latency`: the start of a known key
	const start = wanted.length >= 4 ? known.find(name => normalize(name).startsWith(wanted)) : undefined;
	if (start) return start;
	let best: {name: string; d: number} | undefined;
	for (const name of known) {
		const d = distance(wanted, normalize(name));
		if (d <= (wanted.length >= 6 ? 2 : 1) && (!best || d < best.d)) best = {name, d};
	}
	return best?.name;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return sanitize(JSON.stringify(value)).slice(0, 40);
}

function check(object: Record<string, unknown>, schema: Schema, prefix: string, fileName: string): void {
	const known = Object.keys(schema);
	for (const [key, value] of Object.entries(object)) {
		const name = `${prefix}${sanitize(key).slice(0, 60)}`;
		const kind = Object.hasOwn(schema, key) ? schema[key]! : undefined;
		if (kind === undefined) {
			const suggestion = suggestKey(key, known);
			throw new ConfigError(`unknown key ${name} in ${fileName}: ${suggestion ? `did you mean ${prefix}${suggestion}?` : `the keys here are ${known.filter(k => k !== '$schema').join(', ')}`}`);
		}
		if (kind === 'profiles') {
			if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${name} in ${fileName} must be an object of named profiles (got ${describe(value)})`);
			for (const [profile, settings] of Object.entries(value as Record<string, unknown>)) {
				const profileName = `${name}.${sanitize(profile).slice(0, 60)}`;
				if (profile.trim() === '') throw new ConfigError(`${name} in ${fileName}: a profile needs a name (got ${quote(profile)})`);
				if (!settings || typeof settings !== 'object' || Array.isArray(settings)) throw new ConfigError(`${profileName} in ${fileName} must be an object (got ${describe(settings)})`);
				check(settings as Record<string, unknown>, profileSchema, `${profileName}.`, fileName);
			}
		} else if (typeof kind === 'object') {
			if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${name} in ${fileName} must be an object (got ${describe(value)})`);
			check(value as Record<string, unknown>, kind, `${name}.`, fileName);
		} else if (kind === 'strings' || kind === 'paths') {
			if (!Array.isArray(value) || value.some(item => typeof item !== 'string' || item === '')) {
				throw new ConfigError(`${name} in ${fileName} must be a list of ${kind === 'paths' ? 'file paths or globs' : key === 'watches' ? 'key names or patterns' : 'non-empty strings'} (got ${describe(value)})`);
			}
		} else if (typeof value !== kind) {
			throw new ConfigError(`${name} in ${fileName} must be ${kindText[kind]} (got ${describe(value)})`);
		}
	}
}

/** The config file, parsed and checked key by key; {} when the default file is absent. */
export function readConfigFile(file: string, explicit: boolean): Record<string, unknown> {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
		throw new ConfigError(`cannot read config file ${file}: ${fsReason(error) ?? String(error)}`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${file} is not a JSON object`);
	check(parsed as Record<string, unknown>, configFileSchema, '', path.basename(file));
	return parsed as Record<string, unknown>;
}
