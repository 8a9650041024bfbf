// A private 3-master Redis Cluster per test file: redis-server --cluster-enabled yes on free ports
// in a temp dir, joined with `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes`,
// ready once every node reports cluster_state:ok. The shared Redis is never touched.
import {type ChildProcess, execFile, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {RedisBackend} from '../../source/backends/redis/client.js';
import {freePort} from './ports.js';
import {pingRedis, redisServerBinary} from './redis-server.js';
import {waitFor} from './wait.js';

const run = promisify(execFile);
export const redisCliBinary = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';

export type RedisClusterHandle = {
	readonly ports: readonly number[];
	/** redis://127.0.0.1:FIRST_PORT/0 — opsdeck finds the other nodes itself */
	readonly url: string;
	readonly dir: string;
	stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
let hooked = false;

async function cli(port: number, ...args: string[]): Promise<string> {
	const {stdout} = await run(redisCliBinary, ['-p', String(port), ...args], {timeout: 10_000});
	return stdout;
}

export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
	if (!hooked) {
		hooked = true;
		process.on('exit', () => {
			for (const child of running) child.kill('SIGKILL');
		});
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cluster-'));
	const ports: number[] = [];
	const children: ChildProcess[] = [];
	const stop = async () => {
		await Promise.all(
			children.map(child => {
				if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
				return new Promise<void>(resolve => {
					const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
					child.once('exit', () => {
						clearTimeout(timer);
						running.delete(child);
						resolve();
					});
					child.kill('SIGTERM');
				});
			}),
		);
		fs.rmSync(dir, {recursive: true, force: true});
	};
	try {
		for (let i = 0; i < masters; i++) {
			const port = await freePort();
			const nodeDir = path.join(dir, String(port));
			fs.mkdirSync(nodeDir);
			const child = spawn(redisServerBinary, [
				'--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no',
				'--dir', nodeDir, '--logfile', '', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf',
				'--cluster-node-timeout', '5000',
			], {stdio: 'ignore'});
			running.add(child);
			children.push(child);
			ports.push(port);
		}
		await waitFor(async () => (await Promise.all(ports.map(p => pingRedis(p, 300)))).every(Boolean), {timeout: 10_000, message: 'cluster nodes answer PING'});
		await run(redisCliBinary, ['--cluster', 'create', ...ports.map(p => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {timeout: 30_000});
		await waitFor(async () => {
			for (const port of ports) {
				const info = await cli(port, 'cluster', 'info');
				if (!info.includes('cluster_state:ok')) return false;
			}
			return true;
		}, {timeout: 20_000, interval: 100, message: 'cluster_state:ok'});
	} catch (error) {
		await stop();
		throw error;
	}
	return {ports, url: `redis://127.0.0.1:${ports[0]}/0`, dir, stop};
}

/** A RedisBackend on the cluster, once it has found the cluster and is up. */
export async function clusterBackend(cluster: Pick<RedisClusterHandle, 'url'>): Promise<RedisBackend> {
	const backend = new RedisBackend(cluster.url);
	await backend.ready(10_000);
	await waitFor(() => backend.isCluster && backend.status.state === 'up', {timeout: 10_000});
	return backend;
}
