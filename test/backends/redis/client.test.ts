// RedisBackend against real redis-servers of its own (never the shared one on 6379): killed,
// restarted, stalled, cut and black-holed.
import net from 'node:net';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {RedisBackend} from '../../../source/backends/redis/client.js';
import {BackendDownError} from '../../../source/backends/status.js';
import {freePort} from '../../helpers/ports.js';
import {type RedisServerHandle, startRedis} from '../../helpers/redis-server.js';
import {type Blackhole, type TcpProxy, startBlackhole, startProxy} from '../../helpers/tcp-proxy.js';
import {sleep, timed, waitFor} from '../../helpers/wait.js';

const fast = {connectTimeoutMs: 1000, commandTimeoutMs: 1000, reconnectCooldownMs: 300} as const;

// Anything that escapes the backend as an unhandled error fails the file.
const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);
const consoleError = vi.spyOn(console, 'error');

let server: RedisServerHandle;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

function track<T extends {close(): Promise<unknown>}>(thing: T): T {
	cleanups.push(() => thing.close());
	return thing;
}

/** A plain ioredis client straight to the private server, for checking what the server saw. */
function admin(port = server.port): Redis {
	const client = new Redis({port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1});
	client.on('error', () => undefined);
	cleanups.push(() => client.disconnect());
	return client;
}

async function opsdeckConnections(client: Redis): Promise<number> {
	const list = (await client.client('LIST')) as string;
	return list.split('\n').filter(line => / name=opsdeck /.test(line)).length;
}

beforeAll(async () => {
	process.on('unhandledRejection', onEscape);
	process.on('uncaughtException', onEscape);
	server = await startRedis();
});

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	// a test that stopped the server leaves it running again for the next one
	if (server.pid === undefined) await server.restart();
	expect(escaped).toEqual([]);
	const unhandled = consoleError.mock.calls.filter(args => args.some(a => String(a).includes('Unhandled error event')));
	expect(unhandled).toEqual([]);
});

afterAll(async () => {
	process.off('unhandledRejection', onEscape);
	process.off('uncaughtException', onEscape);
	await server?.stop();
});

