// A tick over 1,000 watched keys is one pipelined round trip, not one per key: the server receives
// exactly one count command and one PTTL per key and one DBSIZE (INFO commandstats), and behind a link that adds
// 100 ms each way the tick takes about one round trip, not a thousand.
import net from 'node:net';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RedisBackend} from '../../source/backends/redis/client.js';
import {CounterMonitor} from '../../source/monitor/counters.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

/** A TCP proxy that delays every chunk by delayMs in both directions (order kept). */
async function startDelayProxy(targetPort: number, delayMs: number): Promise<{port: number; close: () => Promise<void>}> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		const upstream = net.connect({port: targetPort, host: '127.0.0.1'});
		sockets.add(client).add(upstream);
		const pipe = (from: net.Socket, to: net.Socket) =>
			from.on('data', chunk => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
		pipe(client, upstream);
		pipe(upstream, client);
		const end = () => {
			client.destroy();
			upstream.destroy();
		};
		client.on('close', end).on('error', end);
		upstream.on('close', end).on('error', end);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		close: () => new Promise<void>(resolve => {
			for (const s of sockets) s.destroy();
			server.close(() => resolve());
		}),
	};
}

function commandCalls(info: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2]);
	return out;
}

let server: RedisServerHandle;
let admin: Redis;
const keyCount = 1000;

beforeAll(async () => {
	server = await startRedis();
	admin = new Redis(server.url);
	const seed = admin.pipeline();
	for (let i = 0; i < keyCount; i++) seed.zadd(`chat:C${i}:messages`, 1, 'a', 2, 'b');
	await seed.exec();
});

afterAll(async () => {
	admin.disconnect();
	await server.stop();
});

describe('a tick over 1,000 watched keys', () => {
	it('sends one count and one PTTL per key, one DBSIZE, and nothing else', async () => {
		const backend = new RedisBackend(server.url);
		try {
			await backend.ready();
			const monitor = new CounterMonitor({watches: ['chat:*:messages'], resolveEvery: 100});
			const first = await monitor.tick(backend); // resolves: SCAN + TYPE
			expect(first.keys).toHaveLength(keyCount);
			await admin.config('RESETSTAT');
			const tick = await monitor.tick(backend);
			const calls = commandCalls(await admin.info('commandstats'));
			expect(tick.roundTrips).toBe(1);
			expect(tick.totals.count).toBe(2 * keyCount);
			// RESETSTAT itself (named config|resetstat since Redis 7)
			for (const name of Object.keys(calls)) if (name.startsWith('config')) delete calls[name];
			// DBSIZE rides in the same pipeline: it tells whether a key came or went (then SCAN finds new ones)
			expect(calls).toEqual({zcard: keyCount, pttl: keyCount, dbsize: 1});
		} finally {
			await backend.close();
		}
	});

	it('costs about one round trip on a slow link, not one per key', async () => {
		const delayMs = 100;
		const proxy = await startDelayProxy(server.port, delayMs);
		const backend = new RedisBackend(`redis://127.0.0.1:${proxy.port}/0`);
		try {
			await backend.ready(10_000);
			const monitor = new CounterMonitor({watches: ['chat:*:messages'], resolveEvery: 100});
			await monitor.tick(backend);
			await admin.zadd('chat:C7:messages', 3, 'c');
			const started = performance.now();
			const tick = await monitor.tick(backend);
			const ms = performance.now() - started;
			expect(tick.keys.find(k => k.key === 'chat:C7:messages')).toMatchObject({count: 3, delta: 1});
			// one round trip is 2 × 100 ms; one per key would be 200 s
			expect(ms).toBeGreaterThanOrEqual(2 * delayMs - 5);
			expect(ms).toBeLessThan(6 * delayMs);
		} finally {
			await backend.close();
			await proxy.close();
		}
	});

	it('spends at most a tenth of the time on SCAN when a pattern pass is slow', async () => {
		const proxy = await startDelayProxy(server.port, 100);
		const backend = new RedisBackend(`redis://127.0.0.1:${proxy.port}/0`);
		try {
			await backend.ready(10_000);
			// due every tick, but the first pass (SCAN + TYPE: ≥ 400 ms here) holds the next one off ≥ 4 s
			const monitor = new CounterMonitor({watches: ['chat:*:messages'], resolveEvery: 1});
			const started = Date.now();
			expect((await monitor.tick(backend)).resolved).toBe(true);
			const resolvedMs = Date.now() - started;
			const next = [];
			for (let i = 0; i < 3; i++) next.push((await monitor.tick(backend)).resolved);
			if (Date.now() - started < 10 * resolvedMs) expect(next).toEqual([false, false, false]);
		} finally {
			await backend.close();
			await proxy.close();
		}
	});
});
