import {Redis} from 'ioredis';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {RedisBackend} from '../../source/backends/redis/client.js';
import {loadConfig} from '../../source/config/config.js';
import {CounterMonitor, defaultWatches, isNewKey, isPattern, newKeyHoldMs, type CounterTick} from '../../source/monitor/counters.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {startProxy} from '../helpers/tcp-proxy.js';
import {waitFor} from '../helpers/wait.js';

let server: RedisServerHandle;
let backend: RedisBackend;
let writer: Redis;

beforeAll(async () => {
	server = await startRedis();
	backend = new RedisBackend(server.url);
	await backend.ready();
	writer = new Redis(server.url);
});

afterAll(async () => {
	writer.disconnect();
	await backend.close();
	await server.stop();
});

beforeEach(async () => {
	await writer.flushdb();
});

const row = (tick: CounterTick, key: string) => tick.keys.find(k => k.key === key);

describe('counters', () => {
	it('defaults to every chat messages key of the layout', () => {
		const config = loadConfig({env: {}, cwd: '/nonexistent'});
		expect(defaultWatches(config)).toEqual(['chat:*:messages']);
		expect(defaultWatches({...config, watches: ['a', 'b:*']})).toEqual(['a', 'b:*']);
		expect(isPattern('chat:*:messages')).toBe(true);
		expect(isPattern('chat:\\*:messages')).toBe(false);
	});

	it('shows +3 after three adds, -1 after a removal, and the type-fitting count for each type', async () => {
		await writer.zadd('chat:A:messages', 1, 'm1', 2, 'm2');
		await writer.expire('chat:A:messages', 3600);
		await writer.rpush('q', 'a', 'b', 'c', 'd');
		await writer.hset('h', 'x', '1');
		await writer.sadd('s', 'a', 'b');
		await writer.xadd('x', '*', 'f', 'v');
		await writer.set('str', 'hello');
		const monitor = new CounterMonitor({watches: ['chat:*:messages', 'q', 'h', 's', 'x', 'str']});
		const first = await monitor.tick(backend);
		expect(first.first).toBe(true);
		expect(row(first, 'chat:A:messages')).toMatchObject({count: 2, delta: 0, type: 'zset', gone: false, appeared: false});
		expect(row(first, 'chat:A:messages')!.ttlMs).toBeGreaterThan(3_590_000);
		expect(['q', 'h', 's', 'x', 'str'].map(k => row(first, k)!.count)).toEqual([4, 1, 2, 1, 5]);
		expect(row(first, 'h')!.ttlMs).toBe(-1);

		await writer.zadd('chat:A:messages', 3, 'm3', 4, 'm4', 5, 'm5');
		const second = await monitor.tick(backend);
		expect(row(second, 'chat:A:messages')).toMatchObject({count: 5, delta: 3});
		expect(row(second, 'chat:A:messages')!.rate).toBeGreaterThan(0);
		expect(second.totals.delta).toBe(3);

		await writer.zrem('chat:A:messages', 'm1');
		const third = await monitor.tick(backend);
		expect(row(third, 'chat:A:messages')).toMatchObject({count: 4, delta: -1});
		expect(row(third, 'chat:A:messages')!.history).toEqual([2, 5, 4]);
		expect(third.totals.count).toBe(4 + 4 + 1 + 2 + 1 + 5);
	});

	it('says gone when a key with a 1 s TTL expires, and counts it again when it comes back', async () => {
		await writer.zadd('chat:T:messages', 1, 'a', 2, 'b');
		await writer.pexpire('chat:T:messages', 1000);
		const monitor = new CounterMonitor({watches: ['chat:*:messages']});
		const first = await monitor.tick(backend);
		expect(row(first, 'chat:T:messages')).toMatchObject({count: 2, gone: false});
		const goneTick = await waitFor(async () => {
			const tick = await monitor.tick(backend);
			return row(tick, 'chat:T:messages')?.gone ? tick : undefined;
		}, {timeout: 5000, interval: 100});
		expect(row(goneTick, 'chat:T:messages')).toMatchObject({gone: true, wentAway: true, delta: -2, count: undefined});
		expect(goneTick.totals.keys).toBe(0);

		await writer.zadd('chat:T:messages', 1, 'a');
		const back = await monitor.tick(backend);
		expect(row(back, 'chat:T:messages')).toMatchObject({gone: false, appeared: true, count: 1, delta: 1});
	});

	it('finds a new chat under a watched pattern within a few ticks', async () => {
		await writer.zadd('chat:OLD:messages', 1, 'a');
		const monitor = new CounterMonitor({watches: ['chat:*:messages'], resolveEvery: 3});
		await monitor.tick(backend);
		await writer.zadd('chat:NEW:messages', 1, 'a', 2, 'b');
		let ticks = 0;
		const tick = await waitFor(async () => {
			ticks++;
			const t = await monitor.tick(backend);
			return row(t, 'chat:NEW:messages') ? t : undefined;
		}, {timeout: 5000, interval: 250}); // the console's shortest interval
		expect(ticks).toBeLessThanOrEqual(3);
		expect(row(tick, 'chat:NEW:messages')).toMatchObject({count: 2, delta: 2, appeared: true});
	});

	// issue 16, point 4: a new chat showed up to 4 s late (patterns were re-resolved every 5th tick)
	it('finds a new key matching a pattern in the very next tick, and SCANs no more while the keyspace is quiet', async () => {
		await writer.zadd('chat:OLD:messages', 1, 'a');
		await writer.set('unrelated', 'x');
		// never due by count: only a moved DBSIZE makes it SCAN
		const monitor = new CounterMonitor({watches: ['chat:*:messages'], resolveEvery: 1000});
		// ticks an interval apart (SCAN takes at most a tenth of the time: 600 ms leaves a loaded
		// machine's slow 60 ms pass room)
		const tick = async () => {
			await new Promise(resolve => setTimeout(resolve, 600));
			return monitor.tick(backend);
		};
		expect((await monitor.tick(backend)).resolved).toBe(true);
		const quiet = await tick();
		expect(quiet).toMatchObject({resolved: false, roundTrips: 1});
		await writer.zadd('chat:NEW:messages', 1, 'a', 2, 'b');
		const next = await tick();
		expect(next.resolved).toBe(true);
		expect(row(next, 'chat:NEW:messages')).toMatchObject({count: 2, delta: 2, appeared: true, gone: false});
		expect(row(next, 'chat:NEW:messages')!.newSince).toBe(next.at);
		expect(next.totals).toMatchObject({keys: 2, count: 3, delta: 2});
		// a write to a key that exists moves no DBSIZE: no SCAN
		await writer.set('unrelated', 'y');
		await writer.zadd('chat:OLD:messages', 2, 'b');
		const after = await tick();
		expect(after.resolved).toBe(false);
		expect(row(after, 'chat:OLD:messages')).toMatchObject({count: 2, delta: 1});
		// still new (newSince kept) but no longer appearing
		expect(row(after, 'chat:NEW:messages')).toMatchObject({appeared: false, newSince: next.at});
		// a pattern that matched nothing yet: its first key shows in the next tick too
		monitor.setWatches(['chat:*:messages', 'jobs:*']);
		expect(row(await tick(), 'jobs:1')).toBeUndefined();
		await writer.rpush('jobs:1', 'a');
		expect(row(await tick(), 'jobs:1')).toMatchObject({count: 1, appeared: true});
	});

	it('marks new keys by one rule: --plain in the tick they appear, the console for a while', () => {
		const at = 1_000_000;
		expect(isNewKey({newSince: undefined}, at, newKeyHoldMs)).toBe(false);
		expect(isNewKey({newSince: at}, at)).toBe(true);
		expect(isNewKey({newSince: at - 1000}, at)).toBe(false);
		expect(isNewKey({newSince: at - 1000}, at, newKeyHoldMs)).toBe(true);
		expect(isNewKey({newSince: at - newKeyHoldMs - 1}, at, newKeyHoldMs)).toBe(false);
	});

	it('keeps an exact key that does not exist yet and notices it when it is created; WRONGTYPE relearns the type', async () => {
		const monitor = new CounterMonitor({watches: ['later']});
		const first = await monitor.tick(backend);
		expect(row(first, 'later')).toMatchObject({gone: true, count: undefined});
		await writer.rpush('later', 'a', 'b');
		expect(row(await monitor.tick(backend), 'later')).toMatchObject({gone: false, count: 2, delta: 2, appeared: true, type: 'list'});
		await writer.del('later');
		await writer.sadd('later', 'a', 'b', 'c');
		await monitor.tick(backend); // LLEN on a set: WRONGTYPE, type asked again
		const tick = await monitor.tick(backend);
		expect(row(tick, 'later')).toMatchObject({type: 'set', count: 3});
	});

	it('fails the tick (no key marked gone) when the connection drops mid-tick, and counts on when it is back', async () => {
		const proxy = await startProxy({targetPort: server.port});
		const viaProxy = new RedisBackend(`redis://127.0.0.1:${proxy.port}/0`);
		try {
			await viaProxy.ready();
			await writer.zadd('chat:D:messages', 1, 'a');
			const monitor = new CounterMonitor({watches: ['chat:*:messages'], resolveEvery: 100});
			expect(row(await monitor.tick(viaProxy), 'chat:D:messages')).toMatchObject({count: 1});
			proxy.stall('responses');
			const inFlight = monitor.tick(viaProxy);
			await waitFor(() => proxy.heldBytes > 0);
			proxy.cutAll();
			await expect(inFlight).rejects.toThrow();
			proxy.resume();
			await writer.zadd('chat:D:messages', 2, 'b');
			const back = await waitFor(() => monitor.tick(viaProxy), {timeout: 10_000, interval: 100});
			expect(row(back, 'chat:D:messages')).toMatchObject({count: 2, delta: 1, gone: false, appeared: false});
		} finally {
			await viaProxy.close();
			await proxy.close();
		}
	});

	it('drops the keys of a removed watch and resolves an added one at once', async () => {
		await writer.zadd('chat:A:messages', 1, 'a');
		await writer.hset('chat:A:reactions:1', 'x', '1');
		const monitor = new CounterMonitor({watches: ['chat:*:messages']});
		expect((await monitor.tick(backend)).keys.map(k => k.key)).toEqual(['chat:A:messages']);
		monitor.setWatches(['chat:*:reactions:*']);
		const tick = await monitor.tick(backend);
		expect(tick.keys.map(k => k.key)).toEqual(['chat:A:reactions:1']);
		// a watch added later is a baseline, not a change of +count
		expect(row(tick, 'chat:A:reactions:1')).toMatchObject({delta: 0, appeared: false});
	});
});
