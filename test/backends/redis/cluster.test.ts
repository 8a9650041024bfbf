// The Redis plumbing on a 3-master cluster (one cluster for the file): the SCAN iterator walks
// every master; the pipeline helper groups commands by the master that owns each key's exact
// bytes, in chunks (one pipeline each, each confirmed on its connection when asked), with the
// results in the order asked and commands on one key in the order given across chunks.
import {Cluster, Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RedisBackend} from '../../../source/backends/redis/client.js';
import {keyFromBytes} from '../../../source/backends/redis/key-bytes.js';
import {batch, batchValues, groupByMaster, type BatchCommand} from '../../../source/backends/redis/pipeline.js';
import {scanKeys} from '../../../source/backends/redis/scan.js';
import {clusterBackend, startRedisCluster, type RedisClusterHandle} from '../../helpers/redis-cluster.js';
import {runCli} from '../../helpers/run-cli.js';

let cluster: RedisClusterHandle;
let writer: Cluster;
let backend: RedisBackend;

beforeAll(async () => {
	cluster = await startRedisCluster(3);
	writer = new Cluster([{host: '127.0.0.1', port: cluster.ports[0]!}]);
	backend = await clusterBackend(cluster);
}, 60_000);

afterAll(async () => {
	await backend?.close();
	writer?.disconnect();
	await cluster?.stop();
});

/** How often each node ran a command (INFO commandstats), in the order of cluster.ports. */
async function calls(command: string): Promise<number[]> {
	return Promise.all(
		cluster.ports.map(async port => {
			const node = new Redis({port, host: '127.0.0.1'});
			try {
				return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await node.info('commandstats'))?.[1] ?? 0);
			} finally {
				node.disconnect();
			}
		}),
	);
}

describe('scanKeys on a cluster', () => {
	it('walks every master, each key once', async () => {
		const keys = Array.from({length: 300}, (_, i) => `k:${i}`);
		await Promise.all(keys.map(key => writer.set(key, 'v')));
		const scan = scanKeys(backend, {pattern: 'k:*', count: 20});
		const found: string[] = [];
		for await (const batch of scan) found.push(...batch);
		expect(found.sort()).toEqual([...keys].sort());
		expect(scan.cursors).toHaveLength(3);
		// each master held some of the keys, and together exactly all of them
		for (const master of scan.cursors) expect(master.returned).toBeGreaterThan(0);
		expect(scan.cursors.reduce((n, m) => n + m.returned, 0)).toBe(keys.length);
	});
});

describe('batch on a cluster', () => {
	it('sends each key to its master in chunks, one confirmed pipeline per chunk, results in order', async () => {
		const keys = Array.from({length: 100}, (_, i) => `p:${i}`);
		// a key that is not UTF-8: its slot and its command use the bytes, not U+FFFD
		const raw = Buffer.from([0x70, 0x3a, 0xfe, 0xff]);
		await writer.set(raw, 'bytes');
		const all = [...keys, keyFromBytes(raw)];
		await Promise.all(keys.map((key, i) => writer.set(key, String(i))));

		const groups = groupByMaster(backend, all, key => key);
		expect(groups.size).toBe(3);
		const perNode = cluster.ports.map(port => [...groups].find(([master]) => master.options.port === port)?.[1].length ?? 0);
		expect(perNode.reduce((a, b) => a + b, 0)).toBe(all.length);

		const chunk = 7;
		const gets = await calls('get');
		const confirms = await calls('client\\|info');
		const results = await batch(backend, all.map(key => [key, 'get', key] as BatchCommand), {chunk, confirm: true});
		expect(results.map(r => r.value)).toEqual([...keys.map((_, i) => String(i)), 'bytes']);
		const getsAfter = await calls('get');
		const confirmsAfter = await calls('client\\|info');
		cluster.ports.forEach((_, n) => {
			// every key read on the node that owns it, and one CLIENT INFO (confirm) per chunk there
			expect(getsAfter[n]! - gets[n]!).toBe(perNode[n]);
			expect(confirmsAfter[n]! - confirms[n]!).toBe(Math.ceil(perNode[n]! / chunk));
		});
	});

	it('keeps the order of commands on one key across chunks, and batchValues throws the first error', async () => {
		const commands: BatchCommand[] = Array.from({length: 20}, (_, i) => ['order', 'rpush', 'order', i]);
		await batchValues(backend, commands, {chunk: 3});
		expect(await writer.lrange('order', 0, -1)).toEqual(Array.from({length: 20}, (_, i) => String(i)));

		const results = await batch(backend, [['order', 'llen', 'order'], ['order', 'get', 'order'], ['p:1', 'get', 'p:1']]);
		expect(results[0]).toEqual({value: 20});
		expect(results[1]!.error?.message).toMatch(/WRONGTYPE/);
		expect(results[2]).toEqual({value: '1'});
		await expect(batchValues(backend, [['p:1', 'get', 'p:1'], ['order', 'get', 'order']])).rejects.toThrow(/WRONGTYPE/);
	});
});

describe('opsdeck keys on a cluster', () => {
	it('lists the keys of every master, each over its own bare connection, with DBSIZE summed', async () => {
		const keys = Array.from({length: 300}, (_, i) => `ck:${i}`);
		await Promise.all(keys.map(key => writer.set(key, 'v')));
		const r = await runCli(['keys', 'ck:*', '--json'], {env: {REDIS_URL: cluster.url}});
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout) as {keys: string[]; count: number; complete: boolean; dbsize: number; masters: number};
		expect(doc.keys.sort()).toEqual([...keys].sort());
		expect(doc).toMatchObject({count: 300, complete: true, masters: 3});
		const sizes = await Promise.all(cluster.ports.map(async port => {
			const node = new Redis({port, host: '127.0.0.1'});
			try {
				return await node.dbsize();
			} finally {
				node.disconnect();
			}
		}));
		expect(doc.dbsize).toBe(sizes.reduce((a, b) => a + b, 0));
		const limited = JSON.parse((await runCli(['keys', 'ck:*', '--limit', '10', '--json'], {env: {REDIS_URL: cluster.url}})).stdout) as {keys: string[]};
		expect(limited.keys).toHaveLength(10);
	}, 30_000);
});
