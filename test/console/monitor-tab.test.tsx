import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {Profiler} from 'react';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {BackendsContext} from '../../source/console/context.js';
import {Keyboard} from '../../source/console/input/keyboard.js';
import {columnsFor, monitorTab, stepInterval} from '../../source/console/tabs/monitor/monitor-tab.js';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {savedWatches} from '../../source/monitor/watch-store.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle} from '../helpers/render.js';
import {waitFor} from '../helpers/wait.js';

let server: RedisServerHandle;
let writer: Redis;
let cwd: string;
let backends: Backends;

beforeAll(async () => {
	server = await startRedis();
	writer = new Redis(server.url);
});

afterAll(async () => {
	writer.disconnect();
	await server.stop();
});

beforeEach(async () => {
	await writer.flushdb();
	await writer.config('RESETSTAT');
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-monitor-tab-'));
	const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: 'postgres://127.0.0.1:1/x', POLL_INTERVAL_MS: '250', XDG_STATE_HOME: path.join(cwd, 'state')}, cwd});
	backends = createBackends(config);
	await backends.redis.ready();
});

afterEach(async () => {
	await closeBackends(backends);
	fs.rmSync(cwd, {recursive: true, force: true});
});

/** The table row of a key. */
const line = (screen: string, key: string) => screen.split('\n').find(l => l.startsWith(key)) ?? '';

