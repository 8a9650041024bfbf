// Issue 16, point 2: nothing stale on screen. A message in the bottom bar carries its time and
// fades (information after ten seconds; an error stays until the next key); the Status header and
// its cards come from one poll, and what a reconnect said does not outlive the state it reported.
import path from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedis} from '../helpers/redis-server.js';
import {render, settle, stripAnsi} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

const open: Backends[] = [];
let temp: TempSqlite | undefined;

afterEach(async () => {
	vi.useRealTimers();
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
	temp?.cleanup();
	temp = undefined;
});

/** The bottom line of the frame (the bar, or the message in its place). */
const bar = (screen: string) => screen.split('\n').filter(line => line.trim()).at(-1) ?? '';

/** How far (in seconds) a shown HH:MM:SS is from the clock now. */
function secondsAgo(shown: string): number {
	const [h, m, sec] = shown.split(':').map(Number) as [number, number, number];
	const now = new Date();
	const diff = (now.getHours() * 3600 + now.getMinutes() * 60 + now.getSeconds()) - (h * 3600 + m * 60 + sec);
	return (diff + 86_400) % 86_400;
}

describe('messages in the bottom bar', () => {
	it('carry their time; information fades after ten seconds; an error stays until the next key', async () => {
		// the clock moves with real time too: Ink and the file system keep working
		vi.useFakeTimers({shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date']});
		temp = tempSqlite({seed: false});
		const config = loadConfig({
			env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: temp.path, BACKUP_DIR: path.join(temp.dir, 'backups'), POLL_INTERVAL_MS: '250'},
			flags: {auditLog: path.join(temp.dir, 'audit.log')},
			cwd: temp.dir,
		});
		const backends = createBackends(config);
		open.push(backends);
		const app = render(<App backends={backends} startOnMount={false} initialTab={3} />);
		await app.waitFor('no backups yet');
		await settle(50);

		await app.press('r');
		const info = bar(await app.waitFor('refreshed the backup list'));
		expect(info).toMatch(/^\d\d:\d\d:\d\d refreshed the backup list/);
		expect(secondsAgo(info.slice(0, 8))).toBeLessThan(5);
		vi.advanceTimersByTime(9000);
		await settle(50);
		expect(app.screen()).toContain('refreshed the backup list');
		vi.advanceTimersByTime(1500);
		await app.waitFor(s => !s.includes('refreshed the backup list') && /n new backup/.test(bar(s)));

		// no data file: the backup fails, and the error waits for the operator
		await app.press('n');
		const error = bar(await app.waitFor('backup failed'));
		expect(error).toMatch(/^\d\d:\d\d:\d\d backup failed: no SQLite data file/);
		vi.advanceTimersByTime(60_000);
		await settle(100);
		expect(app.screen()).toContain('backup failed');
		await app.press('j');
		await app.waitFor(s => !s.includes('backup failed') && /n new backup/.test(bar(s)));
	});
});

describe('Status: one poll for the header and the cards', () => {
	it('a Redis restart: the verdict and the Redis card agree in every frame; a reconnect that found it down fades once it is back', async () => {
		vi.useFakeTimers({shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date']});
		const redis = await startRedis();
		temp = tempSqlite();
		try {
			const config = loadConfig({
				env: {REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: temp.path, OPSDECK_AUDIT_LOG: path.join(temp.dir, 'audit.log'), POLL_INTERVAL_MS: '250'},
				cwd: temp.dir,
			});
			const backends = createBackends(config);
			open.push(backends);
			await startBackends(backends);
			const app = render(<App backends={backends} startOnMount={false} />);
			await app.waitFor(s => s.includes('HEALTHY') && /Redis {2}up/.test(s), 10_000);
			await redis.kill();
			await app.waitFor(s => /DEGRADED +redis down/.test(s) && /Redis {2}DOWN/.test(s), 10_000);
			await settle(50);
			await app.press('R');
			await app.waitFor(/Redis: still down: /, 10_000);
			await redis.restart();
			const back = await app.waitFor(s => s.includes('HEALTHY') && /Redis {2}up/.test(s), 15_000);
			// within ten seconds of the reconnect: said with its time, under the verdict of now
			expect(bar(back)).toMatch(/^\d\d:\d\d:\d\d Redis: still down: /);
			vi.advanceTimersByTime(10_500);
			await app.waitFor(s => !s.includes('still down') && s.includes('HEALTHY'));

			for (const raw of app.frames) {
				const frame = stripAnsi(raw);
				expect(frame.includes('HEALTHY') && /Redis {2}DOWN/.test(frame), frame).toBe(false);
				expect(/redis down/.test(frame) && /Redis {2}up/.test(frame), frame).toBe(false);
			}
		} finally {
			await redis.stop();
		}
	});
});
