// A real PM2 (the devDependency) with its own PM2_HOME in a temp folder, running a tiny HTTP app:
// what `pm2:NAME` is tested against. The daemon is killed after (`pm2 kill`, then SIGKILL by its
// pid file as a last resort).
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {onProcessExit} from './exit-cleanup.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.bin');

export type Pm2Home = {
	readonly home: string;
	/** the environment a child (or appStatus) needs: PM2_HOME, and pm2 on PATH */
	readonly env: NodeJS.ProcessEnv;
	pm2(...args: string[]): Promise<string>;
	/** `pm2 start FILE --name NAME` with PORT in its environment */
	pm2Start(file: string, name: string, port: number): Promise<string>;
	kill(): Promise<void>;
};

export function pm2Home(dir: string): Pm2Home {
	const home = path.join(dir, 'pm2-home');
	fs.mkdirSync(home, {recursive: true});
	const env = {...process.env, PM2_HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}`};
	const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
		new Promise<string>((resolve, reject) => {
			execFile(path.join(bin, 'pm2'), args, {env: {...env, ...extra}, timeout: 60_000}, (error, stdout, stderr) => (error ? reject(new Error(`pm2 ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
		});
	const pm2 = (...args: string[]) => run(args);
	const daemonPid = () => Number(fs.readFileSync(path.join(home, 'pm2.pid'), 'utf8').trim());
	const unregister = onProcessExit(() => {
		try {
			process.kill(daemonPid(), 'SIGKILL');
		} catch {
			// not running
		}
	});
	return {
		home,
		env,
		pm2,
		pm2Start: (file, name, port) => run(['start', file, '--name', name], {PORT: String(port)}),
		async kill() {
			unregister();
			if (fs.existsSync(path.join(home, 'pm2.pid'))) await pm2('kill').catch(() => undefined);
		},
	};
}

/** A tiny app for PM2: listens on $PORT on 127.0.0.1. */
export function tinyApp(dir: string): string {
	const file = path.join(dir, 'tiny.cjs');
	fs.writeFileSync(file, "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));\n");
	return file;
}
