// Processes for the bench: a private redis-server (never the shared 6379), timed child processes.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {now, sleep} from './stats.mjs';

const children = new Set();
process.on('exit', () => {
	for (const child of children) {
		try {
			child.kill('SIGKILL');
		} catch {
			// gone
		}
	}
});

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

function ping(port) {
	return new Promise(resolve => {
		const socket = net.connect({port, host: '127.0.0.1'});
		const done = ok => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(300, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', data => done(data.toString().startsWith('+PONG')));
	});
}

/** A private redis-server on a free port, in a temp dir, no persistence, DEBUG allowed from localhost (for DEBUG POPULATE). */
export async function startRedis() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-redis-'));
	const port = await freePort();
	const child = spawn('redis-server', [
		'--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no',
		'--dir', dir, '--logfile', '', '--enable-debug-command', 'local', '--databases', '16',
	], {stdio: 'ignore'});
	children.add(child);
	child.once('exit', () => children.delete(child));
	for (let i = 0; i < 200 && !(await ping(port)); i++) await sleep(25);
	if (!(await ping(port))) throw new Error(`private redis-server on ${port} did not start`);
	return {
		port,
		pid: child.pid,
		url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
		async stop() {
			if (child.exitCode === null) {
				const gone = new Promise(resolve => child.once('exit', resolve));
				child.kill('SIGTERM');
				await gone;
			}
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** Runs a command to completion: {ms, code, stdoutBytes, stdoutLines, stdout (when keep), stderr}. stdout is drained (counted) by this process for every command alike. */
export function timedRun(command, args, {env, cwd, keep = false, input} = {}) {
	return new Promise((resolve, reject) => {
		const started = now();
		const child = spawn(command, args, {env: env ?? process.env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']});
		children.add(child);
		let bytes = 0;
		let lines = 0;
		const kept = [];
		let stderr = '';
		child.stdout.on('data', chunk => {
			bytes += chunk.length;
			for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
			if (keep) kept.push(chunk);
		});
		child.stderr.on('data', chunk => {
			stderr = (stderr + chunk.toString()).slice(-4000);
		});
		if (input !== undefined) child.stdin.end(input);
		child.once('error', reject);
		child.once('close', code => {
			const ms = now() - started;
			children.delete(child);
			resolve({ms, code, stdoutBytes: bytes, stdoutLines: lines, stdout: keep ? Buffer.concat(kept).toString() : undefined, stderr});
		});
	});
}

/** timedRun that throws unless the exit code is 0. */
export async function mustRun(command, args, options) {
	const result = await timedRun(command, args, options);
	if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
	return result;
}