/** PTTL calls the private server has answered: one per watched key per tick. */
async function pttlCalls(): Promise<number> {
	const info = await writer.info('commandstats');
	return Number(/cmdstat_pttl:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

describe('Monitor tab', () => {
	it('shows +3 after three adds, -1 after a removal, gone when a key expires, and a new chat', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1', 2, 'a2');
		await writer.zadd('chat:T:messages', 1, 't1');
		await writer.pexpire('chat:T:messages', 1500);
		const app = render(<App backends={backends} initialTab={2} startOnMount={false} />);
		await app.waitFor(s => /chat:A:messages +2/.test(s));
		expect(app.screen()).toMatch(/key +count +\+\/- +rate +TTL +history/);
		expect(app.screen()).toContain('chat:*:messages');
		await writer.zadd('chat:A:messages', 3, 'a3', 4, 'a4', 5, 'a5');
		await app.waitFor(s => /chat:A:messages +5 +\+3/.test(s));
		await writer.zrem('chat:A:messages', 'a1');
		await app.waitFor(s => /chat:A:messages +4 +-1/.test(s));
		await app.waitFor(s => /chat:T:messages +gone/.test(s), 5000);
		await writer.zadd('chat:NEW:messages', 1, 'n1', 2, 'n2');
		// issue 16, point 4: marked new, as `opsdeck monitor --plain` marks it; the others are not
		const screen = await app.waitFor(s => /chat:NEW:messages +new +2 +\+2/.test(s), 5000);
		expect(screen).toMatch(/total \(2 keys\) +6/);
		expect(line(screen, 'chat:A:messages')).not.toContain('new');
	});

	it('adds a watch with a, removes one with x (saved to the state file), pauses with space, changes the interval with + and -', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1');
		await writer.rpush('jobs', 'j1', 'j2');
		const app = render(<App backends={backends} initialTab={2} startOnMount={false} />);
		await app.waitFor('chat:A:messages');
		await app.press('a');
		await app.waitFor('watch key or pattern:');
		await settle(50);
		await app.type('jobs');
		await app.waitFor('watch key or pattern: jobs');
		await settle(50);
		await app.press(keys.enter);
		await app.waitFor(s => /jobs +2/.test(s));
		const config = () => savedWatches(path.join(cwd, 'state', 'opsdeck', 'watches.json'), path.join(cwd, 'opsdeck.config.json'));
		expect(config()).toEqual(['chat:*:messages', 'jobs']);
		// issue 13, case 12: no config file was there, and none is made
		expect(fs.existsSync(path.join(cwd, 'opsdeck.config.json'))).toBe(false);

		// the cursor is on the first row (chat:A:messages), a key of a pattern: x asks, y removes the pattern
		await app.press('x');
		await app.waitFor('remove the pattern chat:*:messages (1 key)? y / n');
		await app.press('y');
		await app.waitFor(s => !s.includes('chat:A:messages'));
		expect(config()).toEqual(['jobs']);
		await app.press('x');
		await app.waitFor('the last watch cannot be removed');

		await app.press(' ');
		await app.waitFor('PAUSED');
		const calls = await pttlCalls();
		await writer.rpush('jobs', 'j3');
		await new Promise(resolve => setTimeout(resolve, 800)); // three intervals: nothing may be counted
		expect(await pttlCalls()).toBe(calls);
		expect(line(app.screen(), 'jobs')).toMatch(/jobs +2/);
		await app.press(' ');
		await app.waitFor(s => /jobs +3 +\+1/.test(s) && !s.includes('PAUSED'));

		await app.press('+');
		await app.waitFor('every 500ms');
		await app.press('-', '-');
		await app.waitFor('every 250ms');
		expect(stepInterval(250, -1)).toBe(250);
		expect(stepInterval(60_000, 1)).toBe(60_000);
	});

	// issue 13, case 12: `a` rewrote an unparsable config file as {"watches": …} (every other setting
	// gone) and replaced a symlinked config file with a regular one
	it('saves watches to $XDG_STATE_HOME/opsdeck/watches.json, never to the config file (symlinked, or unparsable mid-edit); a restart reads them', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1');
		await writer.rpush('jobs', 'j1', 'j2');
		const real = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-real-config-'));
		const realFile = path.join(real, 'opsdeck.json');
		const link = path.join(cwd, 'opsdeck.config.json');
		const content = JSON.stringify({redisUrl: server.url, backupRetention: 14, thresholds: {latencyMs: 500}, appUrl: 'http://127.0.0.1:1/health', watches: ['chat:*:messages']}, null, 2);
		fs.writeFileSync(realFile, content);
		fs.symlinkSync(realFile, link);
		const state = path.join(cwd, 'xdg-state');
		const env = {DATABASE_URL: 'postgres://127.0.0.1:1/x', POLL_INTERVAL_MS: '250', XDG_STATE_HOME: state};
		const config = loadConfig({env, cwd});
		expect(config.watches).toEqual(['chat:*:messages']);
		const own = createBackends(config);
		try {
			await own.redis.ready();
			const app = render(<App backends={own} initialTab={2} startOnMount={false} />);
			await app.waitFor('chat:A:messages');
			await app.press('a');
			await app.waitFor('watch key or pattern:');
			await settle(50);
			await app.type('jobs');
			await app.waitFor('watch key or pattern: jobs');
			await settle(50);
			await app.press(keys.enter);
			await app.waitFor(s => /jobs +2/.test(s));
			expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
			expect(fs.readFileSync(realFile, 'utf8')).toBe(content);
			const stateFile = path.join(state, 'opsdeck', 'watches.json');
			expect(fs.statSync(stateFile).mode & 0o777).toBe(0o600);
			expect(fs.readdirSync(path.dirname(stateFile))).toEqual(['watches.json']);

			// the operator is half-way through an edit: x must leave the file as it is
			fs.writeFileSync(realFile, '{"redisUrl": ');
			await app.press('x');
			await app.waitFor('remove the pattern chat:*:messages');
			await app.press('y');
			await app.waitFor(s => !s.includes('chat:A:messages') && /removed watch/.test(s));
			expect(fs.readFileSync(realFile, 'utf8')).toBe('{"redisUrl": ');
			expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
			expect(fs.readdirSync(cwd).sort()).toEqual(['opsdeck.config.json', 'xdg-state']);

			// restart: the saved list wins over the config file's
			fs.writeFileSync(realFile, content);
			expect(loadConfig({env, cwd}).watches).toEqual(['jobs']);
			// another config file (another app on the box) keeps its own list
			fs.writeFileSync(path.join(cwd, 'other.json'), JSON.stringify({watches: ['queue:*']}));
			expect(loadConfig({env, cwd, flags: {config: 'other.json'}}).watches).toEqual(['queue:*']);
		} finally {
			await closeBackends(own);
			fs.rmSync(real, {recursive: true, force: true});
		}
	});

	// issue 16, point 4: x on one key's row took the whole pattern away without a word
	it('x on a key of a pattern asks first (n keeps it, y removes it with all its keys); x on an exact key removes it at once', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1');
		await writer.zadd('chat:B:messages', 1, 'b1');
		await writer.rpush('jobs', 'j1');
		const app = render(<App backends={backends} initialTab={2} startOnMount={false} />);
		await app.press('a');
		await app.waitFor('watch key or pattern:');
		await settle(50);
		await app.type('jobs');
		await app.waitFor('watch key or pattern: jobs');
		await settle(50);
		await app.press(keys.enter);
		await app.waitFor(s => /jobs +1/.test(s) && s.includes('chat:B:messages'));
		const state = () => savedWatches(path.join(cwd, 'state', 'opsdeck', 'watches.json'), path.join(cwd, 'opsdeck.config.json'));
		expect(state()).toEqual(['chat:*:messages', 'jobs']);

		// on chat:B:messages: it names the pattern and how many keys go with it, and its answer keys
		// (the question line says y / n whether or not a message has the bar's place: the add's
		// `watching jobs` may still show there)
		await app.press('j');
		await settle(50);
		await app.press('x');
		await app.waitFor('remove the pattern chat:*:messages (2 keys)? y / n');
		// any other key does nothing while it asks
		await app.press('j', 'a');
		await app.press('n');
		await app.waitFor(s => !s.includes('remove the pattern') && s.includes('chat:A:messages') && s.includes('chat:B:messages'));
		expect(state()).toEqual(['chat:*:messages', 'jobs']);
		await app.press('x');
		await app.waitFor('remove the pattern chat:*:messages (2 keys)?');
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('remove the pattern'));
		expect(state()).toEqual(['chat:*:messages', 'jobs']);

		await app.press('x');
		await app.waitFor('remove the pattern chat:*:messages (2 keys)?');
		await app.press('y');
		await app.waitFor(s => !s.includes('chat:A:messages') && !s.includes('chat:B:messages') && /jobs +1/.test(s));
		expect(state()).toEqual(['jobs']);

		// an exact key: no question (the key is the whole watch)
		await app.press('a');
		await app.waitFor('watch key or pattern:');
		await settle(50);
		await app.type('queue');
		await app.waitFor('watch key or pattern: queue');
		await settle(50);
		await app.press(keys.enter);
		await app.waitFor(s => /queue +gone/.test(s));
		await app.press('G');
		await settle(50);
		await app.press('x');
		await app.waitFor(s => s.includes('removed watch queue') && !/queue +gone/.test(s));
		expect(state()).toEqual(['jobs']);
		expect(app.screen()).not.toContain('remove the pattern');
	});

	it('shows a new chat in the first tick after it was made (not five ticks later)', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1');
		const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: 'postgres://127.0.0.1:1/x', POLL_INTERVAL_MS: '1000', XDG_STATE_HOME: path.join(cwd, 'state')}, cwd});
		const own = createBackends(config);
		try {
			await own.redis.ready();
			const app = render(<App backends={own} initialTab={2} startOnMount={false} />);
			await app.waitFor(s => /chat:A:messages +1/.test(s));
			// twice, so neither lands on the every-5th-tick SCAN by chance
			for (const chat of ['N1', 'N2']) {
				const started = Date.now();
				await writer.zadd(`chat:${chat}:messages`, 1, 'n1');
				await app.waitFor(s => new RegExp(`chat:${chat}:messages +new +1`).test(s), 3000);
				// within one 1 s interval (and the time to draw it on a busy machine)
				expect(Date.now() - started).toBeLessThan(1800);
			}
		} finally {
			await closeBackends(own);
		}
	});

	it('says which rows are on screen when they do not all fit: rows 1–9 of 30, then rows 22–30 of 30', async () => {
		for (let i = 0; i < 30; i++) await writer.zadd(`chat:K${String(i).padStart(2, '0')}:messages`, 1, 'm1');
		const Tab = monitorTab.Component;
		const app = render(
			<Keyboard>
				<BackendsContext.Provider value={backends}>
					<Tab isActive isVisible width={40} height={12} />
				</BackendsContext.Provider>
			</Keyboard>,
		);
		const top = await app.waitFor(s => /chat:K00:messa/.test(s));
		expect(top.split('\n')[0]).toMatch(/^chat:\*:messages.* · rows 1–9 of 30$/);
		await app.press('G');
		const bottom = await app.waitFor('rows 22–30 of 30');
		expect(bottom).toContain('chat:K29:messa');
		for (const l of bottom.split('\n')) expect(Array.from(l).length).toBeLessThanOrEqual(40);
		// all rows fit: no range; K00, made again, is marked new with a * (the narrow pane's mark)
		await writer.flushdb();
		await app.waitFor(s => !s.includes('rows ') && s.includes('no key matches'), 10_000);
		await writer.zadd('chat:K00:messages', 1, 'm1');
		await app.waitFor(s => /chat:K00:messa\S* +\* +1 /.test(s), 10_000);
	});

	it('does not re-render while nothing changes, and keeps counting while another tab is shown', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1');
		await writer.zadd('chat:B:messages', 1, 'b1');
		let commits = 0;
		// the tab alone (the frame's other tabs have timers of their own)
		const Tab = monitorTab.Component;
		const tab = (isVisible: boolean) => (
			<BackendsContext.Provider value={backends}>
				<Profiler id="monitor" onRender={() => commits++}>
					<Tab isActive={isVisible} isVisible={isVisible} width={80} height={12} />
				</Profiler>
			</BackendsContext.Provider>
		);
		const app = render(tab(true));
		await app.waitFor(s => /chat:B:messages +1/.test(s));
		// let the first ticks settle (the sparkline filling up), then count commits over 6 ticks
		await waitFor(async () => (await pttlCalls()) >= 2 * 14, {timeout: 10_000});
		const before = commits;
		const calls = await pttlCalls();
		await waitFor(async () => (await pttlCalls()) >= calls + 2 * 6, {timeout: 10_000});
		expect(commits - before).toBe(0);

		// hidden (another tab shown): the counters keep going, nothing is drawn; back: shown at once
		app.rerender(tab(false));
		await settle(50);
		const hiddenCommits = commits;
		await writer.zadd('chat:B:messages', 2, 'b2', 3, 'b3');
		const hidden = await pttlCalls();
		await waitFor(async () => (await pttlCalls()) >= hidden + 2 * 3, {timeout: 10_000});
		expect(commits).toBe(hiddenCommits);
		app.rerender(tab(true));
		const screen = await app.waitFor(s => /chat:B:messages +3/.test(s), 200);
		expect(line(screen, 'chat:B:messages')).toMatch(/[▂▃▄▅▆▇█]/);
	});

	it('redraws for a change on screen, not for a TTL scrolled out of sight; scrolled to, it shows the latest TTL', async () => {
		// 30 chats, a table 10 rows high: chat:K00 … chat:K08 on screen, chat:K29 far below
		for (let i = 0; i < 30; i++) await writer.zadd(`chat:K${String(i).padStart(2, '0')}:messages`, 1, 'm1');
		let commits = 0;
		const Tab = monitorTab.Component;
		// the tab alone takes its keys from the input layer the frame otherwise provides
		const app = render(
			<Keyboard>
				<BackendsContext.Provider value={backends}>
					<Profiler id="monitor" onRender={() => commits++}>
						<Tab isActive isVisible width={80} height={12} />
					</Profiler>
				</BackendsContext.Provider>
			</Keyboard>,
		);
		await app.waitFor(s => /chat:K00:messages +1/.test(s));
		expect(app.screen()).not.toContain('chat:K29');
		await waitFor(async () => (await pttlCalls()) >= 30 * 14, {timeout: 10_000}); // the sparklines filled
		const before = commits;
		// a new TTL far below (the totals stay as they are: what an idle pane sees every second)
		await writer.expire('chat:K29:messages', 7200);
		const calls = await pttlCalls();
		await waitFor(async () => (await pttlCalls()) >= calls + 30 * 4, {timeout: 10_000});
		expect(commits - before).toBe(0);

		await writer.zadd('chat:K01:messages', 2, 'm2');
		await app.waitFor(s => /chat:K01:messages +2 +\+1/.test(s));
		expect(commits).toBeGreaterThan(before);

		await app.press('G');
		const screen = await app.waitFor(s => s.includes('chat:K29:messages'));
		expect(line(screen, 'chat:K29:messages')).toMatch(/chat:K29:messages +1 .* 1h59m/);
	});

	it('sends Redis nothing until the tab is first shown (a console left on the Status tab)', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1');
		const Tab = monitorTab.Component;
		const tab = (isVisible: boolean) => (
			<BackendsContext.Provider value={backends}>
				<Tab isActive={isVisible} isVisible={isVisible} width={80} height={12} />
			</BackendsContext.Provider>
		);
		const app = render(tab(false));
		// POLL_INTERVAL_MS is 250: four intervals hidden, not one count, not one SCAN
		await settle(1000);
		expect(await pttlCalls()).toBe(0);
		expect(/cmdstat_scan:/.test(await writer.info('commandstats'))).toBe(false);
		app.rerender(tab(true));
		await app.waitFor(s => /chat:A:messages +1/.test(s));
		expect(await pttlCalls()).toBeGreaterThan(0);
	});

	it('drops columns instead of wrapping on a narrow pane', () => {
		expect(columnsFor(80).map(c => c.key)).toEqual(['key', 'new', 'count', 'delta', 'rate', 'ttl', 'spark']);
		// 40 columns: the TTL goes before the key is cut below a whole chat:CODE:messages
		expect(columnsFor(40).map(c => c.key)).toEqual(['key', 'new', 'count', 'delta']);
		expect(columnsFor(30).map(c => c.key)).toEqual(['key', 'new', 'count', 'delta']);
	});
});
