// Issue 16, point 6 (console part): `r` on every tab says what it did in the bottom bar, and `/`
// is a key only where filtering works (the Keys list): the bar and the `?` help offer it nowhere
// else, and pressing it elsewhere opens nothing.
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {tempDir, testBackends} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';

let server: RedisServerHandle;
let direct: Redis;
const open: Backends[] = [];

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	await direct.mset('plain', 'text', 'other', 'x');
	await direct.zadd('chat:AAA111:messages', 1, '{"id":"m1"}');
});

afterEach(async () => {
	while (open.length > 0) await closeBackends(open.pop()!);
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

function start(): Rendered {
	const cwd = tempDir('opsdeck-refresh-');
	const backends = testBackends(server.url, {cwd, env: {BACKUP_DIR: path.join(cwd, 'backups'), POLL_INTERVAL_MS: '250', XDG_STATE_HOME: path.join(cwd, 'state')}});
	open.push(backends);
	const app = render(<App backends={backends} />);
	// room for the whole help
	Object.defineProperty(app.stdout, 'rows', {value: 60, configurable: true});
	app.stdout.emit('resize');
	return app;
}

const bar = (screen: string) => screen.split('\n').filter(line => line.trim()).at(-1) ?? '';

/** Presses r and waits for the bar to say `said` (with the time it was said). */
async function refreshSays(app: Rendered, said: string | RegExp): Promise<void> {
	await app.press('r');
	await app.waitFor(s => {
		const line = bar(s);
		return /^\d\d:\d\d:\d\d /.test(line) && (typeof said === 'string' ? line.includes(said) : said.test(line));
	}, 10_000);
}

describe('r on every tab', () => {
	it('Status, Keys (list and value), Monitor (counting and paused), Backups: each says what it did', async () => {
		const app = start();
		await app.waitFor(s => /Redis {2}up/.test(s), 10_000);
		await settle(50);
		// the keys stay beside the message (hostile defect 5)
		await refreshSays(app, /refreshed {2}.*\? help/);

		await app.press('2');
		await app.waitFor(s => s.includes('3 keys') && s.includes('done'));
		await refreshSays(app, 'rescanning all keys…');
		await app.waitFor(s => s.includes('3 keys') && s.includes('done'));
		// the top row (sorted): chat:AAA111:messages opens its chat
		await app.press(keys.enter);
		await app.waitFor('chat AAA111');
		await refreshSays(app, 'reloading…');
		await app.press(keys.escape);

		await app.press('3');
		await app.waitFor(/chat:AAA111:messages +1/);
		await refreshSays(app, 'counting now');
		await app.press(' ');
		await app.waitFor('PAUSED');
		await refreshSays(app, 'paused: space resumes counting');

		await app.press('4');
		await app.waitFor('no backups yet');
		await refreshSays(app, 'refreshed the backup list');
	});
});

describe('/ only where filtering works', () => {
	it('in the Keys list bar and help; not on Status, Monitor, Backups or a Keys value view, where it opens nothing', async () => {
		const app = start();
		const helpOf = async (): Promise<string> => {
			await app.press('?');
			const help = await app.waitFor('Esc or ? closes this help');
			await app.press(keys.escape);
			await app.waitFor(s => !s.includes('closes this help'));
			return help;
		};
		const offersSlash = (screen: string) => /^\/ +\S/m.test(screen);

		await app.waitFor(s => bar(s).includes('? help'));
		const screens: Record<string, {bar: string; help: string}> = {};
		for (const [tab, ready] of [['1', /Redis {2}up/], ['3', /chat:AAA111:messages +1/], ['4', 'no backups yet']] as const) {
			await app.press(tab);
			const screen = await app.waitFor(ready, 10_000);
			await settle(50);
			screens[tab] = {bar: bar(screen), help: await helpOf()};
			await app.press('/');
			await settle(100);
			expect(app.screen()).not.toMatch(/pattern:|filter:/);
		}
		await app.press('2');
		const list = await app.waitFor(s => s.includes('3 keys') && s.includes('done') && bar(s).includes('/ pattern'));
		screens.keys = {bar: bar(list), help: await helpOf()};
		await app.press('j');
		await app.press(keys.enter);
		await app.waitFor(s => s.split('\n')[1]!.trim() === 'other');
		const value = app.screen();
		screens.value = {bar: bar(value), help: await helpOf()};

		expect(screens.keys.bar).toMatch(/^\/ pattern /);
		expect(offersSlash(screens.keys.help)).toBe(true);
		for (const name of ['1', '3', '4', 'value']) {
			expect(screens[name]!.bar, name).not.toMatch(/(^|\s)\/ /);
			expect(offersSlash(screens[name]!.help), name).toBe(false);
		}
		// the help's "Everywhere" section (the frame's keys) claims no filter either
		expect(screens['1']!.help.split('Everywhere')[1]).not.toMatch(/^\/ /m);
	});
});
