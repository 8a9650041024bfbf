// issue 14, point 3: binary keys keep their identity in `opsdeck keys` (text and JSON) and
// `opsdeck inspect` (the built CLI, no TTY). Three neighbours: `bin:\xff` (one byte that is not
// UTF-8), `bin:\xef\xbf\xbd` (U+FFFD: the same text once decoded) and `bin:\xff` spelled with a
// real backslash (the same text once shown).
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/chat-fixtures.js';

let server: RedisServerHandle;
let direct: Redis;
let cwd: string;

const ff = Buffer.from('bin:\xff', 'latin1');
const fffd = Buffer.from('bin:\ufffd', 'utf8');
const backslash = Buffer.from('bin:\\xff', 'utf8');

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	await direct.set(ff, 'the ff key');
	await direct.hset(fffd, 'field', 'the fffd key');
	await direct.rpush(backslash, 'the backslash key');
	cwd = tempDir();
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

const cli = (...args: string[]) => runCli([...args, '--redis-url', server.url, '--audit-log', path.join(cwd, 'audit.log')], {cwd});

describe('opsdeck keys with keys that are not UTF-8 (issue 14, point 3)', () => {
	it('prints three distinct lines: the byte as \\xff, a real backslash doubled', async () => {
		const r = await cli('keys', 'bin:*');
		expect(r.code).toBe(0);
		const lines = r.stdout.trim().split('\n').sort();
		expect(lines).toEqual(['bin:\\\\xff', 'bin:\\xff', 'bin:\\ufffd'].sort());
	});

	it('--json names a key that is not UTF-8 by its exact bytes (keyHex) beside its shown name', async () => {
		const r = await cli('keys', 'bin:*', '--json');
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout) as {keys: (string | {key: string; keyHex: string})[]; count: number};
		expect(doc.count).toBe(3);
		const hexes = doc.keys.map(k => (typeof k === 'string' ? Buffer.from(k, 'utf8') : Buffer.from(k.keyHex, 'hex')).toString('hex')).sort();
		expect(hexes).toEqual([ff, fffd, backslash].map(b => b.toString('hex')).sort());
		expect(doc.keys).toContainEqual({key: 'bin:\\xff', keyHex: ff.toString('hex')});
		expect(doc.keys).toContain('bin:\ufffd');
		expect(doc.keys).toContain('bin:\\xff');
	});
});

describe('opsdeck inspect names each of them (issue 14, point 3)', () => {
	it('reads \\xHH as a byte and \\\\ as a backslash: each name reaches its own key', async () => {
		const a = await cli('inspect', 'bin:\\xff');
		expect(a.code).toBe(0);
		expect(a.stdout).toMatch(/^key\s+bin:\\xff$/m);
		expect(a.stdout).toMatch(/^type\s+string$/m);
		expect(a.stdout).toContain('the ff key');

		const b = await cli('inspect', 'bin:\\ufffd');
		expect(b.stdout).toMatch(/^type\s+hash$/m);
		expect(b.stdout).toContain('field = the fffd key');

		const c = await cli('inspect', 'bin:\\\\xff');
		expect(c.stdout).toMatch(/^key\s+bin:\\\\xff$/m);
		expect(c.stdout).toMatch(/^type\s+list$/m);
		expect(c.stdout).toContain('the backslash key');
	});

	it('every line `keys` prints can be inspected, and reaches a different key', async () => {
		const lines = (await cli('keys', 'bin:*')).stdout.trim().split('\n');
		const types = new Set<string>();
		for (const line of lines) {
			const r = await cli('inspect', line);
			expect(r.code, r.stderr).toBe(0);
			types.add(/^type\s+(\w+)$/m.exec(r.stdout)?.[1] ?? '?');
		}
		expect([...types].sort()).toEqual(['hash', 'list', 'string']);
	});

	it('--json gives the shown name and the exact bytes of a key that is not UTF-8', async () => {
		const r = await cli('inspect', 'bin:\\xff', '--json');
		const doc = JSON.parse(r.stdout) as {key: string; keyHex?: string; type: string};
		expect(doc).toMatchObject({key: 'bin:\\xff', keyHex: ff.toString('hex'), type: 'string'});
		const plain = JSON.parse((await cli('inspect', 'bin:\\\\xff', '--json')).stdout) as {key: string; keyHex?: string; type: string};
		expect(plain).toMatchObject({key: 'bin:\\xff', type: 'list'});
		expect(plain.keyHex).toBeUndefined();
	});
});

describe('opsdeck chat list with chat codes that are not UTF-8 (issue 14, point 3)', () => {
	it('lists the \\xff chat and the U+FFFD chat as two chats, each with its own count', async () => {
		await direct.zadd(Buffer.from('chat:\xff:messages', 'latin1'), 1, JSON.stringify({id: 'a'}));
		await direct.zadd(Buffer.from('chat:\ufffd:messages', 'utf8'), 1, JSON.stringify({id: 'b'}), 2, JSON.stringify({id: 'c'}));
		const r = await cli('chat', 'list');
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/^\\xff\s+1\s/m);
		expect(r.stdout).toMatch(/^\\ufffd\s+2\s/m);
	});
});

// Found by the hostile tester: `chat show $'\xff' --clear --yes` reached Node as U+FFFD and cleared
// the U+FFFD chat; `chat show '\xff'` cleared the chat spelled with a real backslash, while
// `keys` shows that one as `\\xff`. One spelling everywhere, and a raw U+FFFD refused.
describe('chat show CODE takes the form keys prints, and refuses a raw U+FFFD', () => {
	const chatFf = Buffer.from('chat:\xff:messages', 'latin1');
	const chatFffd = Buffer.from('chat:\ufffd:messages', 'utf8');
	const chatBackslash = Buffer.from('chat:\\xff:messages', 'utf8');
	const seed = async () => {
		await direct.zadd(chatFf, 1, 'a');
		await direct.zadd(chatFffd, 1, 'b');
		await direct.zadd(chatBackslash, 1, 'c');
	};

	it('a raw U+FFFD (what argv makes of a byte that is not UTF-8): exit 2, nothing cleared', async () => {
		await seed();
		const r = await cli('chat', 'show', '\ufffd', '--clear', '--yes');
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/^opsdeck: .*holds U\+FFFD.*\\xHH/);
		expect([await direct.exists(chatFf), await direct.exists(chatFffd), await direct.exists(chatBackslash)]).toEqual([1, 1, 1]);
	});

	it('\\xff clears the byte chat only; \\\\xff the backslash one only', async () => {
		await seed();
		expect((await cli('chat', 'show', '\\xff', '--clear', '--yes')).code).toBe(0);
		expect([await direct.exists(chatFf), await direct.exists(chatFffd), await direct.exists(chatBackslash)]).toEqual([0, 1, 1]);
		expect((await cli('chat', 'show', '\\\\xff', '--clear', '--yes')).code).toBe(0);
		expect([await direct.exists(chatFf), await direct.exists(chatFffd), await direct.exists(chatBackslash)]).toEqual([0, 1, 0]);
	});
});
