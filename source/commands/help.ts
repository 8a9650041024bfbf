// Every help text in one place: the command list, each command's own help (usage, options, an
// example) and the global options. cli.tsx prints them for `--help`/`-h` anywhere on the line,
// `opsdeck help [COMMAND]` and `-v`/`--version` (found by cli/argv.ts) before it parses anything
// else, loads the config or touches a backend: asking for help never runs the command (issue 13,
// case 2).
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {flagSpec} from '../cli/flags.js';
import {tabTitles} from '../console/tab-titles.js';

type CommandHelp = {
	/** what follows `opsdeck NAME` in the usage line */
	readonly usage: string;
	/** one line for the command list */
	readonly summary: string;
	/** longer text under the usage line */
	readonly about: string;
	readonly options: ReadonlyArray<readonly [string, string]>;
	readonly examples: readonly string[];
};

const json: readonly [string, string] = ['--json', 'JSON output'];
const yes: readonly [string, string] = ['--yes, -y', 'do it without asking (needed when there is no terminal)'];

export const commandHelp = {
	status: {
		usage: '[--all-profiles] [--json]',
		summary: 'health of every backend (exit 0 healthy, 1 degraded, 2 unhealthy)',
		about: 'Checks PostgreSQL, Redis, SQLite (and the app\'s health URL when set) once and prints a card for each and one verdict.\n--all-profiles: one line per environment of the config file (verdict, latencies, newest backup); the exit code is the worst of them (an invalid profile counts as 2).',
		options: [['--all-profiles', 'every profile of the config file, one line each'], json],
		examples: ['opsdeck status', 'opsdeck status --json | jq .verdict', 'opsdeck status --all-profiles'],
	},
	profiles: {
		usage: '[--json]',
		summary: 'the environments (profiles) of the config file, passwords masked',
		about: 'Lists the profiles the config file defines, each with the settings it gives (Redis, PostgreSQL, SQLite, backups, read-only, colour) as they apply with the flags and environment of this command line, passwords masked. Choose one with --profile NAME or OPSDECK_PROFILE, or with P in the console. Exit 2 when a profile holds a bad value.',
		options: [json],
		examples: ['opsdeck profiles', 'opsdeck --profile prod status', 'opsdeck profiles --json | jq -r \'.profiles[].name\''],
	},
	serve: {
		usage: '[--port N] [--host H]',
		summary: 'HTTP: /health, /api/health, /livez, /readyz, /metrics',
		about: 'Polls the backends every --interval ms and answers GET /health, /api/health and /readyz from the last result (200 healthy or degraded, 503 unhealthy), /livez (200 while the process answers) and /metrics (Prometheus text format, collected on scrape) until SIGTERM.',
		options: [
			['--port N', 'port to listen on (HEALTH_PORT; default 3000)'],
			['--host H', 'address to listen on (default 127.0.0.1)'],
			['--interval MS', 'poll interval (POLL_INTERVAL_MS; default 1000)'],
		],
		examples: ['opsdeck serve --port 3000', 'opsdeck serve --host 0.0.0.0'],
	},
	reconnect: {
		usage: 'postgres|redis [--json]',
		summary: 'drop a backend\'s connection and open a new one',
		about: 'Closes the connection to PostgreSQL or Redis, opens a new one and says how it went.',
		options: [json],
		examples: ['opsdeck reconnect postgres'],
	},
	flush: {
		usage: '[--all] [--yes] [--json]',
		summary: 'FLUSHDB (or FLUSHALL with --all)',
		about: 'Empties the configured Redis db (FLUSHDB), or every db with --all (FLUSHALL). Asks y/N on a terminal; refused in read-only mode; written to the audit log.',
		options: [['--all', 'FLUSHALL: every db of the server'], yes, json],
		examples: ['opsdeck flush --yes', 'opsdeck flush --redis-url redis://127.0.0.1:6379/9'],
	},
	keys: {
		usage: '[PATTERN] [--type T] [--limit N] [--json]',
		summary: 'Redis keys matching a glob pattern (SCAN, never KEYS)',
		about: 'Lists the keys that match PATTERN (a glob; default *), streamed as SCAN finds them. Quote the pattern so the shell leaves it alone; put -- before a pattern that starts with -.',
		options: [
			['--type T', `only keys of this type: ${flagSpec.type.choices.join(', ')}`],
			['--limit N', 'stop after N keys'],
			json,
		],
		examples: ['opsdeck keys \'chat:*:pinned\' --limit 10', 'opsdeck keys --type zset --json', 'opsdeck keys -- \'-odd-*\''],
	},
	inspect: {
		usage: 'KEY [--limit N] [--json]',
		summary: 'one key: type, TTL, memory and its value',
		about: 'Shows a key\'s type, TTL, memory and a bounded preview of its value (every type; binary as hex). Put -- before a KEY that starts with -.',
		options: [['--limit N', 'items of the value to show'], json],
		examples: ['opsdeck inspect chat:AYVQB827:messages --limit 5', 'opsdeck inspect -- -odd-key'],
	},
	chat: {
		usage: 'list | show CODE [--messages N] [--reactions] [--compare [--limit N]] [--clear [--yes]]',
		summary: 'a chat\'s caches, compared with PostgreSQL',
		about: 'list: every cached chat with its counts and TTL.\nshow CODE: one chat\'s messages, pinned, backroom and reaction caches; --compare checks them against PostgreSQL; --clear deletes that chat\'s cache keys (asks first; refused in read-only mode).',
		options: [
			['--messages N', 'show the last N messages (default 20)'],
			['--reactions', 'add the reaction counts'],
			['--compare', 'compare the cache with PostgreSQL'],
			['--limit N', 'with --compare: list at most N missing and N extra messages (default 50; the totals are always shown)'],
			['--clear', 'delete this chat\'s cache keys (the app refills them)'],
			yes,
			json,
		],
		examples: ['opsdeck chat list', 'opsdeck chat show OWOHC534 --messages 3 --compare'],
	},
	message: {
		usage: 'ID [--json]',
		summary: 'one message in PostgreSQL and in Redis',
		about: 'Shows a message as PostgreSQL has it and where the Redis cache holds it.',
		options: [json],
		examples: ['opsdeck message fa06c5a2-51ba-43f9-90f2-be13850e85c8'],
	},
	stats: {
		usage: '[--json]',
		summary: 'totals across the cache',
		about: 'Exact totals over the whole cache (a full SCAN): chats, messages, pinned, backroom and reaction caches, the largest cache.',
		options: [json],
		examples: ['opsdeck stats'],
	},
	monitor: {
		usage: '[PATTERN...] [--interval MS] [--plain | --json]',
		summary: 'live counters for keys or patterns, until Ctrl-C',
		about: 'The Monitor tab as a stream: a line per key that changed each tick (--plain, the default) or one JSON object a tick (--json). Default watches: the list the Monitor tab saved, else the config file\'s, else every chat\'s messages key.',
		options: [
			['--interval MS', 'tick interval (250 - 60000; default 1000)'],
			['--plain', 'a line per change (the default)'],
			['--json', 'one JSON object a tick (NDJSON)'],
		],
		examples: ['opsdeck monitor \'chat:*:messages\' --plain', 'opsdeck monitor queue:jobs --json --interval 5000'],
	},
	backup: {
		usage: 'create | list [--remote] | verify NAME [--integrity] | restore NAME [--from REMOTE] [--yes] [--force] | prune [--manual] [--dry-run] [--yes] | delete NAME [--from REMOTE] [--yes] | drill [NAME|--newest] [--remote]',
		summary: 'backups of the SQLite data file',
		about: 'create: a consistent backup now, verified.\nlist: the backups, newest first.\nverify NAME: quick_check and the recorded sha256.\nrestore NAME: takes a safety_ backup of the live file, then puts NAME in place (asks first).\nprune: keeps what the BACKUP_KEEP rules (else the newest BACKUP_RETENTION) keep of the automatic backups, removes leftovers of killed operations (asks first); with BACKUP_REMOTE and BACKUP_REMOTE_KEEP (default BACKUP_KEEP) it prunes each remote\'s copies by those rules too (manual ones apart); --manual prunes manual backups too; --dry-run shows what would go and which rule keeps each survivor, locally and per remote.\ndelete NAME: removes one backup (asks first).\ndrill [NAME|--newest]: restores a backup (the newest by default) into a scratch file and checks it: integrity_check, foreign_key_check, row counts against the sidecar, DRILL_CHECKS; exit 1 with findings; --remote [--from REMOTE] drills a remote copy (the newest there by default): downloaded to a temp file, sha256 and quick_check checked, drilled, recorded in the drill log, the temp file removed.\nrestore, prune and delete are refused in read-only mode and written to the audit log.\nOff-site (BACKUP_REMOTE): create uploads the backup and its sidecar (and the ones not off-site yet); list --remote lists each remote; restore NAME --from REMOTE downloads it, checks its sha256 and quick_check, keeps it as a local backup and restores it as above; delete NAME --from REMOTE deletes the remote copy (delete-remote-backup, as prune\'s remote deletes: refused in read-only mode, audited).',
		options: [
			['--integrity', 'verify with the full integrity_check'],
			['--force', 'restore even while another process holds the file, or when that cannot be known'],
			['--manual', 'prune: manual backups too (the newest BACKUP_RETENTION of them are kept)'],
			['--remote', 'list: the backups on each BACKUP_REMOTE; drill: a remote copy'],
			['--from REMOTE', 'restore, delete, list --remote, drill --remote: the remote (its URL, number in BACKUP_REMOTE, or s3/sftp)'],
			['--dry-run', 'prune: delete nothing, show what would go and why'],
			['--newest', 'drill: the newest backup (the default)'],
			yes,
			json,
		],
		examples: ['opsdeck backup create', 'opsdeck backup restore manual_2026-11-22T10-15-16.db --yes', 'opsdeck backup prune --dry-run', 'opsdeck backup drill --newest', 'opsdeck backup list --remote', 'opsdeck backup restore auto_2026-11-22T03-15-00.db --from s3 --yes', 'opsdeck backup drill --remote --from s3'],
	},
	sqlite: {
		usage: `check [--relations] | vacuum [--yes] | analyze [--yes] | export TABLE [--format ${flagSpec.format.choices.join('|')}] [--output FILE [--force]]`,
		summary: 'maintenance and export of the SQLite data file',
		about: 'check: integrity_check and foreign_key_check; --relations: foreign_key_check and the ORPHAN_CHECKS (child_table.column->parent_table.column) with counts and sample rows, exit 1 when orphans are found.\nvacuum, analyze: what they say (they ask y/N on a terminal, need --yes without one; refused in read-only mode).\nexport TABLE: its rows as CSV or JSON, to stdout or FILE.',
		options: [
			[`--format ${flagSpec.format.choices.join('|')}`, 'export format (default csv)'],
			['--output FILE', 'write the export to FILE instead of stdout (an existing FILE only with --force)'],
			['--force', 'export: replace an existing FILE'],
			['--relations', 'check: the relations between tables (foreign keys, ORPHAN_CHECKS)'],
			yes,
			json,
		],
		examples: ['opsdeck sqlite check', 'opsdeck sqlite check --relations --json', 'opsdeck sqlite export players --format json --output players.json'],
	},
	pg: {
		usage: 'activity [--all] [--min-duration 5s] | locks | tables | queries   [--json] | cancel PID [--yes] | terminate PID [--yes]',
		summary: 'PostgreSQL sessions, who blocks whom, tables, top queries; cancel or terminate a session',
		about: "activity: the sessions of pg_stat_activity (opsdeck's own aside): state, wait event, how long the query and the transaction have run, the query; idle sessions only with --all.\nlocks: who blocks whom (pg_blocking_pids), as a tree.\ntables: the largest tables: size (heap + indexes + toast), live and dead tuples, last (auto)vacuum and (auto)analyze, sequential and index scans.\nqueries: the top queries by total time, from pg_stat_statements (or how to enable it).\ncancel PID: cancels the session's running query (pg_cancel_backend); the session stays open.\nterminate PID: closes the whole session (pg_terminate_backend); its open transaction is rolled back.\ncancel and terminate ask y/N on a terminal, need --yes without one, are refused in read-only mode and written to the audit log.\nGrants: pg_read_all_stats to see other roles' queries; pg_signal_backend (or superuser, for a superuser's session) to cancel or terminate them.",
		options: [
			['--all', 'activity: idle sessions too'],
			['--min-duration 5s', 'activity: only sessions in their state at least this long (500ms, 5s, 2m, 1h)'],
			['--limit N', 'tables, queries: how many (default 100, 20)'],
			yes,
			json,
		],
		examples: ['opsdeck pg activity --min-duration 5s', 'opsdeck pg locks --json', 'opsdeck pg cancel 4242 --yes'],
	},
	redis: {
		usage: 'info | slowlog [--limit N] [--reset [--yes]] | latency | clients | kill ID [--yes] | memory [PATTERN] [--depth N] [--top N] [--samples N] | bigkeys [PATTERN] [--top N]   [--json]',
		summary: 'the Redis server: memory, slow log, latency, clients, memory by prefix and the biggest keys',
		about: 'Every server, or every master of a Cluster.\ninfo: memory (used, peak, maxmemory and policy, fragmentation), evicted and expired keys with their rates, ops/s, hit ratio, clients, replication and each replica\'s lag, last save and AOF; the rates are taken over --interval ms (default 1000).\nslowlog: SLOWLOG GET 128, newest first; --reset empties it (asks first; refused in read-only mode; audited).\nlatency: LATENCY LATEST, or how to turn the latency monitor on.\nclients: CLIENT LIST; this command\'s own connections are marked (own), by CLIENT ID: a client merely named opsdeck is not one.\nkill ID: CLIENT KILL ID (on a Cluster SERVER/ID as clients shows it); asks first, refused in read-only mode and for this command\'s own connections; audited.\nmemory: a SCAN of PATTERN (default *) with MEMORY USAGE of every key, summed by \':\' prefix, with the biggest keys by memory and by elements and the totals per type (redis-cli --memkeys and --bigkeys in one pass).\nbigkeys: the same SCAN with TYPE and an element count per key and no MEMORY USAGE (redis-cli --bigkeys\' work): per type the keys and the biggest, and the biggest keys by elements.',
		options: [
			['--limit N', 'slowlog: entries to show (default 128)'],
			['--reset', 'slowlog: SLOWLOG RESET on every server'],
			['--depth N', 'memory: prefix levels (default 2)'],
			['--top N', 'memory: biggest keys, and prefixes shown per level (default 10)'],
			['--samples N', 'memory: MEMORY USAGE SAMPLES (default 0: every element counted)'],
			['--interval MS', 'info: the time the rates are taken over (default 1000)'],
			yes,
			json,
		],
		examples: ['opsdeck redis info', 'opsdeck redis slowlog --limit 20', 'opsdeck redis kill 1234 --yes', 'opsdeck redis memory \'chat:*\' --depth 3 --json', 'opsdeck redis bigkeys --top 20'],
	},
	audit: {
		usage: '[--json] [--limit N]',
		summary: 'the audit log of destructive actions',
		about: 'The newest entries of the audit log (time, user, host, action, target, result), newest last.',
		options: [['--limit N', 'entries to show (default 50)'], json],
		examples: ['opsdeck audit --limit 10'],
	},
	logs: {
		usage: '[SOURCE] [-n N] [--follow] [--grep RE] [--level error|warn] [--since 10m] [--count] [--json]',
		summary: 'the app\'s logs: the last lines, a search, or follow (tail -F)',
		about: 'SOURCE is a file of LOG_FILES (its name), journal:UNIT for LOG_UNIT, or a file\'s path; default the first source.\nWithout --grep, --level or --since: the last N lines (default 50), read backwards from the end of the file (a 1 GB log is not read through).\nWith them: every line that passes, in one pass over the file (with -n N, only the last N of them).\n--follow: the last N lines, then new ones as they come, through rotations (renamed, copied and truncated, deleted and created again), until Ctrl-C.\nLevels are read from ERROR/WARN words, level=error, JSON "level":"error" or pino numbers, and Python logging; --since reads ISO 8601, Common Log Format, syslog and JSON epoch timestamps. Lines over 64 KB are cut with their length.',
		options: [
			['-n N, --lines N', 'the last N lines (default 50; with --follow, 0 shows only new ones)'],
			['--follow, -f', 'keep printing new lines (tail -F) until Ctrl-C'],
			['--grep RE', 'lines matching a regular expression (case-sensitive; /RE/i for any case)'],
			[`--level ${flagSpec.level.choices.join('|')}`, 'errors only, or warnings and errors'],
			['--since T', 'lines from T on: 10m, 2h, 1d, 1h30m, or a time (2024-05-01T10:00, with a zone or local)'],
			['--count', 'only the number of lines that pass (grep -c); not with --follow or -n'],
			['--json', 'one JSON object a line: source, offset, time, level, line, bytes, cut'],
		],
		examples: ['opsdeck logs -n 100', 'opsdeck logs app.log --grep \'timeout|refused\' --since 1h', 'opsdeck logs --level error -f', 'opsdeck logs --grep \' 5[0-9][0-9] \' --since 10m --count', 'opsdeck logs journal:chat.service --json | jq .line'],
	},
	app: {
		usage: 'status [--json] | restart [--yes] [--json]',
		summary: 'the app\'s own process (APP_SERVICE): status, restart',
		about: 'status: state, pid, uptime, restarts (the supervisor\'s count and those seen since opsdeck started), RSS, CPU and listening ports of the process APP_SERVICE names (systemd:UNIT, pm2:NAME, pidfile:PATH, port:N); exit 0 when it is up, 1 when it is down or cannot be told.\nrestart: systemctl restart, pm2 restart, or SIGTERM to its pid and a wait (APP_RESTART_TIMEOUT, 30 s) for a new one; asks first, refused in read-only mode, written to the audit log. A restart that gives no new pid says why, with the app\'s last log lines (exit 1).',
		options: [yes, json],
		examples: ['opsdeck app status', 'opsdeck app restart --yes'],
	},
	demo: {
		usage: '[--traffic] [--chats N] [--seed N] [--rate N] [--force]',
		summary: 'seed a sample chat backend (and keep writing with --traffic)',
		about: 'Fills the configured backends with a sample chat app (its own tables, keys and SQLite file); refuses to replace data of the same names without --force. --traffic then writes like the live app until Ctrl-C.',
		options: [
			['--chats N', 'how many chats (default 24)'],
			['--seed N', 'the same N gives the same chats, codes and counts (on backends without demo data)'],
			['--traffic', 'keep writing messages until Ctrl-C'],
			['--rate N', 'messages a second with --traffic (default 5)'],
			['--force', 'replace earlier demo data'],
			json,
		],
		examples: ['opsdeck demo', 'opsdeck demo --seed 1', 'opsdeck demo --traffic --rate 20'],
	},
} as const satisfies Record<string, CommandHelp>;

