// issue 14, point 3: binary keys keep their identity. `bin:\xff` (not UTF-8) and `bin:\xef\xbf\xbd`
// (U+FFFD in UTF-8) decode to the same text; they are two keys and every action hits its own.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {keyBytes, keyFromBytes, keyHex, keyText, parseKeyName} from '../../source/backends/redis/key-bytes.js';
import {deleteKey, keyDetails, scanAll, treeLevel} from '../../source/cache/keys.js';
import {readValue} from '../../source/cache/values.js';
import {chatDetail, clearChat, listChats} from '../../source/cache/collections.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {memberJson, message, testBackends} from '../helpers/chat-fixtures.js';

let server: RedisServerHandle;
let direct: Redis;
let backends: Backends;

const ff = Buffer.from('bin:\xff', 'latin1');
const fffd = Buffer.from('bin:\ufffd', 'utf8');
const plain = Buffer.from('bin:plain', 'utf8');
const bytesOf = (key: string) => Buffer.from(keyBytes(key) as string | Buffer);

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

async function seed(): Promise<void> {
	await direct.flushdb();
	await direct.set(ff, 'the ff key');
	await direct.hset(fffd, 'field', 'the fffd key');
	await direct.rpush(plain, 'the plain key');
}

describe('key names keep the bytes (issue 14, point 3)', () => {
	it('round-trips any bytes and shows them unambiguously', () => {
		for (const bytes of [ff, fffd, plain, Buffer.from([0xf0, 0x90, 0x82, 0x80, 0xed, 0xa0, 0x80, 0xc3]), Buffer.from('a\\xff', 'utf8')]) {
			const key = keyFromBytes(bytes);
			expect(bytesOf(key).equals(bytes)).toBe(true);
			expect(parseKeyName(keyText(key)) ?? keyText(key)).toBe(key);
		}
		expect(keyText(keyFromBytes(ff))).toBe('bin:\\xff');
		expect(keyText(keyFromBytes(fffd))).toBe('bin:\\ufffd');
		// a key whose name really is backslash-x-f-f is not shown like the byte
		expect(keyText('a\\xff')).toBe('a\\\\xff');
		expect(keyHex(keyFromBytes(ff))).toBe('62696e3aff');
	});
});

describe('the ops layer on a real Redis (issue 14, point 3)', () => {
	it('lists three distinct keys, each with its own type and value', async () => {
		await seed();
		const keys = await scanAll(backends.redis, {pattern: 'bin:*'});
		expect(keys).toHaveLength(3);
		expect(new Set(keys).size).toBe(3);
		const byBytes = new Map(keys.map(k => [bytesOf(k).toString('hex'), k]));
		expect([...byBytes.keys()].sort()).toEqual([ff, fffd, plain].map(b => b.toString('hex')).sort());

		const details = await keyDetails(backends.redis, keys);
		const typeOf = (b: Buffer) => details.find(d => d.key === byBytes.get(b.toString('hex')))?.type;
		expect(typeOf(ff)).toBe('string');
		expect(typeOf(fffd)).toBe('hash');
		expect(typeOf(plain)).toBe('list');

		const value = await readValue(backends.redis, byBytes.get(ff.toString('hex'))!);
		expect(value.type).toBe('string');
		expect(value.string?.text).toBe('the ff key');

		// the tree keeps them apart too
		const level = treeLevel(keys, 'bin:');
		expect(level.filter(n => !n.isGroup)).toHaveLength(3);
	});

	it('deleting any one of the three deletes exactly it (checked with the Buffer API)', async () => {
		for (const doomed of [ff, fffd, plain]) {
			await seed();
			const keys = await scanAll(backends.redis, {pattern: 'bin:*'});
			const target = keys.find(k => bytesOf(k).equals(doomed));
			expect(target, `no key for ${doomed.toString('hex')}`).toBeDefined();
			expect(await deleteKey(backends.config, backends.redis, target!)).toBe(true);
			for (const b of [ff, fffd, plain]) expect(await direct.exists(b), b.toString('hex')).toBe(b === doomed ? 0 : 1);
		}
		await seed();
		await deleteKey(backends.config, backends.redis, keyFromBytes(ff));
		expect((await direct.hgetBuffer(fffd, 'field'))?.toString()).toBe('the fffd key');
	});

	it('a chat whose code is not UTF-8 is its own chat: detail and clear hit its keys only', async () => {
		await direct.flushdb();
		const chatFf = Buffer.from('chat:\xff:messages', 'latin1');
		const chatFffd = Buffer.from('chat:\ufffd:messages', 'utf8');
		const m = message('x', 1, 'in the ff chat');
		await direct.zadd(chatFf, m.createdAt.getTime(), memberJson(m));
		const a = message('y', 1, 'in the fffd chat');
		const b = message('y', 2, 'also fffd');
		await direct.zadd(chatFffd, a.createdAt.getTime(), memberJson(a), b.createdAt.getTime(), memberJson(b));
		const chats = await listChats(backends);
		expect(chats).toHaveLength(2);
		const ffChat = chats.find(c => keyText(c.chat) === '\\xff')!;
		expect(ffChat.messages).toBe(1);
		const detail = await chatDetail(backends, ffChat.chat);
		expect(detail.messages.map(x => x.content)).toEqual(['in the ff chat']);
		const cleared = await clearChat(backends, ffChat.chat);
		expect(cleared.deleted).toBe(1);
		expect(await direct.exists(chatFf)).toBe(0);
		expect(await direct.zcard(chatFffd)).toBe(2);
	});
});

// Found by the hostile tester: U+00AD (a character) was shown \xad by sanitize, the same as the
// byte 0xad that is not UTF-8: two keys on one line.
describe('a character from U+0080 to U+00FF never looks like a byte', () => {
	it('U+00AD and U+0085 are shown \\u00ad / \\u0085, the bytes 0xad / 0x85 as \\xad / \\x85', () => {
		for (const code of [0xad, 0x85]) {
			const asChar = keyText(`inv:a${String.fromCharCode(code)}b`);
			const asByte = keyText(keyFromBytes(Buffer.from([0x69, 0x6e, 0x76, 0x3a, 0x61, code, 0x62])));
			expect(asByte).toBe(`inv:a\\x${code.toString(16)}b`);
			expect(asChar).toBe(`inv:a\\u00${code.toString(16)}b`);
		}
	});
});
