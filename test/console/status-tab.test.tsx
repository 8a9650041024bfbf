// The Status tab in the console frame, on real servers: a private redis-server (killed and
// restarted), the local PostgreSQL, a real SQLite file. Keys are pressed as an operator would.
import fs from 'node:fs';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startLocalServer, type LocalServer} from '../helpers/health-env.js';

let redis: RedisServerHandle;
let sqlite: TempSqlite;
let hook: LocalServer;
let db0: Redis;
let db1: Redis;
const open: Backends[] = [];

beforeAll(async () => {
	[redis, hook] = await Promise.all([startRedis(), startLocalServer()]);
	sqlite = tempSqlite();
	db0 = new Redis(redis.url);
	db1 = new Redis(`redis://127.0.0.1:${redis.port}/1`);
	// these clients see the kills too: without a listener ioredis prints "Unhandled error event"
	db0.on('error', () => undefined);
	db1.on('error', () => undefined);
});

afterAll(async () => {
	db0.disconnect();
	db1.disconnect();
	await Promise.all([redis.stop(), hook.close()]);
	sqlite.cleanup();
});

beforeEach(async () => {
	await db0.flushall();
	await db0.mset('chat:a:messages', '1', 'chat:b:messages', '2', 'k', '3');
	await db1.set('survivor', 'yes');
	hook.bodies.length = 0;
});

afterEach(async () => {
	vi.useRealTimers();
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
});

async function console_(env: Record<string, string> = {}) {
	const config = loadConfig({
		env: {REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'), ...env},
		cwd: sqlite.dir,
	});
	const backends = createBackends(config);
	open.push(backends);
	await startBackends(backends);
	return render(<App backends={backends} startOnMount={false} />);
}

const redisUp = /Redis {2}up/;
const redisDown = /Redis {2}DOWN/;

describe('Status tab', () => {
	it('shows both stores up with their values and a healthy verdict', async () => {
		const app = await console_();
		const screen = await app.waitFor(s => /PostgreSQL {2}up/.test(s) && redisUp.test(s), 10_000);
		expect(screen).toMatch(/HEALTHY/);
		expect(screen).toMatch(/keys db0 +3/);
		expect(screen).toMatch(/conns +\d+ \/ \d+/);
		expect(screen).toMatch(/SQLite {2}up/);
		expect(screen).toContain('journal wal');
	});

	it('a killed Redis shows down within 3 s, and up again after a restart, with no key pressed', async () => {
		const app = await console_();
		await app.waitFor(redisUp, 10_000);
		await redis.kill();
		try {
			const down = await app.waitFor(redisDown, 3000);
			expect(down).toMatch(/DEGRADED +redis down/);
		} finally {
			await redis.restart();
		}
		const up = await app.waitFor(s => redisUp.test(s) && s.includes('HEALTHY'), 10_000);
		expect(up).toMatch(/reconnects +1/);
	});

	it('keeps polling on another tab: the verdict change reaches the webhook', async () => {
		const app = await console_({ALERT_WEBHOOK_URL: `http://127.0.0.1:${hook.port}/hook`});
		await app.waitFor(redisUp, 10_000);
		await settle(50);
		await app.press('2');
		await app.waitFor(s => !redisUp.test(s));
		await redis.kill();
		try {
			await vi.waitFor(() => expect(hook.bodies.length).toBeGreaterThanOrEqual(1), {timeout: 5000});
		} finally {
			await redis.restart();
		}
		expect(JSON.parse(hook.bodies[0]!)).toMatchObject({previous: 'healthy', verdict: 'degraded'});
		await vi.waitFor(() => expect(hook.bodies.length).toBe(2), {timeout: 10_000});
		expect(JSON.parse(hook.bodies[1]!)).toMatchObject({previous: 'degraded', verdict: 'healthy'});
	});

	it('without a webhook, polls nothing while another tab is shown, and polls again at once when back', async () => {
		const infoCalls = async () => Number(/cmdstat_info:calls=(\d+)/.exec(await db0.info('commandstats'))?.[1] ?? 0);
		const app = await console_({POLL_INTERVAL_MS: '250'});
		await app.waitFor(redisUp, 10_000);
		await app.press('4');
		await app.waitFor(s => !redisUp.test(s));
		await settle(300);
		const hidden = await infoCalls();
		await settle(1200); // nearly five intervals on the Backups tab
		expect(await infoCalls() - hidden).toBeLessThanOrEqual(1); // (this test's own INFO)
		await app.press('1');
		await app.waitFor(redisUp, 5000);
		await vi.waitFor(async () => expect(await infoCalls()).toBeGreaterThan(hidden + 1), {timeout: 3000});
	});

	it('R reconnects Redis and says how long it took', async () => {
		const app = await console_();
		await app.waitFor(redisUp, 10_000);
		await settle(50);
		await app.press('R');
		await app.waitFor(/Redis: reconnected in \d+ ms/, 5000);
		await app.press('P');
		await app.waitFor(/PostgreSQL: reconnected in \d+ ms/, 5000);
	});
});

describe('Status tab: F flush behind the confirm dialog', () => {
	// A frame is drawn before React runs the effects that attach its key handlers: a key pressed
	// the same instant it appears would be lost (no person types that fast), so give it a beat.
	async function openDialog(app: Awaited<ReturnType<typeof console_>>) {
		await app.waitFor(redisUp, 10_000);
		await settle(50);
		await app.press('F');
		const screen = await app.waitFor(`FLUSHDB on ${redis.url}: 3 keys in db 0`, 5000);
		await settle(50);
		return screen;
	}

	it('a wrong word does nothing; Esc cancels; the right word flushes the configured db only', async () => {
		const app = await console_();
		const dialog = await openDialog(app);
		expect(dialog).toContain('Type flush and press Enter');
		expect(dialog).toMatch(/cancels by itself in 30s/);
		await app.type('flash');
		await app.press(keys.enter);
		await app.waitFor('That is not "flush". Nothing was done.');
		expect(await db0.dbsize()).toBe(3);
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('Type flush') && s.includes('flush cancelled'));
		expect(await db0.dbsize()).toBe(3);
		await openDialog(app);
		await app.type('flush');
		await app.press(keys.enter);
		await app.waitFor(`Redis: flushed 3 keys from ${redis.url} (db 0)`, 5000);
		expect(await db0.dbsize()).toBe(0);
		expect(await db1.get('survivor')).toBe('yes');
		await app.waitFor(/keys db0 +0/, 5000);
	});

	it('cancels by itself after 30 s, nothing flushed', async () => {
		// fake clock that also moves with real time: the servers and Ink keep working
		vi.useFakeTimers({shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date']});
		const app = await console_();
		await openDialog(app);
		vi.advanceTimersByTime(20_000);
		await app.waitFor(/cancels by itself in (10|9)s/);
		expect(app.screen()).toContain('Type flush');
		vi.advanceTimersByTime(10_000);
		await app.waitFor('flush cancelled: not confirmed within 30 s');
		expect(app.screen()).not.toContain('Type flush');
		expect(await db0.dbsize()).toBe(3);
	});

	it('read-only: refused with a message, no dialog, nothing flushed', async () => {
		const app = await console_({OPSDECK_READ_ONLY: '1'});
		await app.waitFor(redisUp, 10_000);
		await settle(50);
		await app.press('F');
		await app.waitFor('read-only mode: flush refused');
		expect(app.screen()).not.toContain('Type flush');
		expect(await db0.dbsize()).toBe(3);
		expect(fs.readFileSync(path.join(sqlite.dir, 'audit.log'), 'utf8')).toMatch(/"result":"refused"/);
	});
});
