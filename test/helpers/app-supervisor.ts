// A tiny app and a plain supervisor for the pidfile: and port: tests: the supervisor (a node
// process, not PM2 or systemd) starts the app, writes its pid to a pid file, and starts it again
// when it exits (or not: `respawn: false` is an app nobody restarts). The app listens on a TCP port
// on 127.0.0.1, writes lines to its log file, and says so when it gets SIGTERM.
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {onProcessExit} from './exit-cleanup.js';
import {waitFor} from './wait.js';

const app = `
const fs = require('node:fs');
const [port, log] = process.argv.slice(2);
const say = text => fs.appendFileSync(log, new Date().toISOString() + ' INFO pid ' + process.pid + ' ' + text + '\\n');
const server = require('node:http').createServer((q, s) => s.end('ok')).listen(Number(port), '127.0.0.1', () => say('listening on ' + port));
server.on('error', error => { say('ERROR cannot listen: ' + error.message); process.exit(1); });
process.on('SIGTERM', () => { say('got SIGTERM, exiting'); server.close(); process.exit(0); });
`;

const supervisor = `
const {spawn} = require('node:child_process');
const fs = require('node:fs');
const [pidFile, port, log, respawn, appFile] = process.argv.slice(2);
let child;
let stopping = false;
function start() {
	child = spawn(process.execPath, [appFile, port, log], {stdio: 'ignore'});
	fs.writeFileSync(pidFile, child.pid + '\\n');
	child.on('exit', () => { if (respawn === '1' && !stopping) setTimeout(start, 100); });
}
process.on('SIGTERM', () => { stopping = true; child.kill('SIGKILL'); process.exit(0); });
start();
`;

export type Supervised = {
	readonly pidFile: string;
	readonly port: number;
	readonly log: string;
	readonly supervisor: ChildProcess;
	/** the app's pid as the pid file has it now */
	appPid(): number;
	/** until the app's pid is in the file and it listens */
	ready(): Promise<number>;
	stop(): Promise<void>;
};

export function startSupervised(dir: string, port: number, {respawn = true, name = 'app'} = {}): Supervised {
	const appFile = path.join(dir, `${name}.cjs`);
	const supervisorFile = path.join(dir, `${name}-supervisor.cjs`);
	fs.writeFileSync(appFile, app);
	fs.writeFileSync(supervisorFile, supervisor);
	const pidFile = path.join(dir, `${name}.pid`);
	const log = path.join(dir, `${name}.log`);
	fs.rmSync(pidFile, {force: true});
	const child = spawn(process.execPath, [supervisorFile, pidFile, String(port), log, respawn ? '1' : '0', appFile], {stdio: 'ignore'});
	const appPid = () => Number(fs.readFileSync(pidFile, 'utf8').trim());
	const killApp = () => {
		try {
			process.kill(appPid(), 'SIGKILL');
		} catch {
			// gone
		}
	};
	const unregister = onProcessExit(() => {
		child.kill('SIGKILL');
		killApp();
	});
	return {
		pidFile,
		port,
		log,
		supervisor: child,
		appPid,
		async ready() {
			return waitFor(() => {
				const pid = appPid();
				const text = fs.readFileSync(log, 'utf8');
				return text.includes(`pid ${pid} listening`) ? pid : 0;
			}, {timeout: 10_000, message: `${name} to listen on ${port}`});
		},
		async stop() {
			unregister();
			const exited = child.exitCode === null ? new Promise(resolve => child.once('exit', resolve)) : Promise.resolve();
			child.kill('SIGTERM');
			await exited;
			killApp();
		},
	};
}
