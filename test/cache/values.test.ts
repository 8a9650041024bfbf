import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {isCut, readMember} from '../../source/cache/member.js';
import {previewLimits, readValue, scoreAsDate, shownBytes} from '../../source/cache/values.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {testBackends} from '../helpers/chat-fixtures.js';

let server: RedisServerHandle;
let direct: Redis;
let backends: Backends;

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	backends = testBackends(server.url);
	await backends.redis.ready();
});

afterAll(async () => {
	await closeBackends(backends);
	direct.disconnect();
	await server.stop();
});

describe('readValue', () => {
	it('shows a JSON string pretty-printed', async () => {
		await direct.set('json', '{"a":1,"b":[true,null]}');
		const v = await readValue(backends.redis, 'json');
		expect(v.type).toBe('string');
		expect(v.string?.json).toBe('{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}');
		expect(v.partial).toBe(false);
	});

	it('shows a binary string as hex', async () => {
		await direct.set('bin', Buffer.from([0x00, 0xff, 0x10, 0x80, 0x01]));
		const v = await readValue(backends.redis, 'bin');
		expect(v.string).toMatchObject({binary: true, text: '\\x00\\xff\\x10\\x80\\x01', bytes: 5});
	});

	it('reads only the first 64 KB of a big string', async () => {
		await direct.set('big', 'x'.repeat(1_000_000));
		const v = await readValue(backends.redis, 'big');
		expect(v.total).toBe(1_000_000);
		expect(v.partial).toBe(true);
		expect(v.string!.text.length).toBe(64 * 1024);
	});

	it('shows a hash, a list, a set', async () => {
		await direct.hset('h', 'f1', 'v1', 'f2', 'v2');
		await direct.rpush('l', 'a', 'b', 'c');
		await direct.sadd('s', 'x', 'y');
		const h = await readValue(backends.redis, 'h');
		expect(h).toMatchObject({type: 'hash', total: 2, partial: false});
		expect(h.items.map(i => `${i.field!.text}=${i.value.text}`).sort()).toEqual(['f1=v1', 'f2=v2']);
		const l = await readValue(backends.redis, 'l');
		expect(l.items.map(i => [i.index, i.value.text])).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
		const s = await readValue(backends.redis, 's');
		expect(s.items.map(i => i.value.text).sort()).toEqual(['x', 'y']);
	});

	it('shows a sorted set with scores, epoch-ms scores also as dates', async () => {
		await direct.zadd('z', 1_764_000_000_000, 'm1', 3, 'small');
		const z = await readValue(backends.redis, 'z');
		expect(z.type).toBe('zset');
		expect(z.items.map(i => [i.value.text, i.score, i.scoreDate])).toEqual([['small', 3, undefined], ['m1', 1_764_000_000_000, '2025-11-24 16:00:00Z']]);
		expect(scoreAsDate(42)).toBeUndefined();
	});

	it('shows a stream, paged by entry id', async () => {
		for (let i = 0; i < 5; i++) await direct.xadd('st', `${i + 1}-0`, 'n', String(i));
		const first = await readValue(backends.redis, 'st', {limit: 2});
		expect(first).toMatchObject({type: 'stream', total: 5, partial: true, next: '3-0'});
		expect(first.items.map(i => [i.id, i.value.text])).toEqual([['1-0', 'n=0'], ['2-0', 'n=1']]);
		const second = await readValue(backends.redis, 'st', {limit: 2, from: first.next});
		expect(second.items.map(i => i.id)).toEqual(['3-0', '4-0']);
	});

	it('pages a list and a sorted set by offset', async () => {
		await direct.rpush('long', ...Array.from({length: 250}, (_, i) => `i${i}`));
		const first = await readValue(backends.redis, 'long');
		expect(first).toMatchObject({total: 250, partial: true, next: '100'});
		expect(first.items).toHaveLength(100);
		const third = await readValue(backends.redis, 'long', {from: '200'});
		expect(third.items.map(i => i.value.text).at(-1)).toBe('i249');
		expect(third.next).toBeUndefined();
	});

	it('a 10 MB hash is a bounded preview with its exact total, never loaded whole', async () => {
		// 2,500 fields of 4 KB: 10 MB in Redis
		const value = 'v'.repeat(4096);
		for (let block = 0; block < 5; block++) {
			const args: string[] = [];
			for (let i = block * 500; i < (block + 1) * 500; i++) args.push(`field${i}`, value);
			await direct.hset('hash10mb', ...args);
		}
		const before = Number(/total_net_output_bytes:(\d+)/.exec(await direct.info('stats'))![1]);
		const v = await readValue(backends.redis, 'hash10mb');
		const after = Number(/total_net_output_bytes:(\d+)/.exec(await direct.info('stats'))![1]);
		expect(v.total).toBe(2500);
		expect(v.partial).toBe(true);
		expect(v.items.length).toBeGreaterThan(0);
		expect(v.items.length).toBeLessThanOrEqual(100);
		const shownBytes = v.items.reduce((sum, i) => sum + i.value.text.length + i.field!.text.length, 0);
		expect(shownBytes).toBeLessThanOrEqual(64 * 1024 + 64 * 2);
		// what the server sent for the preview is well under 1 MB (the hash is 10 MB)
		expect(after - before).toBeLessThan(1_000_000);
	});

	it('a key that is gone reads as none', async () => {
		expect(await readValue(backends.redis, 'nothing-here')).toMatchObject({type: 'none', total: 0, items: []});
	});
	// issue 16, point 5: set members came in SSCAN (hash table) order
	it('shows a set sorted bytewise, paged by offset; a set too big to read whole page by page, each page sorted', async () => {
		await direct.sadd('sorted', 'b', 'a', 'B', 'c10', 'c9', Buffer.from([0xff]), Buffer.from([0x00, 0x41]), 'é');
		const v = await readValue(backends.redis, 'sorted');
		// bytewise: 0x00 first, uppercase before lowercase, c10 before c9, é (0xc3 0xa9) before 0xff
		expect(v.items.map(i => shownBytes(i.value).toString('latin1'))).toEqual(['\x00A', 'B', 'a', 'b', 'c10', 'c9', Buffer.from('é').toString('latin1'), '\xff']);
		expect(v).toMatchObject({total: 8, partial: false, next: undefined});
		const paged = await readValue(backends.redis, 'sorted', {limit: 3, from: '3'});
		expect(paged.items.map(i => i.value.text)).toEqual(['b', 'c10', 'c9']);
		expect(paged).toMatchObject({partial: true, next: '6'});

		const members = Array.from({length: previewLimits.sortedSet + 500}, (_, i) => `m${(i * 7919) % 100_000}`);
		for (let i = 0; i < members.length; i += 1000) await direct.sadd('bigset', ...members.slice(i, i + 1000));
		const big = await readValue(backends.redis, 'bigset');
		expect(big.total).toBe(members.length);
		const texts = big.items.map(i => i.value.text);
		expect(texts).toHaveLength(100);
		expect(texts).toEqual([...texts].sort());
		expect(big.next).toMatch(/^\d+$/);
	});

	// issue 16, point 5: a member the preview cut is read again whole, and only that member
	it('reads a member the preview cut again whole: list item, sorted-set member, hash field, set member, stream entry', async () => {
		const big = (c: string) => c.repeat(100_000);
		await direct.rpush('cutlist', 'small', big('L'));
		await direct.zadd('cutz', 5, big('Z'), 5, big('Y'), 1, 'one');
		await direct.hset('cuth', 'small', 'v', 'big', big('H'));
		await direct.sadd('cuts', big('S'), big('T'));
		await direct.xadd('cutx', '1-0', 'f', big('X'));
		for (const [key, letter] of [['cutlist', 'L'], ['cutz', 'Y'], ['cuth', 'H'], ['cuts', 'S'], ['cutx', 'X']] as const) {
			const v = await readValue(backends.redis, key);
			const item = v.items.find(i => i.value.text.startsWith(letter) || i.fields?.[0]?.[1].text.startsWith(letter))!;
			expect(isCut(item), key).toBe(true);
			const whole = (await readMember(backends.redis, key, v.type, item))!;
			const piece = v.type === 'stream' ? whole.fields![0]![1] : whole.value;
			expect(piece, key).toMatchObject({text: big(letter), truncated: false, bytes: 100_000});
		}
		// cut at the limit asked for, the size still whole
		const v = await readValue(backends.redis, 'cutlist');
		expect((await readMember(backends.redis, 'cutlist', 'list', v.items[1]!, 1000))!.value).toMatchObject({text: 'L'.repeat(1000), truncated: true, bytes: 100_000});
		// the list moved under the preview: not some other item shown in its place
		await direct.lpush('cutlist', 'pushed');
		expect(await readMember(backends.redis, 'cutlist', 'list', v.items[1]!)).toBeUndefined();
	});
});
