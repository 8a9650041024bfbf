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
	const child = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', [
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

/** user+sys CPU seconds of a process so far, from /proc/PID/stat (for a server the bench started) */
export function cpuSeconds(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a command to completion: {ms, code, stdoutBytes, stdoutLines, stdout (when keep), stderr,
 * cpuS}. stdout is drained (counted) by this process for every command alike. With `cpu`, the
 * command runs under /usr/bin/time and cpuS is its user+sys CPU (a figure the machine's load
 * disturbs less than wall time).
 */
export function timedRun(command, args, {env, cwd, keep = false, input, cpu = false} = {}) {
	return new Promise((resolve, reject) => {
		const cpuFile = cpu && timeBin ? path.join(os.tmpdir(), `opsdeck-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined;
		if (cpuFile) {
			args = ['-f', '%U %S', '-o', cpuFile, command, ...args];
			command = timeBin;
		}
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
			let cpuS;
			if (cpuFile) {
				try {
					const [user, sys] = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
					cpuS = user + sys;
				} catch {
					cpuS = undefined;
				}
				fs.rmSync(cpuFile, {force: true});
			}
			resolve({ms, code, stdoutBytes: bytes, stdoutLines: lines, stdout: keep ? Buffer.concat(kept).toString() : undefined, stderr, cpuS});
		});
	});
}

/** timedRun that throws unless the exit code is 0. */
export async function mustRun(command, args, options) {
	const result = await timedRun(command, args, options);
	if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
	return result;
}
