// The SCAN iterator against a private redis-server: every key once, MATCH/TYPE, the SCAN sent
// ahead, abort, an error mid-scan. On a cluster: cluster.test.ts.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RedisBackend} from '../../../source/backends/redis/client.js';
import {keyFromBytes} from '../../../source/backends/redis/key-bytes.js';
import {scanKeys, type KeyScan} from '../../../source/backends/redis/scan.js';
import {startRedis, type RedisServerHandle} from '../../helpers/redis-server.js';

async function collect(scan: KeyScan): Promise<{keys: string[]; batches: number}> {
	const keys: string[] = [];
	let batches = 0;
	for await (const batch of scan) {
		batches++;
		keys.push(...batch);
	}
	return {keys, batches};
}

async function scanCalls(admin: Redis): Promise<number> {
	return Number(/cmdstat_scan:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
}

describe('scanKeys on one server', () => {
	let server: RedisServerHandle;
	let admin: Redis;
	let backend: RedisBackend;
	// 3,000 strings, 1,000 hashes, and one key that is not UTF-8
	const binary = Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0x01]);
	const expected: string[] = [];

	beforeAll(async () => {
		server = await startRedis();
		admin = new Redis(server.url);
		const p = admin.pipeline();
		for (let i = 0; i < 3000; i++) p.set(`s:${i}`, 'v');
		for (let i = 0; i < 1000; i++) p.hset(`h:${i}`, 'f', 'v');
		p.set(binary, 'raw');
		await p.exec();
		for (let i = 0; i < 3000; i++) expected.push(`s:${i}`);
		for (let i = 0; i < 1000; i++) expected.push(`h:${i}`);
		expected.push(keyFromBytes(binary));
		backend = new RedisBackend(server.url);
		await backend.ready();
	}, 30_000);

	afterAll(async () => {
		await backend?.close();
		admin?.disconnect();
		await server?.stop();
	});

	it('yields every key once, in batches, the one that is not UTF-8 with its bytes kept', async () => {
		const scan = scanKeys(backend, {count: 200});
		const {keys, batches} = await collect(scan);
		expect(keys.sort()).toEqual([...expected].sort());
		expect(batches).toBeGreaterThan(5);
		expect(scan.done).toBe(true);
		expect(scan.cursors).toEqual([{cursor: '0', done: true, returned: expected.length}]);
	});

	it('MATCH and TYPE filter on the server', async () => {
		expect((await collect(scanKeys(backend, {pattern: 'h:1*', count: 500}))).keys.sort()).toEqual(expected.filter(k => k.startsWith('h:1')).sort());
		expect((await collect(scanKeys(backend, {type: 'hash', count: 500}))).keys).toHaveLength(1000);
		expect((await collect(scanKeys(backend, {pattern: 's:*', type: 'hash'}))).keys).toEqual([]);
	});

	it('sends the next SCAN before the batch is handled (one call ahead), not with readAhead off', async () => {
		for (const readAhead of [true, false]) {
			const before = await scanCalls(admin);
			const scan = scanKeys(backend, {count: 100, readAhead});
			await scan.next();
			// the call ahead is in flight or answered by now; nothing else is sent while we wait
			await new Promise(resolve => setTimeout(resolve, 50));
			expect(await scanCalls(admin)).toBe(before + (readAhead ? 2 : 1));
			await scan.return();
		}
	});

	it('an abort stops it: the next batch rejects with the reason and no SCAN follows', async () => {
		const controller = new AbortController();
		const scan = scanKeys(backend, {count: 100, signal: controller.signal});
		expect((await scan.next()).done).toBe(false);
		controller.abort();
		// (the call sent ahead with the first batch has reached the server by now)
		await new Promise(resolve => setTimeout(resolve, 50));
		const calls = await scanCalls(admin);
		await expect(scan.next()).rejects.toThrow(/aborted/);
		expect(await scan.next()).toEqual({done: true, value: undefined});
		await new Promise(resolve => setTimeout(resolve, 50));
		expect(await scanCalls(admin)).toBe(calls);
		expect(scan.done).toBe(false);
	});

	it('an error in the middle of a scan surfaces from next() and ends it', async () => {
		const scan = scanKeys(backend, {count: 100});
		expect((await scan.next()).done).toBe(false);
		// SCAN refused from now on (the call sent ahead may still have gone through)
		await admin.call('ACL', 'SETUSER', 'default', '-scan');
		try {
			let error: unknown;
			try {
				for (;;) if ((await scan.next()).done) break;
			} catch (caught) {
				error = caught;
			}
			expect(String(error)).toMatch(/NOPERM/);
			expect(await scan.next()).toEqual({done: true, value: undefined});
		} finally {
			await admin.call('ACL', 'SETUSER', 'default', '+scan');
		}
	});
});
