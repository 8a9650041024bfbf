// RawPipe, the Monitor's bare pipeline connection, against a private redis-server: the replies
// ioredis would give, ACL credentials and a database, a wrong password, a killed server and a
// stalled link (one timeout for the whole pipeline, then a fresh connection).
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {encodeCommand, RawPipe, type PipeTarget} from '../../../source/backends/redis/pipe.js';
import {RedisBackend} from '../../../source/backends/redis/client.js';
import {ownClientIds} from '../../../source/backends/redis/own-clients.js';
import {startRedis, type RedisServerHandle} from '../../helpers/redis-server.js';
import {startProxy, type TcpProxy} from '../../helpers/tcp-proxy.js';
import {timed} from '../../helpers/wait.js';

let server: RedisServerHandle;
let admin: Redis;
const pipes: RawPipe[] = [];
const proxies: TcpProxy[] = [];

function pipe(target: PipeTarget, timeoutMs?: number): RawPipe {
	const p = new RawPipe(target, timeoutMs);
	pipes.push(p);
	return p;
}

const run = (p: RawPipe, commands: string[][]) => p.exec(commands.map(encodeCommand).join(''), commands.length);

beforeAll(async () => {
	server = await startRedis();
	admin = new Redis(server.url);
	await admin.call('ACL', 'SETUSER', 'watcher', 'on', '>s3cret pass', '~*', '+@all');
});

afterEach(async () => {
	for (const p of pipes.splice(0)) p.close();
	for (const p of proxies.splice(0)) await p.close();
});

afterAll(async () => {
	admin.disconnect();
	await server.stop();
});

describe('RawPipe', () => {
	it('answers a pipeline as ioredis does: counts, TTLs, types, errors, bulk strings, arrays, nulls', async () => {
		await admin.select(3);
		await admin.zadd('chat:A:messages', 1, 'a', 2, 'b', 3, 'c');
		await admin.pexpire('chat:A:messages', 60_000);
		await admin.set('greeting', 'héllo\r\nworld');
		await admin.rpush('list', 'x', 'y');
		const p = pipe({host: '127.0.0.1', port: server.port, db: 3, username: 'watcher', password: 's3cret pass', connectionName: 'opsdeck'});
		const replies = await run(p, [
			['ZCARD', 'chat:A:messages'],
			['PTTL', 'chat:A:messages'],
			['TYPE', 'chat:A:messages'],
			['PTTL', 'missing'],
			['LLEN', 'greeting'],
			['GET', 'greeting'],
			['GET', 'missing'],
			['LRANGE', 'list', '0', '-1'],
			['INCRBY', 'n', '-123456789012345'],
			['INCRBY', 'm', '9007199254740000'],
		]);
		expect(replies[0]).toBe(3);
		expect(replies[1]).toBeGreaterThan(55_000);
		expect(replies.slice(2, 4)).toEqual(['zset', -2]);
		expect(replies[4]).toBeInstanceOf(Error);
		expect((replies[4] as Error).message).toMatch(/^WRONGTYPE/);
		expect(replies.slice(5)).toEqual(['héllo\r\nworld', null, ['x', 'y'], -123456789012345, 9007199254740000]);
		// it authenticated as that user, in that database, under the name ioredis would give it
		const list = String(await admin.call('CLIENT', 'LIST'));
		expect(list).toMatch(/name=opsdeck .*db=3 .*user=watcher/);
		await admin.select(0);
	});

	it('splits nothing: 20,000 replies arriving in many chunks come back complete and in order', async () => {
		const keys = Array.from({length: 10_000}, (_, i) => `k${i}`);
		for (let i = 0; i < keys.length; i += 1000) {
			const m = admin.multi();
			for (const key of keys.slice(i, i + 1000)) m.rpush(key, ...Array.from({length: Number(key.slice(1)) % 7 + 1}, () => 'v'));
			await m.exec();
		}
		const p = pipe({port: server.port});
		const replies = await run(p, keys.flatMap(key => [['LLEN', key], ['PTTL', key]]));
		expect(replies).toHaveLength(20_000);
		expect(replies.filter((_, i) => i % 2 === 0)).toEqual(keys.map(key => (Number(key.slice(1)) % 7) + 1));
		expect(replies.filter((_, i) => i % 2 === 1).every(r => r === -1)).toBe(true);
		await admin.flushdb();
	});

	it('says a wrong password once, in one line, and tries again on the next call', async () => {
		const p = pipe({port: server.port, username: 'watcher', password: 'wrong'});
		await expect(run(p, [['PING']])).rejects.toThrow(/^AUTH: WRONGPASS/);
		await expect(run(p, [['PING']])).rejects.toThrow(/^AUTH: WRONGPASS/);
	});

	it('a killed server fails the call at once; once it is back, the next call connects again', async () => {
		const own = await startRedis();
		try {
			const p = pipe({port: own.port});
			expect(await run(p, [['PING']])).toEqual(['PONG']);
			await own.kill();
			const failed = await timed(() => run(p, [['PING']]).catch((error: Error) => error));
			expect(failed.value).toBeInstanceOf(Error);
			expect(failed.ms).toBeLessThan(2000);
			await own.restart();
			expect(await run(p, [['PING']])).toEqual(['PONG']);
		} finally {
			await own.stop();
		}
	});

	it('a stalled link: the pipeline fails after its one timeout, and works again once the link does', async () => {
		const proxy = await startProxy({targetPort: server.port});
		proxies.push(proxy);
		const p = pipe({port: proxy.port}, 400);
		expect(await run(p, [['PING']])).toEqual(['PONG']);
		proxy.stall('responses');
		const failed = await timed(() => run(p, [['PING'], ['PING']]).catch((error: Error) => error));
		expect((failed.value as Error).message).toBe('no answer within 400 ms');
		expect(failed.ms).toBeGreaterThanOrEqual(350);
		proxy.resume();
		expect(await run(p, [['PING'], ['ECHO', 'back']])).toEqual(['PONG', 'back']);
	});

	it('RedisBackend keeps one pipe per server and closes it with the backend', async () => {
		const backend = new RedisBackend(server.url);
		await backend.ready();
		const [master] = backend.masters();
		const p = backend.pipeFor(master!);
		expect(backend.pipeFor(master!)).toBe(p);
		expect(await run(p, [['PING']])).toEqual(['PONG']);
		await backend.close();
		await expect(run(p, [['PING']])).rejects.toThrow('closed');
	});
});

// The client list marks our connections by CLIENT ID, not by the name opsdeck (hostile tester):
// a pipe registers its id when it connects and leaves when it drops
describe('own client ids', () => {
	it('a connected pipe registers its CLIENT ID under its server; closed, it is gone', async () => {
		const p = pipe({port: server.port, connectionName: 'opsdeck'});
		const [id] = await run(p, [['CLIENT', 'ID']]);
		const key = `127.0.0.1:${server.port}`;
		expect(ownClientIds(key).has(id as number)).toBe(true);
		p.close();
		expect(ownClientIds(key).has(id as number)).toBe(false);
	});
});
