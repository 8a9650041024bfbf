import fs from 'node:fs';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {ReadOnlyError} from '../../source/mutations/registry.js';
import {KeyScanner, cursorFraction, deleteKey, keyDetails, scanAll, treeLevel} from '../../source/cache/keys.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {testBackends} from '../helpers/chat-fixtures.js';

let server: RedisServerHandle;
let direct: Redis;
let backends: Backends;

// 100k keys: 60k strings under str:, 20k hashes under h:, 20k lists under l:
async function seed(): Promise<void> {
	for (let block = 0; block < 10; block++) {
		const p = direct.pipeline();
		for (let i = block * 10_000; i < (block + 1) * 10_000; i++) {
			if (i < 60_000) p.set(`str:${i}`, 'v');
			else if (i < 80_000) p.hset(`h:${i}`, 'f', 'v');
			else p.rpush(`l:${i}`, 'a');
		}
		await p.exec();
	}
}

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	await seed();
	backends = testBackends(server.url);
	await backends.redis.ready();
}, 60_000);

afterAll(async () => {
	await closeBackends(backends);
	direct.disconnect();
	await server.stop();
});

describe('KeyScanner on 100k keys', () => {
	it('a pattern returns exactly the expected keys, each once, and progress ends at DBSIZE', async () => {
		const scanner = new KeyScanner(backends.redis, {pattern: 'h:*', count: 1000});
		const progress = await scanner.run();
		expect(scanner.keys.length).toBe(20_000);
		expect(new Set(scanner.keys).size).toBe(20_000);
		expect(scanner.keys.every(k => k.startsWith('h:'))).toBe(true);
		expect(progress).toMatchObject({done: true, scanned: 100_000, total: 100_000, found: 20_000, masters: 1});
	});

	it('a type filter returns exactly the keys of that type', async () => {
		const lists = await scanAll(backends.redis, {type: 'list', count: 1000});
		expect(lists.length).toBe(20_000);
		expect(lists.every(k => k.startsWith('l:'))).toBe(true);
		const none = await scanAll(backends.redis, {pattern: 'str:*', type: 'hash'});
		expect(none).toEqual([]);
	});

	it('keys added during the scan do not break it and no key present throughout is missed', async () => {
		const scanner = new KeyScanner(backends.redis, {count: 500});
		await scanner.step();
		await scanner.step();
		// writes in the middle of the scan (enough to make the hash table grow and rehash)
		const p = direct.pipeline();
		for (let i = 0; i < 30_000; i++) p.set(`late:${i}`, 'v');
		await p.exec();
		await scanner.run();
		const found = new Set(scanner.keys);
		expect(found.size).toBe(scanner.keys.length);
		let missing = 0;
		for (let i = 0; i < 100_000; i++) {
			const key = i < 60_000 ? `str:${i}` : i < 80_000 ? `h:${i}` : `l:${i}`;
			if (!found.has(key)) missing++;
		}
		expect(missing).toBe(0);
		await direct.eval("for _,k in ipairs(redis.call('keys','late:*')) do redis.call('del',k) end", 0);
	});

	it('stops and continues where it was, with progress in between', async () => {
		const scanner = new KeyScanner(backends.redis, {count: 1000});
		const first = await scanner.run({limit: 5000});
		expect(first.done).toBe(false);
		expect(first.found).toBeGreaterThanOrEqual(5000);
		expect(first.scanned).toBeGreaterThan(0);
		expect(first.scanned).toBeLessThan(100_000);
		const last = await scanner.run();
		expect(last.done).toBe(true);
		expect(scanner.keys.length).toBe(100_000);
	});

	it('reads the cursor as a fraction of the table', () => {
		expect(cursorFraction('0')).toBe(0);
		// the top bit reversed: half way
		expect(cursorFraction('1')).toBe(0.5);
		expect(cursorFraction('3')).toBe(0.75);
	});
});

describe('keyDetails and the tree', () => {
	it('gives type, TTL and memory for the keys asked, in one go', async () => {
		await direct.set('detail:s', 'x'.repeat(1000), 'PX', 60_000);
		await direct.zadd('detail:z', 1, 'a');
		const details = await keyDetails(backends.redis, ['detail:s', 'detail:z', 'detail:none']);
		expect(details[0]).toMatchObject({key: 'detail:s', type: 'string'});
		expect(details[0]!.pttl).toBeGreaterThan(50_000);
		expect(details[0]!.bytes).toBeGreaterThan(1000);
		expect(details[1]).toMatchObject({type: 'zset', pttl: -1});
		expect(details[2]).toMatchObject({type: 'none', pttl: -2});
	});

	it('groups keys by the : prefix, groups first', () => {
		const keys = ['chat:A:messages', 'chat:A:pinned', 'chat:B:messages', 'user:1', 'plain', 'chat:C'];
		expect(treeLevel(keys)).toEqual([
			{name: 'chat:', path: 'chat:', isGroup: true, count: 4},
			{name: 'user:', path: 'user:', isGroup: true, count: 1},
			{name: 'plain', path: 'plain', isGroup: false, count: 1},
		]);
		expect(treeLevel(keys, 'chat:').map(n => [n.name, n.count])).toEqual([['A:', 2], ['B:', 1], ['C', 1]]);
	});
});

describe('deleteKey', () => {
	it('deletes through the guard, and read-only mode refuses (audited)', async () => {
		await direct.set('doomed', '1');
		expect(await deleteKey(backends.config, backends.redis, 'doomed')).toBe(true);
		expect(await direct.exists('doomed')).toBe(0);
		await direct.set('kept', '1');
		await expect(deleteKey({...backends.config, readOnly: true}, backends.redis, 'kept')).rejects.toBeInstanceOf(ReadOnlyError);
		expect(await direct.exists('kept')).toBe(1);
		const audit = fs.readFileSync(backends.config.auditLog, 'utf8').trim().split('\n').map(l => JSON.parse(l) as {action: string; result: string});
		expect(audit.map(a => `${a.action}:${a.result}`)).toEqual(['delete-key:started', 'delete-key:ok', 'delete-key:refused']);
	});
});
