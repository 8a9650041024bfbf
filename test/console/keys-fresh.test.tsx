// Issue 16, point 2, the Keys list: the same pattern entered again scans again; Redis back scans
// again by itself; a deleted key leaves the list, and so does one found gone when its details
// load; while Redis is down the list never says "no keys match". A private redis-server each.
import {Redis} from 'ioredis';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {testBackends} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';

const open: Backends[] = [];
const servers: RedisServerHandle[] = [];
const clients: Redis[] = [];

afterEach(async () => {
	while (open.length > 0) await closeBackends(open.pop()!);
	for (const client of clients.splice(0)) client.disconnect();
	while (servers.length > 0) await servers.pop()!.stop();
});

async function setup(): Promise<{server: RedisServerHandle; direct: Redis}> {
	const server = await startRedis();
	servers.push(server);
	const direct = new Redis(server.url);
	direct.on('error', () => undefined);
	clients.push(direct);
	return {server, direct};
}

function start(url: string): Rendered {
	const backends = testBackends(url);
	open.push(backends);
	return render(<App backends={backends} initialTab={1} />);
}

/** Opens the pattern field, types into it character by character (each seen), Enter. */
async function scanPattern(app: Rendered, pattern: string): Promise<void> {
	await app.press('/');
	await app.waitFor('pattern:');
	await settle(100);
	// the field starts with the pattern scanned now: clear it
	for (let i = 0; i < 30; i++) await app.press(keys.backspace);
	for (const ch of pattern) await app.press(ch);
	await app.waitFor(`pattern: ${pattern}`);
	await settle(100);
	await app.press(keys.enter);
}

const keyRows = (screen: string, prefix: string) => screen.split('\n').filter(line => line.startsWith(prefix)).map(line => line.split(/\s+/)[0]);

describe('Keys list, never stale', () => {
	it('the same pattern entered again scans again', async () => {
		const {server, direct} = await setup();
		await direct.mset('p:1', 'a', 'p:2', 'b', 'other', 'c');
		const app = start(server.url);
		await app.waitFor(s => s.includes('3 keys') && s.includes('done'));
		await scanPattern(app, 'p:*');
		await app.waitFor(s => s.includes('pattern p:* · 2 keys') && s.includes('done'));
		await direct.set('p:3', 'c');
		await scanPattern(app, 'p:*');
		const screen = await app.waitFor(s => s.includes('pattern p:* · 3 keys') && s.includes('done'));
		expect(keyRows(screen, 'p:')).toEqual(['p:1', 'p:2', 'p:3']);
	});

	it('Redis down: says so (never "no keys match"); back, the list scans again by itself', async () => {
		const {server, direct} = await setup();
		await direct.mset('before:1', 'a', 'before:2', 'b');
		const app = start(server.url);
		await app.waitFor(s => s.includes('2 keys') && s.includes('done'));
		await server.kill();
		// no key pressed: the list from before stays, marked
		await app.waitFor('redis is down: list from before', 10_000);
		expect(keyRows(app.screen(), 'before:')).toEqual(['before:1', 'before:2']);
		await server.restart();
		// the server came back empty (no persistence): the list follows by itself
		await app.waitFor(s => s.includes('0 keys') && s.includes('done') && s.includes('no keys match'), 15_000);
		expect(app.screen()).not.toContain('before:1');

		await server.kill();
		await app.waitFor('Redis is down: no keys to show until it is back', 10_000);
		// the retries go on while it is down: it never says there are no keys
		for (let i = 0; i < 15; i++) {
			await settle(100);
			expect(app.screen()).not.toContain('no keys match');
		}
		await server.restart();
		await direct.set('after', '1');
		await app.waitFor(s => s.includes('done') && keyRows(s, 'after').length === 1, 15_000);
	});

	it('a Redis that is down at start: "Redis is down", not "no keys match"', async () => {
		const {server} = await setup();
		await server.kill();
		const app = start(server.url);
		await app.waitFor('Redis is down: no keys to show until it is back', 15_000);
		expect(app.screen()).not.toContain('no keys match');
	});

	it('x: the deleted row leaves the list; a key found gone when its details load leaves it too', async () => {
		const {server, direct} = await setup();
		const names = Array.from({length: 60}, (_, i) => `g:${String(i).padStart(2, '0')}`);
		await direct.mset(...names.flatMap(name => [name, 'v']));
		const app = start(server.url);
		await app.waitFor(s => s.includes('60 keys') && s.includes('done') && /g:00 +string/.test(s));
		await settle(50);
		await app.press('j');
		await app.press('x');
		await app.waitFor('Type delete and press Enter');
		await settle(100);
		for (const ch of 'delete') await app.press(ch);
		await settle(100);
		await app.press(keys.enter);
		await app.waitFor('deleted g:01');
		let screen = await app.waitFor(s => s.includes('59 keys'));
		expect(keyRows(screen, 'g:').slice(0, 3)).toEqual(['g:00', 'g:02', 'g:03']);
		// the highlight landed on the row now in its place
		await app.press(keys.enter);
		await app.waitFor(s => s.split('\n')[1]!.trim() === 'g:02');
		await app.press(keys.escape);

		// deleted behind the console's back, out of sight: found gone when its row comes into view
		await direct.del('g:55');
		await app.press('G');
		screen = await app.waitFor(s => s.includes('58 keys') && s.includes('g:59'));
		expect(keyRows(screen, 'g:')).not.toContain('g:55');
		expect(keyRows(screen, 'g:')).toContain('g:56');
	});
});
