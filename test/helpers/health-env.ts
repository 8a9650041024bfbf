// For the health, flush and serve tests: run the built CLI (no terminal, stdout a pipe) in a temp
// working directory with a SQLite file, and small local HTTP servers (an app health URL, a webhook).
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** The bundle users run (package.json's bin): what esbuild breaks (a missing __dirname) shows only here. */
export const bundledBin = path.resolve('build/bundle/bin.js');
/** What the tests run: the bundle (a third less CPU to start than the tsc build, build/bin.js). */
export const bin = bundledBin;

export function requireBuild(file = bin): void {
	if (!fs.existsSync(file)) throw new Error(`${path.relative(process.cwd(), file)} is missing: run npm run build first`);
}

/** The environment for a child opsdeck: inherited, minus anything that would point it elsewhere. */
export function cliEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env};
	for (const name of ['REDIS_URL', 'DATABASE_URL', 'SQLITE_PATH', 'BACKUP_DIR', 'POLL_INTERVAL_MS', 'OPSDECK_READ_ONLY', 'APP_HEALTH_URL', 'ALERT_WEBHOOK_URL', 'HEALTH_PORT', 'OPSDECK_CONFIG', 'PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'LOG_FILES', 'LOG_UNIT', 'APP_SERVICE', 'APP_RESTART_TIMEOUT', 'METRICS_WATCH_CAP', 'NO_COLOR', 'THEME']) delete env[name];
	for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
	return env;
}

export type CliRun = {
	readonly child: ChildProcess;
	readonly out: () => string;
	readonly err: () => string;
	readonly exit: Promise<number | null>;
};

export function startCli(args: readonly string[], options: {env: NodeJS.ProcessEnv; cwd: string; bin?: string}): CliRun {
	const child = spawn(process.execPath, [options.bin ?? bin, ...args], {cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
	return {child, out: () => out, err: () => err, exit};
}

export async function runCli(args: readonly string[], options: {env: NodeJS.ProcessEnv; cwd: string; bin?: string}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const run = startCli(args, options);
	const code = await run.exit;
	return {code, stdout: run.out(), stderr: run.err()};
}

/** A temp working directory with data/app.db (a real SQLite file) and an empty backups folder. */
export function tempWorkdir(prefix = 'opsdeck-health-'): {dir: string; sqlite: string; backups: string; cleanup(): void} {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const sqlite = path.join(dir, 'app.db');
	const backups = path.join(dir, 'backups');
	fs.mkdirSync(backups);
	return {dir, sqlite, backups, cleanup: () => fs.rmSync(dir, {recursive: true, force: true})};
}

export type LocalServer = {
	readonly url: string;
	readonly port: number;
	/** request bodies received so far */
	readonly bodies: string[];
	/** what the next requests get */
	respond: {status: number; delayMs: number};
	close(): Promise<void>;
};

/** An HTTP server on 127.0.0.1 that records request bodies and answers with `respond`. */
export async function startLocalServer(): Promise<LocalServer> {
	const bodies: string[] = [];
	const state = {status: 200, delayMs: 0};
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d: Buffer) => (body += d.toString()));
		req.on('end', () => {
			const {status, delayMs} = state;
			setTimeout(() => {
				bodies.push(body);
				res.writeHead(status, {'content-type': 'application/json'});
				res.end(JSON.stringify({status: status < 300 ? 'ok' : 'error'}));
			}, delayMs);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as {port: number}).port;
	return {
		url: `http://127.0.0.1:${port}/health`,
		port,
		bodies,
		get respond() {
			return state;
		},
		set respond(value) {
			Object.assign(state, value);
		},
		close: () => new Promise<void>(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}
