// A private PostgreSQL server (initdb in a temp dir, on a free port, trust auth), for tests that need
// a server set up differently from the shared one: pg_stat_statements in shared_preload_libraries,
// a streaming standby, roles of their own. initdb refuses to run as root: as root, the server runs
// as the `postgres` OS user (runuser). Stopped with `pg_ctl stop -m immediate`; killed at exit.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {onProcessExit} from './exit-cleanup.js';
import {freePort} from './ports.js';

function binDir(): string {
	try {
		return execFileSync('pg_config', ['--bindir'], {encoding: 'utf8'}).trim();
	} catch {
		const root = '/usr/lib/postgresql';
		const newest = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
		return path.join(root, newest!, 'bin');
	}
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres OS user when we are root. */
function pgRun(binary: string, args: readonly string[]): string {
	const file = path.join(binDir(), binary);
	const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
	return execFileSync(cmd, argv, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000});
}

export type PgServer = {
	readonly port: number;
	readonly dir: string;
	/** postgres://USER@127.0.0.1:PORT/DB (postgres/postgres by default) */
	url(user?: string, database?: string): string;
	stop(): void;
};

function start(dir: string, data: string, settings: Record<string, string>): PgServer & {data: string} {
	const port = Number(settings.port);
	const options = Object.entries({listen_addresses: '127.0.0.1', unix_socket_directories: dir, fsync: 'off', ...settings}).map(([k, v]) => `-c ${k}=${v}`).join(' ');
	pgRun('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, `${path.basename(data)}.log`), '-w', '-t', '30', 'start']);
	let stopped = false;
	const stop = () => {
		if (stopped) return;
		stopped = true;
		try {
			pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
		} catch {
			// already gone
		}
	};
	const unregister = onProcessExit(stop);
	return {
		port,
		dir,
		data,
		url: (user = 'postgres', database = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`,
		stop() {
			stop();
			unregister();
		},
	};
}

/** initdb and start a primary with these settings (postgresql.conf names). */
export async function startPgServer(settings: Record<string, string> = {}): Promise<PgServer & {readonly data: string}> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-pg-'));
	if (asRoot) execFileSync('chown', ['postgres', dir]);
	const data = path.join(dir, 'primary');
	pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
	const server = start(dir, data, {port: String(await freePort()), ...settings});
	return {
		...server,
		stop() {
			server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** A streaming standby of primary (pg_basebackup -R), started in primary's temp dir. */
export async function startStandby(primary: PgServer, settings: Record<string, string> = {}): Promise<PgServer> {
	const data = path.join(primary.dir, `standby-${Date.now()}`);
	pgRun('pg_basebackup', ['-d', `${primary.url()}?application_name=standby1`, '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
	return start(primary.dir, data, {port: String(await freePort()), ...settings});
}
