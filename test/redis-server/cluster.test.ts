// The Redis view on a 3-master Cluster (one cluster for the file; issue 22): every master is a
// server of its own in info, slowlog and clients; a client is killed as SERVER/ID; `redis memory`
// covers the keys of every master. Through the built CLI, as a user runs it (`npm run build` first).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Cluster, Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {startRedisCluster, type RedisClusterHandle} from '../helpers/redis-cluster.js';
import {bigHash, fillKeyspace, referenceBytes} from './keyspace.js';

let cluster: RedisClusterHandle;
let writer: Cluster;
let cwd: string;

beforeAll(async () => {
	requireBuild();
	cluster = await startRedisCluster(3);
	writer = new Cluster([{host: '127.0.0.1', port: cluster.ports[0]!}], {enableAutoPipelining: true});
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rediscluster-'));
}, 60_000);

afterAll(async () => {
	writer?.disconnect();
	await cluster?.stop();
	if (cwd) fs.rmSync(cwd, {recursive: true, force: true});
});

const cli = (args: string[]) => runCli(['redis', ...args], {env: cliEnv({REDIS_URL: cluster.url, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log'), POLL_INTERVAL_MS: '250'}), cwd});
const servers = () => cluster.ports.map(port => `127.0.0.1:${port}`).sort();

describe('redis on a Cluster', () => {
	it('info and the slow log: one entry per master, merged newest first', async () => {
		const nodes = cluster.ports.map(port => new Redis({port, host: '127.0.0.1'}));
		try {
			await Promise.all(nodes.map(node => node.config('SET', 'slowlog-log-slower-than', '0')));
			await Promise.all(Array.from({length: 30}, (_, i) => writer.set(`slow:${i}`, 'v')));
			await Promise.all(nodes.map(node => node.config('SET', 'slowlog-log-slower-than', '10000')));
		} finally {
			for (const node of nodes) node.disconnect();
		}
		const info = JSON.parse((await cli(['info', '--json'])).stdout) as {cluster: boolean; servers: {server: string; role: string}[]};
		expect(info.cluster).toBe(true);
		expect(info.servers.map(s => s.server).sort()).toEqual(servers());
		expect(info.servers.every(s => s.role === 'master')).toBe(true);
		const log = JSON.parse((await cli(['slowlog', '--json'])).stdout) as {servers: {server: string}[]; entries: {server: string; time: number; args: {text: string}[]}[]};
		expect(log.servers.map(s => s.server).sort()).toEqual(servers());
		const sets = log.entries.filter(e => e.args[0]?.text === 'set');
		expect(new Set(sets.map(e => e.server)).size).toBe(3);
		expect(sets).toHaveLength(30);
		const times = log.entries.map(e => e.time);
		expect(times).toEqual([...times].sort((a, b) => b - a));
	});

	it('a client on one master is listed as SERVER/ID and killed by that name', async () => {
		const port = cluster.ports[1]!;
		const victim = new Redis({port, host: '127.0.0.1', connectionName: 'victim', retryStrategy: () => null});
		victim.on('error', () => undefined);
		try {
			const id = Number(await victim.client('ID'));
			const listed = await cli(['clients']);
			expect(listed.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}/${id} +127\\.0\\.0\\.1:\\d+ +victim `, 'm'));
			const killed = await cli(['kill', `127.0.0.1:${port}/${id}`, '--yes']);
			expect(killed).toMatchObject({code: 0, stderr: ''});
			const node = new Redis({port, host: '127.0.0.1'});
			const list = String(await node.client('LIST'));
			node.disconnect();
			expect(list).not.toContain('name=victim ');
		} finally {
			victim.disconnect();
		}
	});

	it('memory: every master\'s keys, each prefix within 2% of MEMORY USAGE of its keys', async () => {
		const keys = await fillKeyspace(writer, {users: 1000, userBytes: 1024, chats: 10, members: 200, hashFields: 200, fieldBytes: 1024});
		const reference = await referenceBytes(writer, keys);
		const r = await cli(['memory', '--json', '--depth', '1']);
		expect(r.stderr).toBe('');
		const report = JSON.parse(r.stdout) as {masters: number; complete: boolean; tree: {children: {prefix: string; bytes: number; keys: number}[]}; biggestByMemory: {key: string}[]};
		expect(report).toMatchObject({masters: 3, complete: true});
		const byPrefix = new Map(report.tree.children.map(c => [c.prefix, c]));
		for (const [prefix, bytes] of reference) expect(Math.abs(byPrefix.get(prefix)!.bytes - bytes) / bytes, prefix).toBeLessThan(0.02);
		expect(byPrefix.get('user:')!.keys).toBe(1000);
		expect(report.biggestByMemory[0]!.key).toBe(bigHash);
	}, 60_000);
});
