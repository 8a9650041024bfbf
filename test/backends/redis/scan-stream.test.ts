// ScanStream reads SCAN replies as they come off the socket: a reply's head, a key, even a key's
// length can be cut anywhere between two reads. A real redis-server behind a proxy that hands its
// replies over one byte per read must give the same keys as a direct scan.
import net from 'node:net';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ScanStream} from '../../../source/backends/redis/scan-stream.js';
import {startRedis, type RedisServerHandle} from '../../helpers/redis-server.js';

let server: RedisServerHandle;
let direct: Redis;
let dribble: net.Server;
let dribblePort: number;

const keys = [...Array.from({length: 60}, (_, i) => Buffer.from(`k:${i}`)), Buffer.from([0x62, 0xff, 0x0d, 0x0a, 0x24]), Buffer.alloc(0), Buffer.alloc(600, 0x78)];

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	for (const key of keys) await direct.set(key, 'v');
	// the server's bytes to the client one at a time, each in a read of its own
	dribble = net.createServer(client => {
		const upstream = net.connect(server.port, '127.0.0.1');
		client.pipe(upstream);
		const queue: number[] = [];
		let pumping = false;
		const pump = () => {
			const byte = queue.shift();
			if (byte === undefined || client.destroyed) {
				pumping = false;
				return;
			}
			client.write(Buffer.from([byte]));
			setImmediate(pump);
		};
		upstream.on('data', (chunk: Buffer) => {
			for (const byte of chunk) queue.push(byte);
			if (!pumping) {
				pumping = true;
				pump();
			}
		});
		client.on('close', () => upstream.destroy());
		client.on('error', () => upstream.destroy());
		upstream.on('error', () => client.destroy());
	});
	await new Promise<void>(resolve => dribble.listen(0, '127.0.0.1', resolve));
	dribblePort = (dribble.address() as net.AddressInfo).port;
});

afterAll(async () => {
	direct.disconnect();
	dribble.close();
	await server.stop();
});

function stream(found: Buffer[], options: {count?: number; onKey?: () => void} = {}): ScanStream {
	return new ScanStream(
		{host: '127.0.0.1', port: dribblePort, db: 0, connectionName: 'opsdeck'},
		{
			match: '*',
			count: options.count ?? 7,
			connectTimeoutMs: 3000,
			commandTimeoutMs: 20_000,
			onKey(buffer, start, end) {
				found.push(Buffer.from(buffer.subarray(start, end)));
				options.onKey?.();
			},
		},
	);
}

describe('ScanStream, replies cut anywhere', () => {
	it('every key exactly, DBSIZE, and done once the cursor came back to 0', async () => {
		const found: Buffer[] = [];
		const scan = stream(found);
		await scan.scan();
		expect(found.map(k => k.toString('hex')).sort()).toEqual(keys.map(k => k.toString('hex')).sort());
		expect(scan.dbsize).toBe(keys.length);
		expect(scan.returned).toBe(keys.length);
		expect(scan.done).toBe(true);
		expect(scan.lastSent).toBe(true);
	}, 30_000);

	it('stop() ends the scan at once: no key after it', async () => {
		const found: Buffer[] = [];
		const scan: ScanStream = stream(found, {count: 10, onKey: () => found.length === 12 && scan.stop()});
		await scan.scan();
		expect(found).toHaveLength(12);
		expect(scan.done).toBe(false);
	}, 30_000);

	it('the server\'s error (COUNT 0) rejects the scan with its words', async () => {
		const scan = new ScanStream({host: '127.0.0.1', port: server.port}, {match: '*', count: 0, connectTimeoutMs: 3000, commandTimeoutMs: 5000, onKey: () => undefined});
		await expect(scan.scan()).rejects.toThrow(/^ERR syntax error$/);
	});
});