export type CommandName = keyof typeof commandHelp;

export const commandNames = Object.keys(commandHelp) as CommandName[];

export function isCommand(name: string): name is CommandName {
	return Object.hasOwn(commandHelp, name);
}

const globalOptions: ReadonlyArray<readonly [string, string]> = [
	['--redis-url URL', 'Redis (REDIS_URL)               default redis://127.0.0.1:6379/0'],
	['--database-url URL', 'PostgreSQL (DATABASE_URL, PG*)  default postgres://127.0.0.1:5432/postgres'],
	['--sqlite FILE', 'SQLite data file (SQLITE_PATH)   default ./data/app.db'],
	['--backup-dir DIR', 'backups (BACKUP_DIR)             default ./backups'],
	['--interval MS', 'poll interval (POLL_INTERVAL_MS) default 1000'],
	['--read-only', 'refuse every destructive action (OPSDECK_READ_ONLY=1)'],
	['--app-url URL', 'the app\'s own health URL (APP_HEALTH_URL)'],
	['--config FILE', 'config file                      default ./opsdeck.config.json'],
	['--audit-log FILE', 'audit log                        default $XDG_STATE_HOME/opsdeck/audit.log'],
	['--profile NAME', 'an environment the config file defines (OPSDECK_PROFILE); see opsdeck profiles'],
	['--no-color', 'no colour anywhere (NO_COLOR=1); THEME=high-contrast for bright, bold states'],
	['--help, -h', 'help (also after a command: opsdeck flush --help)'],
	['--version, -v', 'the version'],
];

