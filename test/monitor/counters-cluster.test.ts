// Counters on a 3-master Redis Cluster: patterns are resolved on every master, and a tick is one
// pipeline per master with each key sent to the node that owns its slot.
import {Cluster, Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RedisBackend} from '../../source/backends/redis/client.js';
import {CounterMonitor} from '../../source/monitor/counters.js';
import {clusterBackend, startRedisCluster, type RedisClusterHandle} from '../helpers/redis-cluster.js';
import {waitFor} from '../helpers/wait.js';

let cluster: RedisClusterHandle;
let writer: Cluster;
let backend: RedisBackend;
const chats = 60;

beforeAll(async () => {
	cluster = await startRedisCluster(3);
	writer = new Cluster([{host: '127.0.0.1', port: cluster.ports[0]!}]);
	for (let i = 0; i < chats; i++) await writer.zadd(`chat:K${i}:messages`, 1, 'a', 2, 'b');
	backend = await clusterBackend(cluster);
}, 60_000);

afterAll(async () => {
	await backend?.close();
	writer?.disconnect();
	await cluster?.stop();
});

async function zcardCalls(port: number): Promise<number> {
	const node = new Redis({port, host: '127.0.0.1'});
	try {
		return Number(/cmdstat_zcard:calls=(\d+)/.exec(await node.info('commandstats'))?.[1] ?? 0);
	} finally {
		node.disconnect();
	}
}

describe('counters on a cluster', () => {
	it('finds keys on every master and sends one pipeline per master a tick', async () => {
		const monitor = new CounterMonitor({watches: ['chat:*:messages'], resolveEvery: 100});
		const first = await waitFor(async () => {
			const tick = await monitor.tick(backend);
			return tick.keys.length === chats ? tick : undefined;
		}, {timeout: 10_000});
		expect(first.totals.count).toBe(2 * chats);

		const before = await Promise.all(cluster.ports.map(port => zcardCalls(port)));
		await writer.zadd('chat:K5:messages', 3, 'c', 4, 'd', 5, 'e');
		const tick = await monitor.tick(backend);
		const after = await Promise.all(cluster.ports.map(port => zcardCalls(port)));
		expect(tick.roundTrips).toBe(3);
		expect(tick.keys.find(k => k.key === 'chat:K5:messages')).toMatchObject({count: 5, delta: 3});
		// each master counted its own keys: every key once, spread over all three
		const perNode = after.map((n, i) => n - before[i]!);
		expect(perNode.reduce((a, b) => a + b, 0)).toBe(chats);
		for (const n of perNode) expect(n).toBeGreaterThan(0);
	});
});
