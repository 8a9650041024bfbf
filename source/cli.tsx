// meow: the help text and flags; then either one one-shot command or the console.
import meow from 'meow';
import {createBackends, closeBackends, BackendDownError} from './backends/index.js';
import {ConfigError, loadConfig} from './config.js';
import {flagSpec, type Flags} from './flags.js';
import {CommandError, UsageError, type CommandContext} from './commands/shared.js';
import {ReadOnlyError} from './ops/mutations.js';
import {errorMessage} from './text/mask.js';
import {writeError} from './text/out.js';

const help = `
  Usage
    $ opsdeck                      the console (Status, Keys, Monitor, Backups)
    $ opsdeck <command> [options]

  Commands
    status   [--json]                        health of every backend (exit 0 healthy, 1 degraded, 2 unhealthy)
    serve    [--port N] [--host H]           HTTP: GET /health and /api/health
    reconnect postgres|redis
    flush    [--all] [--yes]                 FLUSHDB (or FLUSHALL with --all)
    keys     [PATTERN] [--type T] [--limit N] [--json]
    inspect  KEY [--limit N] [--json]
    chat     list | show CODE [--messages N] [--reactions] [--compare] [--clear [--yes]]
    message  ID                              one message in PostgreSQL and in Redis
    stats    [--json]                        totals across the cache
    monitor  [PATTERN...] [--interval MS] [--plain | --json]
    backup   create | list | verify NAME | restore NAME [--yes] [--force] | prune | delete NAME
    sqlite   check | vacuum | analyze | export TABLE [--format csv|json] [--output FILE]
    audit    [--json] [--limit N]            the audit log of destructive actions
    demo     [--traffic] [--chats N] [--rate N] [--force]   seed a sample chat backend

  Options
    --redis-url URL        Redis (REDIS_URL)              default redis://127.0.0.1:6379/0
    --database-url URL     PostgreSQL (DATABASE_URL, PG*) default postgres://127.0.0.1:5432/postgres
    --sqlite FILE          SQLite data file (SQLITE_PATH)  default ./data/app.db
    --backup-dir DIR       backups (BACKUP_DIR)            default ./backups
    --interval MS          poll interval (POLL_INTERVAL_MS) default 1000
    --read-only            refuse every destructive action (OPSDECK_READ_ONLY=1)
    --app-url URL          the app's own health URL (APP_HEALTH_URL)
    --config FILE          config file                     default ./opsdeck.config.json
    --audit-log FILE       audit log    default $XDG_STATE_HOME/opsdeck/audit.log
    --json                 JSON output
    --yes                  do it without asking
    --help, --version

  Exit codes: 0 done, 1 failed, 2 bad usage or refused (status: 0 healthy, 1 degraded, 2 unhealthy).
`;

const commandNames = ['status', 'serve', 'reconnect', 'flush', 'keys', 'inspect', 'chat', 'message', 'stats', 'monitor', 'backup', 'sqlite', 'audit', 'demo'] as const;

type CommandModule = {readonly run: (ctx: CommandContext) => Promise<number>};

function fail(message: string, code: number): number {
	// an argument, a config value or a server's error text: all go through the one writer
	writeError(process.stderr, message);
	return code;
}

async function main(): Promise<number> {
	const cli = meow(help, {
		importMeta: import.meta,
		flags: flagSpec,
		// checked below, so the operator gets one line instead of meow's two
		allowUnknownFlags: true,
		autoHelp: true,
		autoVersion: true,
	});
	const flags = cli.flags as Flags;
	const known = new Set([...Object.keys(flagSpec), ...Object.values(flagSpec).map(spec => ('shortFlag' in spec ? spec.shortFlag : ''))]);
	const unknown = Object.keys(cli.unnormalizedFlags).filter(name => !known.has(name));
	if (unknown.length > 0) {
		const name = unknown[0]!.replace(/[A-Z]/g, ch => `-${ch.toLowerCase()}`);
		return fail(`unknown option --${name.slice(0, 40)}; see opsdeck --help`, 2);
	}
	for (const [name, spec] of Object.entries(flagSpec)) {
		// `--limit` with no value arrives as an empty string
		if (spec.type === 'string' && (flags as Record<string, unknown>)[name] === '') {
			return fail(`--${name.replace(/[A-Z]/g, ch => `-${ch.toLowerCase()}`)} needs a value`, 2);
		}
	}
	const [command, ...args] = cli.input;

	let config;
	try {
		config = loadConfig({flags});
	} catch (error) {
		if (error instanceof ConfigError) return fail(error.message, 2);
		throw error;
	}

	if (command === undefined) {
		if (!process.stdin.isTTY || !process.stdout.isTTY) {
			return fail('the console needs a terminal; try `opsdeck status`', 2);
		}
		const {runConsole} = await import('./app/run-console.js');
		return runConsole(createBackends(config));
	}

	if (!(commandNames as readonly string[]).includes(command)) {
		return fail(`unknown command "${command.slice(0, 40)}"; see opsdeck --help`, 2);
	}

	let module: CommandModule;
	try {
		module = (await import(`./commands/${command}.js`)) as CommandModule;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(`commands/${command}.js`)) {
			return fail(`the ${command} command is not available in this build`, 1);
		}
		throw error;
	}

	const backends = createBackends(config);
	try {
		return await module.run({args, flags, config, backends, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr});
	} catch (error) {
		if (error instanceof UsageError || error instanceof ReadOnlyError) return fail(errorMessage(error), 2);
		if (error instanceof CommandError || error instanceof BackendDownError) return fail(errorMessage(error), 1);
		if (process.env.OPSDECK_DEBUG) process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		return fail(errorMessage(error), 1);
	} finally {
		await closeBackends(backends);
	}
}

// `| head` closing the pipe is not an error.
process.stdout.on('error', error => {
	if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

try {
	process.exitCode = await main();
} catch (error) {
	process.exitCode = fail(errorMessage(error), 1);
}
// Anything still holding the event loop (a socket being torn down) must not keep a script waiting.
setTimeout(() => process.exit(), 2000).unref();