/** `--port N` → `port`, `--yes, -y` → `yes`: the long flag an option line starts with. */
/** The long flags an option line names (`-n N, --lines N` → lines): the short form maps to one of them. */
const flagsOf = ([left]: readonly [string, string]) => [...left.matchAll(/(?:^|[\s,])--([a-z][a-z-]*)/g)].map(match => match[1]!);

/** The options every command (and the console) takes: the global table above. */
export const globalFlags: ReadonlySet<string> = new Set(globalOptions.flatMap(flagsOf));

/**
 * The long flags (kebab-case) `opsdeck NAME` takes: its own options as its help lists them, and
 * the global ones. One source of truth: an option not in its help is refused (cli/argv.ts).
 */
export function commandFlags(name: CommandName): ReadonlySet<string> {
	const own = (commandHelp[name] as CommandHelp).options.flatMap(flagsOf);
	return new Set([...globalFlags, ...own]);
}

function table(rows: ReadonlyArray<readonly [string, string]>, indent = '    '): string {
	const width = Math.max(...rows.map(([left]) => left.length)) + 2;
	return rows.map(([left, right]) => `${indent}${left.padEnd(width)}${right}`).join('\n');
}

function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}
	return [...lines, line];
}

/** `opsdeck --help`: the command list and the global options. */
export function generalHelp(): string {
	const width = Math.max(...commandNames.map(name => name.length)) + 1;
	return [
		'',
		'  Usage',
		`    $ opsdeck                      the console (${tabTitles.join(', ')})`,
		'    $ opsdeck <command> [options]',
		'    $ opsdeck help <command>       that command\'s options and examples (or: opsdeck <command> --help)',
		'',
		'  Commands',
		...commandNames.map(name => `    ${name.padEnd(width)} ${commandHelp[name].summary}`),
		'',
		'  Options (every command)',
		table(globalOptions),
		'',
		'  Put -- before an argument that starts with - (a key or pattern): after --, everything is data.',
		'  Exit codes: 0 done, 1 failed, 2 bad usage or refused (status: 0 healthy, 1 degraded, 2 unhealthy).',
		'',
	].join('\n');
}

/** `opsdeck NAME --help`: its usage, what it does, its options and an example. */
export function commandHelpText(name: CommandName): string {
	const help: CommandHelp = commandHelp[name];
	return [
		'',
		`  Usage: opsdeck ${name} ${help.usage}`,
		'',
		...help.about.split('\n').flatMap(line => wrap(line, 94)).map(line => `  ${line}`),
		'',
		'  Options',
		table(help.options),
		'    (and the options of every command: --redis-url, --database-url, --sqlite, --backup-dir,',
		'     --config, --profile, --read-only, --audit-log; see opsdeck --help)',
		'',
		`  Example${help.examples.length > 1 ? 's' : ''}`,
		...help.examples.map(example => `    $ ${example}`),
		'',
	].join('\n');
}

/** The version in package.json (looked up from here: build/bin.js and build/bundle/bin.js alike). */
export function packageVersion(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 5; i++) {
		try {
			const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: string; version?: string};
			if (pkg.name === 'opsdeck' && pkg.version) return pkg.version;
		} catch {
			// not here: one folder up
		}
		dir = path.dirname(dir);
	}
	return 'unknown';
}
