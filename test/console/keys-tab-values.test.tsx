// issue 16, point 5: values readable in full. A sorted-set member was cut at the pane's edge with no
// way to see the rest, binary was one cut line of \xHH, set members came unsorted. Enter on a member
// opens it whole (JSON pretty-printed, text wrapped, binary as a hexdump), scrollable; sets sorted.
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {testBackends} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';

let server: RedisServerHandle;
let direct: Redis;
const open: Backends[] = [];

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
});

beforeEach(async () => {
	await direct.flushdb();
});

afterEach(async () => {
	while (open.length > 0) await closeBackends(open.pop()!);
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

/** The Keys tab on a db holding one key, that key's value open. */
async function openValue(key: string, shown: string | ((s: string) => boolean)): Promise<Rendered> {
	const backends = testBackends(server.url);
	open.push(backends);
	const app = render(<App backends={backends} initialTab={1} />);
	await app.waitFor(s => s.includes('done') && s.includes(key));
	await settle(50);
	await app.press(keys.enter);
	await app.waitFor(shown);
	await settle(50);
	return app;
}

/** The screen's lines joined: a wrapped text reads on. */
const joined = (screen: string) => screen.split('\n').join('');

describe('Keys tab: a value read in full', () => {
	it('opens a 500-character sorted-set member whole, wrapped at the width; j selects the next member', async () => {
		const long = Array.from({length: 80}, (_, i) => `word${String(i).padStart(3, '0')}`).join('').slice(0, 494) + '-END:6';
		expect(long).toHaveLength(500);
		await direct.zadd('board', 1, 'first', 2, long, 3, 'third');
		const app = await openValue('board', '3 members');
		// the list line is cut at the edge
		expect(app.screen()).not.toContain('-END:6');
		await app.press('j');
		await app.press(keys.enter);
		const member = await app.waitFor('member 2 · score 2');
		expect(member).toContain('500 B');
		expect(joined(member)).toContain(long);
		for (const line of member.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(100);
		// Esc: back to the value, the same member highlighted; Esc again: the list
		await app.press(keys.escape);
		await app.waitFor(s => s.includes('3 members') && !s.includes('member 2 ·'));
		await app.press(keys.enter);
		await app.waitFor('member 2 · score 2');
	});

	it('pretty-prints a JSON member', async () => {
		await direct.zadd('chat:X:messages', 1_764_000_000_000, JSON.stringify({id: 'm1', user: {name: 'ann'}, tags: ['a', 'b']}));
		const backends = testBackends(server.url);
		open.push(backends);
		const app = render(<App backends={backends} initialTab={1} />);
		await app.waitFor(s => s.includes('done') && s.includes('chat:X:messages'));
		await settle(50);
		// a chat key opens its chat: v shows the raw value
		await app.press(keys.enter);
		await app.waitFor('Messages (newest');
		await app.press('v');
		await app.waitFor('1 member');
		await settle(50);
		await app.press(keys.enter);
		const member = await app.waitFor('JSON');
		expect(member).toContain('member 1 · score 1764000000000 (2025-11-24 16:00:00Z)');
		const lines = member.split('\n').map(l => l.trimEnd());
		const start = lines.indexOf('{');
		expect(lines.slice(start, start + 11)).toEqual(['{', '  "id": "m1",', '  "user": {', '    "name": "ann"', '  },', '  "tags": [', '    "a",', '    "b"', '  ]', '}', '']);
	});

	it('shows a binary string as hexdump lines (offset, hex, ASCII), and a binary member opened as one', async () => {
		const bytes = Buffer.concat([Buffer.from(Array.from({length: 32}, (_, i) => i)), Buffer.from('ABC\u001b[2J')]);
		await direct.set('blob', bytes);
		const app = await openValue('blob', '00000000:');
		const screen = app.screen();
		expect(screen).toContain('00000000: 0001 0203 0405 0607 0809 0a0b 0c0d 0e0f  ................');
		expect(screen).toContain('00000010: 1011 1213 1415 1617 1819 1a1b 1c1d 1e1f  ................');
		expect(screen).toContain('00000020: 4142 431b 5b32 4a                        ABC.[2J');
		expect(screen).not.toContain('\u001b[2J');

		await direct.flushdb();
		await direct.sadd('blobs', bytes);
		const set = await openValue('blobs', '1 member');
		await set.press(keys.enter);
		const member = await set.waitFor('binary: hexdump');
		expect(member).toContain('00000020: 4142 431b 5b32 4a                        ABC.[2J');
	});

	it('opens a hash field with its value, and a stream entry with each of its fields', async () => {
		await direct.hset('settings', 'limits', JSON.stringify({max: 5, names: ['a']}));
		const app = await openValue('settings', '1 field');
		await app.press(keys.enter);
		const field = await app.waitFor('field · 23 B  JSON');
		const lines = field.split('\n').map(l => l.trimEnd());
		const at = lines.indexOf('field');
		expect(lines.slice(at, at + 10)).toEqual(['field', 'limits', '', 'value', '{', '  "max": 5,', '  "names": [', '    "a"', '  ]', '}']);

		await direct.flushdb();
		await direct.xadd('events', '5-1', 'kind', 'join', 'who', 'w'.repeat(150));
		const stream = await openValue('events', '1 entry');
		await stream.press(keys.enter);
		const entry = await stream.waitFor('entry 5-1 · 2 fields');
		const rows = entry.split('\n').map(l => l.trimEnd());
		const kind = rows.indexOf('kind');
		expect(rows.slice(kind, kind + 6)).toEqual(['kind', 'join', '', 'who', 'w'.repeat(100), 'w'.repeat(50)]);
	});

	it('lists set members sorted', async () => {
		await direct.sadd('letters', 'c', 'a', 'b', 'B', 'aa');
		const app = await openValue('letters', '5 members');
		const lines = app.screen().split('\n').map(l => l.trim()).filter(l => /^(a|aa|b|B|c)$/.test(l));
		expect(lines).toEqual(['B', 'a', 'aa', 'b', 'c']);
	});

	it('reads a member the preview cut (100 KB) again whole: G shows its end', async () => {
		const big = 'x'.repeat(99_993) + '-THEEND';
		await direct.rpush('biglist', big);
		const app = await openValue('biglist', '1 item');
		await app.press(keys.enter);
		await app.waitFor('item 0 · 98 KB');
		await settle(50);
		await app.press('G');
		const end = await app.waitFor('-THEEND');
		expect(end).toMatch(/lines \d+-1,?000 of 1,?000/);
	});
});
