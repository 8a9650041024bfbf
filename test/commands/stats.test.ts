// stats, keys, inspect and chat against a 3-master Redis Cluster started by the test: the same
// answers as on one server, with every master scanned and each key read from its own node.
import path from 'node:path';
import {Cluster, Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/chat-fixtures.js';
import {startRedisCluster, type RedisClusterHandle} from '../helpers/redis-cluster.js';
import {runCli} from '../helpers/run-cli.js';

let cluster: RedisClusterHandle;
let client: Cluster;
let cwd: string;

beforeAll(async () => {
	cluster = await startRedisCluster(3);
	client = new Cluster(cluster.ports.map(port => ({host: '127.0.0.1', port})));
	// 30 chats with 1..30 messages (465), a pinned cache on every third (10), reactions on each (30)
	for (let i = 1; i <= 30; i++) {
		const chat = `K${i}`;
		const members: (string | number)[] = [];
		for (let m = 0; m < i; m++) members.push(1_764_000_000_000 + m, JSON.stringify({id: `${chat}-${m}`, chat_code: chat, username: 'u', content: `c${m}`}));
		await client.zadd(`chat:${chat}:messages`, ...members);
		if (i % 3 === 0) await client.zadd(`chat:${chat}:pinned`, 1, JSON.stringify({id: `${chat}-0`}));
		await client.hset(`chat:${chat}:reactions:${chat}-0`, 'up', 1);
	}
	for (let i = 0; i < 600; i++) await client.set(`other:${i}`, 'v');
	cwd = tempDir();
}, 60_000);

afterAll(async () => {
	client?.disconnect();
	await cluster?.stop();
});

const cli = (...args: string[]) => runCli([...args, '--redis-url', cluster.url, '--audit-log', path.join(cwd, 'audit.log')], {cwd});

async function dbsizes(): Promise<number[]> {
	return Promise.all(cluster.ports.map(async port => {
		const node = new Redis(port);
		try {
			return await node.dbsize();
		} finally {
			node.disconnect();
		}
	}));
}

describe('on a 3-master cluster', () => {
	it('stats: the exact seeded totals', async () => {
		const r = await cli('stats', '--json');
		expect(r.code).toBe(0);
		expect(JSON.parse(r.stdout)).toMatchObject({chatsCached: 30, messagesCached: 465, pinnedCaches: 10, reactionCaches: 30, largest: {chat: 'K30', messages: 30}, masters: 3});
		const text = await cli('stats');
		expect(text.stdout).toMatch(/messages cached\s+465/);
		expect(text.stdout).toContain('on 3 masters');
	});

	it('keys: the count equals the sum of DBSIZE over the masters', async () => {
		const sizes = await dbsizes();
		expect(sizes.every(n => n > 0)).toBe(true);
		const r = await cli('keys', '--json');
		const doc = JSON.parse(r.stdout) as {keys: string[]; count: number; dbsize: number; masters: number};
		expect(doc.count).toBe(sizes.reduce((a, b) => a + b, 0));
		expect(new Set(doc.keys).size).toBe(doc.count);
		expect(doc).toMatchObject({dbsize: doc.count, masters: 3});
	});

	it('inspect and chat show read each key from the node that owns it', async () => {
		for (const chat of ['K7', 'K12', 'K30']) {
			const r = await cli('inspect', `chat:${chat}:messages`, '--json');
			expect(r.code).toBe(0);
			expect((JSON.parse(r.stdout) as {total: number}).total).toBe(Number(chat.slice(1)));
		}
		const show = await cli('chat', 'show', 'K12', '--reactions');
		expect(show.stdout).toMatch(/messages\s+12/);
		expect(show.stdout).toMatch(/pinned\s+1/);
		expect(show.stdout).toContain('K12-0  up 1');
	});

	it('chat show --clear --yes deletes keys spread over several nodes', async () => {
		const r = await cli('chat', 'show', 'K9', '--clear', '--yes');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('3 keys deleted');
		expect(await client.exists('chat:K9:messages')).toBe(0);
		expect(await client.exists('chat:K9:pinned')).toBe(0);
		expect(await client.exists('chat:K10:messages')).toBe(1);
	});
});
