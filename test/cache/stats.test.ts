import {Cluster, Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {listChats} from '../../source/cache/collections.js';
import {scanAll} from '../../source/cache/keys.js';
import {totalDbsize} from '../../source/backends/redis/pipeline.js';
import {cacheStats} from '../../source/cache/stats.js';
import {testBackends} from '../helpers/chat-fixtures.js';
import {startRedisCluster, type RedisClusterHandle} from '../helpers/redis-cluster.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait.js';

/**
 * 40 chats: chat i has i+1 messages (820 in all, the largest 40 in chat C039); every 4th chat a
 * pinned cache (10), every 5th a backroom cache (8), every chat 2 reaction hashes (80); 25 other keys.
 */
async function seed(client: Redis | Cluster): Promise<void> {
	for (let i = 0; i < 40; i++) {
		const chat = `C${String(i).padStart(3, '0')}`;
		const members: (string | number)[] = [];
		for (let m = 0; m <= i; m++) members.push(1_764_000_000_000 + m, JSON.stringify({id: `${chat}-${m}`, chat_code: chat, content: 'x'}));
		await client.zadd(`chat:${chat}:messages`, ...members);
		if (i % 4 === 0) await client.zadd(`chat:${chat}:pinned`, 1, JSON.stringify({id: `${chat}-0`}));
		if (i % 5 === 0) await client.zadd(`chat:${chat}:backroom`, 1, JSON.stringify({id: `${chat}-b`}), 2, JSON.stringify({id: `${chat}-c`}));
		await client.hset(`chat:${chat}:reactions:${chat}-0`, 'thumbs', 1);
		await client.hset(`chat:${chat}:reactions:${chat}-1`, 'heart', 2);
	}
	for (let i = 0; i < 25; i++) await client.set(`other:${i}`, 'v');
}

const expected = {
	chatsCached: 40,
	chatsWithAnyKey: 40,
	messagesCached: 820,
	pinnedCaches: 10,
	pinnedMessages: 10,
	backroomCaches: 8,
	backroomMessages: 16,
	reactionCaches: 80,
	largest: {chat: 'C039', key: 'chat:C039:messages', messages: 40},
	overMax: 0,
	configured: {maxMessages: 500, ttlSeconds: 86_400, pinnedTtlSeconds: 604_800},
	keysScanned: 40 + 10 + 8 + 80,
};

describe('stats on a single server', () => {
	let server: RedisServerHandle;
	let direct: Redis;
	let backends: Backends;
	beforeAll(async () => {
		server = await startRedis();
		direct = new Redis(server.url);
		await seed(direct);
		backends = testBackends(server.url, {env: {SCAN_COUNT: '7'}});
		await backends.redis.ready();
	});
	afterAll(async () => {
		await closeBackends(backends);
		direct.disconnect();
		await server.stop();
	});

	it('equals the seeded counts exactly (a full SCAN, small COUNT)', async () => {
		expect(await cacheStats(backends)).toEqual({...expected, masters: 1});
	});
});

describe('on a 3-master cluster', () => {
	let cluster: RedisClusterHandle;
	let client: Cluster;
	let backends: Backends;
	beforeAll(async () => {
		cluster = await startRedisCluster(3);
		client = new Cluster(cluster.ports.map(port => ({host: '127.0.0.1', port})));
		await seed(client);
		for (let i = 0; i < 3000; i++) await client.set(`spread:${i}`, 'v');
		backends = testBackends(cluster.url);
		await backends.redis.ready();
		// the backend finds out it is a cluster after the first connection
		await waitFor(() => backends.redis.isCluster && backends.redis.masters().length === 3, {timeout: 10_000});
	}, 60_000);
	afterAll(async () => {
		await closeBackends(backends);
		client?.disconnect();
		await cluster?.stop();
	});

	it('stats equal the seeded counts', async () => {
		expect(await cacheStats(backends)).toEqual({...expected, masters: 3});
	});

	it('the key count equals the sum of DBSIZE of the masters, keys spread over all three', async () => {
		const keys = await scanAll(backends.redis);
		const perMaster = await Promise.all(cluster.ports.map(async port => {
			const node = new Redis(port);
			try {
				return await node.dbsize();
			} finally {
				node.disconnect();
			}
		}));
		const sum = perMaster.reduce((x, y) => x + y, 0);
		expect(keys.length).toBe(sum);
		expect(await totalDbsize(backends.redis)).toBe(sum);
		expect(perMaster.every(n => n > 500)).toBe(true);
	});

	it('lists chats across the nodes', async () => {
		const chats = await listChats(backends);
		expect(chats).toHaveLength(40);
		expect(chats.reduce((sum, c) => sum + (c.messages ?? 0), 0)).toBe(820);
	});
});
