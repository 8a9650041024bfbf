// issue 14, point 3: in the Keys tab, `bin:\xff` (a byte that is not UTF-8) and `bin:\xef\xbf\xbd`
// (U+FFFD) are two rows; details, the value, the chat view and `x` each use the highlighted key's
// own bytes. Before, they merged into one row and `x` on it deleted the U+FFFD key.
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {memberJson, message, testBackends} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';

let server: RedisServerHandle;
let direct: Redis;
const open: Backends[] = [];

const ff = Buffer.from('bin:\xff', 'latin1');
const fffd = Buffer.from('bin:\ufffd', 'utf8');
const plain = Buffer.from('bin:plain', 'utf8');

async function seed(): Promise<void> {
	await direct.flushdb();
	await direct.set(ff, 'the ff key');
	await direct.hset(fffd, 'field', 'the fffd key');
	await direct.rpush(plain, 'the plain key');
}

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
});

afterEach(async () => {
	while (open.length > 0) await closeBackends(open.pop()!);
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

function start(): Rendered {
	const backends = testBackends(server.url);
	open.push(backends);
	return render(<App backends={backends} initialTab={1} />);
}

/** the screen line of a row (the table pads cells; the key is the first cell) */
// a list row (not the bottom bar's message, which starts with its time)
const row = (screen: string, key: string) => screen.split('\n').find(line => !/^\d\d:\d\d/.test(line) && (line.trimStart().startsWith(`${key} `) || line.includes(` ${key} `)));

describe('Keys tab with keys that are not UTF-8 (issue 14, point 3)', () => {
	it('shows two distinct rows, each with its own type, and opens each one\'s own value', async () => {
		await seed();
		const app = start();
		const screen = await app.waitFor(s => s.includes('3 keys') && s.includes('done') && /bin:\\xff\s+string/.test(s) && /bin:\\ufffd\s+hash/.test(s));
		expect(row(screen, 'bin:\\xff')).toMatch(/string/);
		expect(row(screen, 'bin:\\ufffd')).toMatch(/hash/);
		// sorted: bin:plain, bin:\xff, bin:\ufffd
		await app.press(keys.down);
		await app.press(keys.enter);
		const value = await app.waitFor('the ff key');
		expect(value).toContain('bin:\\xff');
		expect(value).toMatch(/^string/m);
		await settle(100);
		await app.press(keys.escape);
		await app.waitFor(s => s.includes('3 keys'));
		await settle(100);
		await app.press(keys.down);
		await app.press(keys.enter);
		await app.waitFor('field = the fffd key');
	});

	it('x + "delete" on the highlighted \\xff row deletes that key only', async () => {
		await seed();
		const app = start();
		await app.waitFor(s => s.includes('3 keys') && s.includes('done') && /bin:\\xff\s+string/.test(s));
		// sorted: bin:plain, bin:\xff, bin:\ufffd
		await app.press(keys.down);
		await app.press('x');
		const dialog = await app.waitFor('Type delete and press Enter:');
		expect(dialog).toContain('DEL bin:\\xff on');
		expect(dialog).toContain('string, ');
		await settle(100);
		for (const ch of 'delete') await app.press(ch);
		await app.waitFor('Enter: delete');
		await settle(100);
		await app.press(keys.enter);
		await app.waitFor(s => s.includes('deleted bin:\\xff') && s.includes('2 keys'));
		expect(await direct.exists(ff)).toBe(0);
		expect(await direct.exists(fffd)).toBe(1);
		expect(await direct.exists(plain)).toBe(1);
		const screen = app.screen();
		expect(row(screen, 'bin:\\ufffd')).toBeDefined();
		expect(row(screen, 'bin:\\xff')).toBeUndefined();
	});

	it('a key holding a NUL byte gets its own details (type, size)', async () => {
		await direct.flushdb();
		await direct.hset(Buffer.from('nul:\u0000:z', 'latin1'), 'f', 'v');
		await direct.set('nul:', 'a look-alike of the first half');
		const app = start();
		await app.waitFor(s => s.includes('2 keys') && s.includes('done') && /nul:\\x00:z\s+hash/.test(s) && /nul:\s+string/.test(s));
	});

	it('a chat key that is not UTF-8 opens its own chat', async () => {
		await direct.flushdb();
		const a = message('x', 1, 'in the ff chat');
		await direct.zadd(Buffer.from('chat:\xff:messages', 'latin1'), a.createdAt.getTime(), memberJson(a));
		const b = message('y', 1, 'in the fffd chat');
		await direct.zadd(Buffer.from('chat:\ufffd:messages', 'utf8'), b.createdAt.getTime(), memberJson(b));
		const app = start();
		await app.waitFor(s => s.includes('2 keys') && s.includes('done') && s.includes('chat:\\xff:messages'));
		// sorted: chat:\xff:messages, chat:\ufffd:messages
		await app.press(keys.enter);
		const chat = await app.waitFor('in the ff chat');
		expect(chat).toContain('chat \\xff');
		expect(chat).not.toContain('in the fffd chat');
	});
});
