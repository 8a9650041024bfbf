// The redis-server capability on a private redis-server: rates between two samples (evictions
// under a small maxmemory), the memory scan's stop and continue, lossless key names; and the
// parsers of INFO, SLOWLOG GET and CLIENT LIST replies on their own.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RedisBackend} from '../../source/backends/redis/client.js';
import {keyFromBytes} from '../../source/backends/redis/key-bytes.js';
import {clientFrom} from '../../source/redis-server/clients.js';
import {serverInfoFrom} from '../../source/redis-server/info.js';
import {MemoryScan} from '../../source/redis-server/memory.js';
import {PrefixTree} from '../../source/redis-server/prefix-tree.js';
import {ServerStats} from '../../source/redis-server/server-stats.js';
import {slowlogEntryFrom} from '../../source/redis-server/slowlog.js';
import {memoryText} from '../../source/text/redis-memory-text.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

let server: RedisServerHandle;
let admin: Redis;
let backend: RedisBackend;

beforeAll(async () => {
	server = await startRedis();
	admin = new Redis(server.url);
	backend = new RedisBackend(server.url);
	await backend.ready();
});

afterAll(async () => {
	await backend?.close();
	admin?.disconnect();
	await server?.stop();
});

describe('ServerStats', () => {
	it('evictions and commands as deltas between two samples, not totals since start', async () => {
		const stats = new ServerStats();
		const first = await stats.sample(backend);
		expect(first[0]!.rates).toBeNull();
		const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
		await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
		await admin.config('SET', 'maxmemory', String(used + 512 * 1024));
		try {
			const pipeline = admin.pipeline();
			for (let i = 0; i < 2000; i++) pipeline.set(`fill:${i}`, 'x'.repeat(1024));
			await pipeline.exec();
			const [now] = await stats.sample(backend);
			expect(now!.evictedKeys).toBeGreaterThan(0);
			expect(now!.rates!.evicted).toBe(now!.evictedKeys! - first[0]!.evictedKeys!);
			expect(now!.rates!.evictedPerSec).toBeGreaterThan(0);
			expect(now!.rates!.opsPerSec).toBeGreaterThan(0);
			expect(now!.memoryRatio).toBeGreaterThan(0.9);
			expect(now!.maxMemoryPolicy).toBe('allkeys-lru');
			// no evictions since: the next delta is 0, whatever the total
			const [after] = await stats.sample(backend);
			expect(after!.rates!.evicted).toBe(0);
		} finally {
			await admin.config('SET', 'maxmemory', '0');
			await admin.flushall();
		}
	});
});

describe('MemoryScan', () => {
	it('stops and continues to the same totals; a key that is not UTF-8 keeps its bytes', async () => {
		const pipeline = admin.pipeline();
		for (let i = 0; i < 3000; i++) pipeline.set(`a:${i % 3}:${i}`, 'v'.repeat(i % 50));
		pipeline.set(Buffer.from('bin:\xff\x1b', 'latin1'), 'x'.repeat(5000));
		await pipeline.exec();
		const whole = await new MemoryScan(backend, {count: 100}).run();
		expect(whole.progress).toMatchObject({done: true, scanned: 3001, total: 3001});
		const paused = new MemoryScan(backend, {count: 100});
		let stops = 0;
		const partial = await paused.run({onProgress: () => (stops++ === 0 ? paused.stop() : undefined)});
		expect(partial.progress.done).toBe(false);
		expect(partial.keys).toBeGreaterThan(0);
		expect(partial.keys).toBeLessThan(3001);
		const resumed = await paused.run();
		expect(resumed.keys).toBe(3001);
		expect(resumed.bytes).toBe(whole.bytes);
		expect(resumed.tree.children.map(c => [c.prefix, c.keys])).toEqual(whole.tree.children.map(c => [c.prefix, c.keys]));
		const binary = keyFromBytes(Buffer.from('bin:\xff\x1b', 'latin1'));
		expect(whole.biggestByMemory[0]).toMatchObject({key: binary, type: 'string', elements: 5000});
		expect(memoryText(whole, 3)).toContain('string  bin:\\xff\\x1b');
		await admin.flushall();
	});
});

describe('parsers', () => {
	it('INFO: each replica with its lag in bytes and seconds', () => {
		const info = serverInfoFrom('m:6379', 'role:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.2,port=6380,state=online,offset=900,lag=2\r\nmaster_repl_offset:1000\r\nmaxmemory:0\r\n');
		expect(info.replicas).toEqual([{address: '10.0.0.2:6380', state: 'online', lagBytes: 100, lagSeconds: 2}]);
		expect(info.maxMemoryBytes).toBeNull();
	});

	it('SLOWLOG GET: an argument Redis cut keeps its full size; the arguments Redis left out are counted', () => {
		const cut = Buffer.concat([Buffer.alloc(128, 'a'), Buffer.from('... (372 more bytes)')]);
		const args = [Buffer.from('rpush'), cut, ...Array.from({length: 29}, () => Buffer.from('x')), Buffer.from('... (70 more arguments)')];
		const entry = slowlogEntryFrom('s', [7, 1700000000, 1500, args, Buffer.from('1.2.3.4:5'), Buffer.from('app')]);
		expect(entry.args[1]).toEqual({text: 'a'.repeat(128), bytes: 500, cut: true});
		expect(entry.args).toHaveLength(31);
		expect(entry.moreArgs).toBe(70);
		expect(entry).toMatchObject({id: 7, durationMicros: 1500, client: '1.2.3.4:5', clientName: 'app'});
	});

	it('CLIENT LIST: opsdeck\'s own connections are marked', () => {
		const line = 'id=5 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=8 name=opsdeck age=10 idle=3 flags=N db=2 cmd=scan tot-mem=22400 user=default';
		expect(clientFrom('s', line, new Set([5]))).toMatchObject({id: 5, name: 'opsdeck', db: 2, ageSeconds: 10, idleSeconds: 3, cmd: 'scan', memoryBytes: 22400, opsdeck: true});
		expect(clientFrom('s', line.replace('name=opsdeck', 'name=worker'), new Set([5])).opsdeck).toBe(true);
		// the name proves nothing: a client that calls itself opsdeck is not ours unless its id is
		expect(clientFrom('s', line).opsdeck).toBe(false);
		expect(clientFrom('s', line, new Set([6])).opsdeck).toBe(false);
	});

	it('the prefix tree keeps every sum exact past its bound on prefixes', () => {
		const tree = new PrefixTree(2, 3);
		for (let i = 0; i < 10; i++) tree.add(`chat:${i}:messages`, 10);
		tree.add('plain', 5);
		const view = tree.view();
		expect(view).toMatchObject({keys: 11, bytes: 105, rest: {keys: 1, bytes: 5}});
		const chat = view.children[0]!;
		expect(chat).toMatchObject({prefix: 'chat:', keys: 10, bytes: 100});
		// root + chat: + one chat:N: = the bound of 3: the other nine are summed in chat:, not kept
		expect(chat.children).toHaveLength(1);
		expect(chat.unkept).toEqual({keys: 9, bytes: 90});
	});
});
