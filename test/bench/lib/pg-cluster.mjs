// A private PostgreSQL cluster for the bench (the shared server allows 100 connections; P7 needs
// 500): initdb in a temp dir, trust auth, a free port, max_connections 600, fsync off. initdb
// refuses to run as root: as root it runs as the `postgres` OS user. Stopped with
// `pg_ctl stop -m immediate` (and at exit, if the bench dies first); its folder removed.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {freePort} from './proc.mjs';

function binDir() {
	try {
		return execFileSync('pg_config', ['--bindir'], {encoding: 'utf8'}).trim();
	} catch {
		const root = '/usr/lib/postgresql';
		const newest = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
		return path.join(root, newest, 'bin');
	}
}

const asRoot = process.getuid?.() === 0;

function pgRun(binary, args) {
	const file = path.join(binDir(), binary);
	const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
	return execFileSync(cmd, argv, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000});
}

const running = new Set();
process.on('exit', () => {
	for (const stop of running) stop();
});

/** initdb + start; `settings` are postgresql.conf names. */
export async function startCluster(settings = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-pg-'));
	if (asRoot) execFileSync('chown', ['postgres', dir]);
	const data = path.join(dir, 'data');
	pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
	const port = await freePort();
	const all = {port: String(port), listen_addresses: '127.0.0.1', unix_socket_directories: dir, fsync: 'off', max_connections: '600', ...settings};
	const options = Object.entries(all).map(([k, v]) => `-c ${k}=${v}`).join(' ');
	pgRun('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
	let stopped = false;
	const stop = () => {
		if (stopped) return;
		stopped = true;
		running.delete(stop);
		try {
			pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
		} catch {
			// gone already
		}
		fs.rmSync(dir, {recursive: true, force: true});
	};
	running.add(stop);
	return {port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop};
}

/**
 * `count` client sessions, like an app's: `active` of them run a long pg_sleep, `idleInTx` sit in
 * an open transaction, the rest are idle. Closed with close() (or by the server's stop).
 */
export async function openSessions(url, {count, active = 0, idleInTx = 0, name = 'bench-app'}) {
	const clients = [];
	for (let start = 0; start < count; start += 50) {
		const batch = Array.from({length: Math.min(50, count - start)}, async (_, j) => {
			const i = start + j;
			const client = new pg.Client({connectionString: url, application_name: `${name}-${i % 7}`});
			client.on('error', () => undefined);
			await client.connect();
			if (i < active) client.query(`select pg_sleep(3600) /* worker ${i} */`).catch(() => undefined);
			else if (i < active + idleInTx) await client.query(`begin; select count(*) from pg_class where relname = 'job_${i}'`);
			return client;
		});
		clients.push(...(await Promise.all(batch)));
	}
	return {
		clients,
		async close() {
			await Promise.all(clients.map(c => c.end().catch(() => undefined)));
		},
	};
}