describe('RedisBackend', () => {
	it('connects, reports up and measures PING latency', async () => {
		const backend = track(new RedisBackend(server.url, fast));
		expect(backend.status.state).toBe('connecting');
		await backend.start();
		await backend.ready();
		expect(backend.status.state).toBe('up');
		const ms = await backend.ping();
		expect(typeof ms).toBe('number');
		expect(ms).toBeGreaterThanOrEqual(0);
		expect(ms).toBeLessThan(1000);
		expect(backend.status.latencyMs).toBe(ms);
		expect(backend.status.reconnects).toBe(0);
		expect(await opsdeckConnections(admin())).toBe(1);
	});

	it('a killed server is down within 3 s, commands fail fast, and it comes back by itself', async () => {
		const backend = track(new RedisBackend(server.url, fast));
		await backend.ready();
		const before = backend.status.reconnects;

		await server.kill('SIGKILL');
		const down = await timed(waitFor(() => backend.status.state === 'down', {timeout: 3000}));
		expect(down.ok).toBe(true);

		// not queued: a call while down settles at once with BackendDownError
		const ping = await timed(() => backend.ping());
		expect(ping.ok).toBe(false);
		expect(ping.error).toBeInstanceOf(BackendDownError);
		expect(ping.ms).toBeLessThan(100);
		expect(() => backend.client).toThrow(BackendDownError);
		const raw = await timed(() => backend.rawClient!.get('anything'));
		expect(raw.ok).toBe(false);
		expect(raw.ms).toBeLessThan(100);

		await sleep(300); // a few retries fail while it is still down
		expect(backend.status.state).toBe('down');
		expect(backend.status.lastError).toMatch(/connection refused|connection was reset|closed/);
		expect(backend.status.nextRetryAt).toBeGreaterThan(Date.now() - 1000);

		await server.restart();
		await waitFor(() => backend.status.state === 'up', {timeout: 6000, message: 'back up after restart'});
		expect(backend.status.reconnects).toBe(before + 1);
		expect(await backend.ping()).toBeGreaterThanOrEqual(0);
	});

	it('reconnect() called 5 times at once makes exactly one reconnect', async () => {
		const backend = track(new RedisBackend(server.url, fast));
		await backend.ready();
		const client = admin();
		expect(await opsdeckConnections(client)).toBe(1);
		const before = backend.status.reconnects;

		const results = await Promise.all([1, 2, 3, 4, 5].map(() => backend.reconnect()));
		for (const result of results) expect(result).toMatchObject({ok: true});
		expect(new Set(results).size).toBe(1);
		expect(backend.status.state).toBe('up');
		expect(backend.status.reconnects).toBe(before + 1);
		// the old connection is gone, the new one is the only one
		await waitFor(async () => (await opsdeckConnections(client)) === 1, {timeout: 2000});
		await sleep(200);
		expect(await opsdeckConnections(client)).toBe(1);
		expect(await backend.ping()).toBeGreaterThanOrEqual(0);

		// within the cooldown another call is the same reconnect; after it, a new one
		expect(await backend.reconnect()).toBe(results[0]);
		expect(backend.status.reconnects).toBe(before + 1);
		await sleep(fast.reconnectCooldownMs);
		expect((await backend.reconnect()).ok).toBe(true);
		expect(backend.status.reconnects).toBe(before + 2);
	});

	it('reconnect() while the server is down reports ok:false with the reason', async () => {
		const backend = track(new RedisBackend(server.url, fast));
		await backend.ready();
		await server.kill();
		await waitFor(() => backend.status.state === 'down', {timeout: 3000});

		const result = await timed(() => backend.reconnect());
		expect(result.ok).toBe(true);
		const value = result.value!;
		expect(value.ok).toBe(false);
		if (!value.ok) {
			expect(value.error).toMatch(/connection refused|no connection|down/);
			expect(value.error).not.toContain('undefined');
		}
		expect(result.ms).toBeLessThan(fast.connectTimeoutMs + 500 + 1000);
		expect(backend.status.state).toBe('down');

		await server.restart();
		await waitFor(() => backend.status.state === 'up', {timeout: 6000});
	});

	it('a Redis that accepts TCP and never answers is never up, and ready() gives up on time', async () => {
		const hole: Blackhole = track(await startBlackhole());
		const backend = track(new RedisBackend(`redis://127.0.0.1:${hole.port}/0`, fast));
		await backend.start();
		const ping = await timed(() => backend.ping());
		expect(ping.ok).toBe(false);
		expect(ping.ms).toBeLessThan(fast.commandTimeoutMs * 1.5);

		const ready = await timed(() => backend.ready());
		expect(ready.ok).toBe(false);
		expect(ready.error).toBeInstanceOf(BackendDownError);
		expect(ready.ms).toBeLessThan(fast.connectTimeoutMs * 2);
		expect(hole.accepted).toBeGreaterThanOrEqual(1);
		expect(backend.status.state).not.toBe('up');
	});

	it('a connection that stops answering fails the command within the command timeout', async () => {
		const proxy: TcpProxy = track(await startProxy({targetPort: server.port}));
		const backend = track(new RedisBackend(`redis://127.0.0.1:${proxy.port}/0`, fast));
		await backend.ready();
		expect(await backend.ping()).toBeLessThan(500);

		proxy.stall();
		const ping = await timed(() => backend.ping());
		expect(ping.ok).toBe(false);
		expect(String(ping.error)).toMatch(/timed out/i);
		expect(ping.ms).toBeGreaterThanOrEqual(fast.commandTimeoutMs * 0.9);
		expect(ping.ms).toBeLessThan(fast.commandTimeoutMs * 2);
		expect(backend.status.state).toBe('down');
		expect(backend.status.lastError).toMatch(/timed out/i);

		proxy.resume();
		await waitFor(async () => (await backend.ping()) >= 0, {timeout: 3000});
		expect(backend.status.state).toBe('up');
	});

	it('a closed port gives its first error within the connect timeout', async () => {
		const port = await freePort();
		const backend = track(new RedisBackend(`redis://127.0.0.1:${port}/0`, fast));
		const started = performance.now();
		await backend.start();
		await waitFor(() => backend.status.lastError, {timeout: fast.connectTimeoutMs});
		expect(performance.now() - started).toBeLessThan(fast.connectTimeoutMs);
		expect(backend.status.lastError).toMatch(/connection refused/);
		const ready = await timed(() => backend.ready());
		expect(ready.ok).toBe(false);
		expect(String(ready.error)).toMatch(/connection refused/);
		expect(ready.ms).toBeLessThan(fast.connectTimeoutMs + 1000);
	});

	it('a server that is not Redis (answers HTTP) is never up and does not crash anything', async () => {
		const sockets = new Set<net.Socket>();
		let accepted = 0;
		const http = net.createServer(socket => {
			accepted++;
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.resume(); // read, so the client's FIN is seen
			socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
		});
		await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
		cleanups.push(() => {
			for (const socket of sockets) socket.destroy();
			return new Promise(resolve => http.close(resolve));
		});
		const backend = track(new RedisBackend(`redis://127.0.0.1:${(http.address() as net.AddressInfo).port}/0`, fast));
		await backend.start();
		await waitFor(() => backend.status.lastError, {timeout: fast.connectTimeoutMs});
		const ready = await timed(() => backend.ready());
		expect(ready.ok).toBe(false);
		expect(backend.status.state).not.toBe('up');
		// after close() no more attempts
		await backend.close();
		await sleep(100);
		const attempts = accepted;
		await sleep(500);
		expect(accepted).toBe(attempts);
		await waitFor(() => [...sockets].every(socket => socket.destroyed), {timeout: 2000, message: 'every connection closed'});
	});

	it('a write in flight when the connection drops is not sent again', async () => {
		const proxy: TcpProxy = track(await startProxy({targetPort: server.port}));
		const direct = admin();
		await direct.del('opsdeck:test:counter');
		const backend = track(new RedisBackend(`redis://127.0.0.1:${proxy.port}/0`, fast));
		await backend.ready();

		// INCR reaches the server, its reply is held, then the connection is cut
		proxy.stall('responses');
		const incr = timed(() => backend.client.incr('opsdeck:test:counter'));
		await waitFor(() => proxy.heldBytes > 0, {timeout: 2000});
		expect(await direct.get('opsdeck:test:counter')).toBe('1');
		proxy.cutAll();
		proxy.resume();
		const result = await incr;
		expect(result.ok).toBe(false);

		await waitFor(() => backend.status.state === 'up', {timeout: 6000});
		expect(await backend.ping()).toBeGreaterThanOrEqual(0);
		await sleep(300);
		expect(await direct.get('opsdeck:test:counter')).toBe('1');

		// the same with the request itself held: it never reached the server, and is not sent later
		proxy.stall('requests');
		const held = timed(() => backend.client.incr('opsdeck:test:counter'));
		await waitFor(() => proxy.heldBytes > 0, {timeout: 2000});
		proxy.cutAll();
		proxy.resume();
		expect((await held).ok).toBe(false);
		await waitFor(() => backend.status.state === 'up', {timeout: 6000});
		await sleep(300);
		expect(await direct.get('opsdeck:test:counter')).toBe('1');
	});

	it('close() ends cleanly, up or down', async () => {
		const client = admin();
		const backend = new RedisBackend(server.url, fast);
		await backend.ready();
		expect(await opsdeckConnections(client)).toBe(1);
		const closed = await timed(() => backend.close());
		expect(closed.ok).toBe(true);
		expect(closed.ms).toBeLessThan(1500);
		expect(() => backend.client).toThrow(BackendDownError);
		await waitFor(async () => (await opsdeckConnections(client)) === 0, {timeout: 2000});
		// closing twice is harmless
		await backend.close();

		const orphan = new RedisBackend(server.url, fast);
		await orphan.ready();
		await server.kill();
		const closedDown = await timed(() => orphan.close());
		expect(closedDown.ok).toBe(true);
		expect(closedDown.ms).toBeLessThan(1500);
		// no reconnect attempts go on after close: a server back on the port sees none
		await server.restart();
		await sleep(600);
		expect(await opsdeckConnections(admin())).toBe(0);
		expect(() => orphan.client).toThrow(BackendDownError);
	});
});
