// A private redis-server per test (on a free port, no persistence, in a temp dir), for tests that
// kill, restart or otherwise break Redis. The shared Redis on 6379 is never touched.
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {onProcessExit} from './exit-cleanup.js';
import {freePort} from './ports.js';
import {waitFor} from './wait.js';

export const redisServerBinary = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export type RedisServerHandle = {
	readonly port: number;
	/** redis://127.0.0.1:PORT/0 */
	readonly url: string;
	/** the temp working directory (--dir) */
	readonly dir: string;
	/** the server's pid, undefined while it is not running */
	readonly pid: number | undefined;
	/** Sends the signal (default SIGKILL) and resolves once the process is gone. */
	kill(signal?: NodeJS.Signals): Promise<void>;
	/** Starts the server again on the same port and resolves once it answers PING. */
	restart(): Promise<void>;
	/** Ends the server (SIGTERM, then SIGKILL after 2 s) and removes its directory. */
	stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// A test that forgets stop() (or fails before it) must not leave a redis-server behind.
	onProcessExit(() => {
		for (const child of running) {
			try {
				child.kill('SIGKILL');
			} catch {
				// already gone
			}
		}
	});
}

/** One PING over a raw socket: true when the server answers +PONG within timeoutMs. */
export function pingRedis(port: number, timeoutMs = 500): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({port, host: '127.0.0.1'});
		let reply = '';
		const finish = (ok: boolean) => {
			clearTimeout(timer);
			socket.destroy();
			resolve(ok);
		};
		const timer = setTimeout(() => finish(false), timeoutMs);
		socket.once('error', () => finish(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', data => {
			reply += data.toString('latin1');
			if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
		});
	});
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise(resolve => child.once('exit', () => resolve()));
}

/**
 * Starts redis-server on a free port (or opts.port) with `--save "" --appendonly no
 * --daemonize no --dir <tmpdir>` plus opts.args, and resolves once it answers PING.
 */
export async function startRedis(opts: {port?: number; args?: string[]} = {}): Promise<RedisServerHandle> {
	installExitHook();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-redis-'));
	let port = opts.port ?? (await freePort());
	let child: ChildProcess | undefined;
	let log = '';

	const launch = async (): Promise<void> => {
		log = '';
		const proc = spawn(redisServerBinary, [
			'--port', String(port),
			'--bind', '127.0.0.1',
			'--save', '',
			'--appendonly', 'no',
			'--daemonize', 'no',
			'--dir', dir,
			'--logfile', '',
			...(opts.args ?? []),
		], {stdio: ['ignore', 'pipe', 'pipe']});
		child = proc;
		running.add(proc);
		proc.stdout!.on('data', (d: Buffer) => {
			log = (log + d.toString()).slice(-4000);
		});
		proc.stderr!.on('data', (d: Buffer) => {
			log = (log + d.toString()).slice(-4000);
		});
		proc.once('exit', () => running.delete(proc));
		proc.once('error', () => running.delete(proc));
		await waitFor(async () => {
			if (proc.exitCode !== null || proc.signalCode !== null) {
				throw new Error(`redis-server exited (${proc.exitCode ?? proc.signalCode}): ${log.trim().split('\n').slice(-3).join(' | ')}`);
			}
			return pingRedis(port, 300);
		}, {timeout: 10_000, interval: 20, message: `redis-server on port ${port}`});
	};

	// The port may be taken between freePort() and redis-server binding it: try another one.
	for (let attempt = 1; ; attempt++) {
		try {
			await launch();
			break;
		} catch (error) {
			if (child) {
				child.kill('SIGKILL');
				await exited(child);
			}
			if (opts.port !== undefined || attempt >= 3) {
				fs.rmSync(dir, {recursive: true, force: true});
				throw error;
			}
			port = await freePort();
		}
	}

	const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
		const proc = child;
		if (!proc) return;
		const gone = exited(proc);
		proc.kill(signal);
		await gone;
	};

	return {
		port,
		url: `redis://127.0.0.1:${port}/0`,
		dir,
		get pid() {
			return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
		},
		kill,
		async restart() {
			await kill('SIGKILL');
			await launch();
		},
		async stop() {
			const proc = child;
			if (proc && proc.exitCode === null && proc.signalCode === null) {
				const gone = exited(proc);
				proc.kill('SIGTERM');
				const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
				await gone;
				clearTimeout(timer);
			}
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}
