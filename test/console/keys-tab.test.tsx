import fs from 'node:fs';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {cacheMessages, message, testBackends} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';

let server: RedisServerHandle;
let direct: Redis;
const open: Backends[] = [];

const evilKey = 'evil\u001b]0;pwned\u0007\u001b[2J';
const linkValue = 'click \u001b]8;;https://evil.example/\u001b\\here\u001b]8;;\u001b\\ now';

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	await direct.set(evilKey, linkValue);
	await direct.hset('linkhash', 'f', linkValue);
	await direct.zadd('leaderboard', 1_764_000_000_000, 'alice', 20, 'bob');
	await direct.rpush('queue', 'a', 'b');
	await direct.set('plain', 'text');
	await cacheMessages(direct, 'AAA111', [message('AAA111', 5, 'first'), message('AAA111', 1, 'second')]);
	await cacheMessages(direct, 'AAA111', [message('AAA111', 3, 'pinned one')], 'pinned');
	await direct.hset('chat:AAA111:reactions:m1', 'thumbs', '2');
	await cacheMessages(direct, 'BBB222', [message('BBB222', 2, 'other chat')]);
});

afterEach(async () => {
	while (open.length > 0) await closeBackends(open.pop()!);
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

function start(env: Record<string, string> = {}): {app: Rendered; backends: Backends} {
	const backends = testBackends(server.url, {env});
	open.push(backends);
	const app = render(<App backends={backends} initialTab={1} />);
	return {app, backends};
}

/**
 * Opens a text field with `opener` and types into it. Ink attaches a new field's input listener in
 * a passive effect after the frame that shows it, so a key sent in the same instant can be lost:
 * wait for the field, give the effect its moment, then check each character arrived.
 */
async function fill(app: Rendered, opener: string, shown: string, text: string): Promise<void> {
	await app.press(opener);
	await app.waitFor(shown);
	await settle(100);
	let typed = '';
	for (const ch of text) {
		typed += ch;
		await app.press(ch);
		await app.waitFor(s => s.includes(`${shown} ${typed}`) || s.includes(`${shown}${typed}`));
	}
	// Prompt and ConfirmDialog read their text from the handler Ink subscribed last: let the
	// effect for the last character run before Enter (a person never types Enter within ms)
	await settle(100);
}

async function scanPattern(app: Rendered, pattern: string, count: number): Promise<void> {
	await app.waitFor(s => s.includes('done'));
	await fill(app, '/', 'pattern:', pattern);
	await app.press(keys.enter);
	// "1 key", "2 keys" (the header said "1 keys": a hostile defect)
	const counted = new RegExp(`\\b${count} ${count === 1 ? 'key' : 'keys'}\\b`);
	await app.waitFor(s => s.includes(`pattern ${pattern}`) && counted.test(s) && s.includes('done'));
}

/** The frame with Ink's own colour codes (SGR) removed: anything ESC left came from data. */
function rawEscapes(frame: string): boolean {
	return frame.replace(/\u001b\[[0-9;]*m/g, '').includes('\u001b') || frame.includes('\u0007');
}

describe('Keys tab', () => {
	it('lists the keys with type and size, then filters by pattern and opens a sorted set', async () => {
		const {app} = start();
		await app.waitFor(s => s.includes('done') && s.includes('leaderboard') && /leaderboard\s+zset/.test(s));
		await scanPattern(app, 'leader*', 1);
		expect(app.screen()).not.toContain('queue');
		await app.press(keys.enter);
		const value = await app.waitFor('2 members');
		expect(value).toContain('1764000000000 (2025-11-24 16:00:00Z)  alice');
		expect(value).toContain('20  bob');
		await app.press(keys.escape);
		await app.waitFor(s => s.includes('pattern leader*') && !s.includes('2 members'));
	});

	it('pages a long list: preview — N total, n next page, p back', async () => {
		await direct.rpush('longlist', ...Array.from({length: 250}, (_, i) => `item${i}`));
		const {app} = start();
		await scanPattern(app, 'longlist', 1);
		await app.press(keys.enter);
		await app.waitFor('preview — 250 total (100 items shown)');
		expect(app.screen()).toContain('0  item0');
		await settle(100);
		await app.press('n');
		await app.waitFor(s => s.includes('page 2') && s.includes('100  item100'));
		await app.press('p');
		await app.waitFor(s => !s.includes('page 2') && s.includes('0  item0'));
	});

	it('cycles the type filter and shows a tree by ":" prefix', async () => {
		const {app} = start();
		await app.waitFor('done');
		await app.press('t');
		await app.waitFor(s => s.includes('type string') && s.includes('done'));
		expect(app.screen()).not.toContain('leaderboard');
		await app.press('t', 't', 't', 't');
		await app.waitFor(s => s.includes('type zset') && s.includes('done') && s.includes('leaderboard'));
		await app.press('T');
		const tree = await app.waitFor(s => s.includes('tree /') && /chat:\s+3/.test(s));
		expect(tree).toMatch(/leaderboard/);
		await app.press(keys.enter);
		await app.waitFor(s => s.includes('tree chat:') && s.includes('AAA111:') && s.includes('BBB222:'));
		await app.press(keys.escape);
		await app.waitFor('tree / ');
	});

	it('opens a chat: messages, pinned and reactions', async () => {
		const {app} = start();
		await scanPattern(app, 'chat:AAA111:m*', 1);
		await app.press(keys.enter);
		const chat = await app.waitFor('Reactions (1 caches)');
		expect(chat).toContain('chat AAA111');
		expect(chat).toMatch(/ann \[verified\]: second[\s\S]*ann \[verified\]: first/);
		expect(chat).toContain('pinned one');
		expect(chat).toContain('m1  thumbs 2');
	});

	it('draws hostile keys and values escaped: no raw ESC or BEL reaches the frame', async () => {
		const {app} = start();
		await app.waitFor(s => s.includes('evil\\x1b]0;pwned\\x07\\x1b[2J'));
		expect(rawEscapes(app.lastFrame() ?? '')).toBe(false);
		await scanPattern(app, 'linkhash', 1);
		await app.press(keys.enter);
		await app.waitFor('\\x1b]8;;https://evil.example/');
		expect(rawEscapes(app.lastFrame() ?? '')).toBe(false);
	});

	it('deletes a key only after the word is typed; read-only refuses', async () => {
		await direct.set('doomed', '1');
		const {app, backends} = start();
		await scanPattern(app, 'doomed', 1);
		await fill(app, 'x', 'Type delete and press Enter:', 'dele');
		await app.press(keys.enter);
		await app.waitFor('That is not "delete"');
		expect(await direct.exists('doomed')).toBe(1);
		for (const ch of 'te') await app.press(ch);
		await app.waitFor('Enter: delete');
		await settle(100);
		await app.press(keys.enter);
		await app.waitFor('deleted doomed');
		expect(await direct.exists('doomed')).toBe(0);
		expect(fs.readFileSync(backends.config.auditLog, 'utf8')).toContain('"action":"delete-key"');

		await direct.set('kept', '1');
		const ro = start({OPSDECK_READ_ONLY: '1'});
		await scanPattern(ro.app, 'kept', 1);
		await ro.app.press('x');
		await ro.app.waitFor('read-only mode: delete-key refused');
		expect(await direct.exists('kept')).toBe(1);
	});

	it('clears one chat after "clear": only that chat\'s keys go', async () => {
		await cacheMessages(direct, 'CCC333', [message('CCC333', 1, 'bye')]);
		await direct.hset('chat:CCC333:reactions:z', 'x', '1');
		const {app} = start();
		await scanPattern(app, 'chat:CCC333:messages', 1);
		await fill(app, 'X', 'Type clear and press Enter:', 'clear');
		expect(app.screen()).toContain('DEL the 2 cache keys of chat CCC333');
		await app.press(keys.enter);
		await app.waitFor('cleared chat CCC333: 2 keys deleted');
		expect(await direct.exists('chat:CCC333:messages', 'chat:CCC333:reactions:z')).toBe(0);
		expect(await direct.exists('chat:AAA111:messages', 'chat:BBB222:messages')).toBe(2);
	});
});

describe('Keys tab when Redis goes away', () => {
	it('shows the error, then scans again by itself once Redis is back', async () => {
		const flaky = await startRedis();
		const client = new Redis(flaky.url, {lazyConnect: true});
		try {
			await client.connect();
			await client.set('survivor', '1');
			client.disconnect();
			const backends = testBackends(flaky.url);
			open.push(backends);
			const app = render(<App backends={backends} initialTab={1} />);
			await app.waitFor(s => s.includes('survivor') && s.includes('done'));
			await flaky.kill();
			await app.press('r');
			await app.waitFor(/error: .*/, 10_000);
			await flaky.restart();
			// nothing pressed: the scan starts over when the backend reports Redis up again
			await app.waitFor(s => s.includes('done') && !s.includes('error') && s.includes('0 keys'), 15_000);
		} finally {
			client.disconnect();
			await flaky.stop();
		}
	});
});

describe('Keys tab scan control', () => {
	it('s stops the scan where it is and continues it to the end', async () => {
		const slow = await startRedis();
		const client = new Redis(slow.url);
		try {
			const p = client.pipeline();
			for (let i = 0; i < 20_000; i++) p.set(`n:${i}`, 'v');
			await p.exec();
			// COUNT 2: thousands of round trips, time enough to stop it half way
			const backends = testBackends(slow.url, {env: {SCAN_COUNT: '2'}});
			open.push(backends);
			const app = render(<App backends={backends} initialTab={1} />);
			await app.waitFor(s => s.includes('scanning…') && /[1-9][\d,]* keys/.test(s));
			await settle(100);
			await app.press('s');
			const stopped = await app.waitFor('stopped');
			const count = /([\d,]+) keys/.exec(stopped)![1];
			expect(count).not.toBe('20,000');
			await settle(300);
			expect(app.screen()).toContain(`${count} keys`);
			await app.press('s');
			await app.waitFor(s => s.includes('20,000 keys') && s.includes('done'), 20_000);
		} finally {
			client.disconnect();
			await slow.stop();
		}
	});
});

describe('Keys tab with 100k keys', () => {
	it('scrolls the whole list: G reaches the last key, g the first', async () => {
		const big = await startRedis();
		const client = new Redis(big.url);
		try {
			for (let block = 0; block < 10; block++) {
				const p = client.pipeline();
				for (let i = block * 10_000; i < (block + 1) * 10_000; i++) p.set(`k:${String(i).padStart(6, '0')}`, 'v');
				await p.exec();
			}
			const backends = testBackends(big.url);
			open.push(backends);
			const app = render(<App backends={backends} initialTab={1} />);
			await app.waitFor(s => s.includes('100,000 keys') && s.includes('done'), 20_000);
			// the cursor stays on the key it was on while the list was in SCAN order: g is the top
			await app.press('g');
			await app.waitFor('k:000000');
			await app.press('G');
			await app.waitFor('k:099999');
			for (let i = 0; i < 5; i++) await app.press(keys.pageUp);
			await app.waitFor(s => !s.includes('k:099999') && /k:0999\d\d/.test(s));
			await app.press('g');
			await app.waitFor('k:000000');
		} finally {
			client.disconnect();
			await big.stop();
		}
	});
});
