// Issue 16, point 1: the highlighted row is the one acted on. The cursor follows the item (backup
// name, watched key, Redis key) while rows appear above it, the list re-sorts or is read again;
// x, Enter and restore act on exactly the highlighted item.
import fs from 'node:fs';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {createBackup} from '../../source/backups/backups.js';
import {tempDir, testBackends} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

// colours on (before chalk is loaded with Ink): the highlighted row is the one drawn inverse
vi.hoisted(() => {
	process.env.FORCE_COLOR = '1';
});

const open: Backends[] = [];
const servers: RedisServerHandle[] = [];
let temp: TempSqlite | undefined;

afterEach(async () => {
	while (open.length > 0) await closeBackends(open.pop()!);
	while (servers.length > 0) await servers.pop()!.stop();
	temp?.cleanup();
	temp = undefined;
});

/** The highlighted row of the last frame (Ink draws it inverse, as the tab bar's active tab), without its colour codes. */
function highlighted(app: Rendered): string | undefined {
	const line = (app.lastFrame() ?? '').split('\n').slice(1).find(l => l.includes('\u001b[7m'));
	return line?.replace(/\u001b\[[0-9;]*m/g, '').trim();
}

/** Names of backups in the table, top to bottom. */
const backupNames = (screen: string) => [...screen.matchAll(/^(manual_\S+\.db) /gm)].map(m => m[1]!);

describe('Backups list by identity', () => {
	it('a backup taken above the highlighted one: x and Enter still act on the highlighted one', async () => {
		temp = tempSqlite({messages: 5});
		const config = loadConfig({
			env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: temp.path, BACKUP_DIR: path.join(temp.dir, 'backups'), POLL_INTERVAL_MS: '250'},
			flags: {auditLog: path.join(temp.dir, 'audit.log')},
			cwd: temp.dir,
		});
		for (let i = 0; i < 3; i++) await createBackup(config);
		const app = render(<App backends={createBackends(config)} startOnMount={false} initialTab={3} />);
		const before = backupNames(await app.waitFor(s => backupNames(s).length === 3));
		await settle(50);
		await app.press('j');
		const target = before[1]!;
		await app.waitFor(() => highlighted(app)?.startsWith(target) === true);

		// a new backup (newest first: it goes above every row)
		const fresh = await createBackup(config);
		const after = backupNames(await app.waitFor(s => backupNames(s).length === 4));
		expect(after[0]).toBe(fresh.name);
		// the row under the cursor moved down one; the cursor went with it
		expect(after[2]).toBe(target);
		expect(highlighted(app)).toMatch(new RegExp(`^${target.replace(/\./g, '\\.')} `));

		await app.press('x');
		await app.waitFor(`Delete ${target}`);
		await app.press(keys.escape);
		await app.waitFor('cancelled: nothing was done');
		await app.press(keys.enter);
		await app.waitFor(`Restore ${target}`, 15_000);
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('Type restore'));
		for (const name of after) expect(fs.existsSync(path.join(config.backupDir, name))).toBe(true);
	});
});

describe('Monitor rows by identity', () => {
	it('a key that starts to match above the highlighted row: x removes the highlighted row\'s watch', async () => {
		const server = await startRedis();
		servers.push(server);
		const writer = new Redis(server.url);
		try {
			await writer.set('k:m', '1');
			await writer.set('k:p', '1');
			const cwd = tempDir('opsdeck-monitor-cursor-');
			fs.writeFileSync(path.join(cwd, 'opsdeck.config.json'), JSON.stringify({watches: ['k:m', 'k:p', 'a:*']}));
			const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: 'postgres://127.0.0.1:1/x', POLL_INTERVAL_MS: '250', XDG_STATE_HOME: path.join(cwd, 'state')}, cwd});
			const backends = createBackends(config);
			open.push(backends);
			await backends.redis.ready();
			const app = render(<App backends={backends} initialTab={2} startOnMount={false} />);
			await app.waitFor(s => /^k:m +1/m.test(s) && /^k:p +1/m.test(s));
			await settle(50);
			await app.press('j');
			await app.waitFor(() => highlighted(app)?.startsWith('k:p') === true);

			await writer.set('a:new', '1');
			await app.waitFor(s => /^a:new +(new +)?1/m.test(s), 10_000);
			expect(highlighted(app)).toMatch(/^k:p /);
			await app.press('x');
			await app.waitFor('removed watch k:p');
			await app.waitFor(s => !/^k:p /m.test(s));
			expect(app.screen()).toMatch(/^k:m +1/m);
			expect(app.screen()).toMatch(/^a:new +(new +)?1/m);
		} finally {
			writer.disconnect();
		}
	});
});

describe('Keys list by identity', () => {
	it('Redis restarted with other keys: the list scans again by itself, the highlight stays on its key, Enter opens it', async () => {
		const server = await startRedis();
		servers.push(server);
		const writer = new Redis(server.url, {maxRetriesPerRequest: 1});
		writer.on('error', () => undefined);
		try {
			for (let i = 10; i < 20; i++) await writer.set(`k:${i}`, `value of k:${i}`);
			const backends = testBackends(server.url);
			open.push(backends);
			const app = render(<App backends={backends} initialTab={1} />);
			await app.waitFor(s => s.includes('10 keys') && s.includes('done'));
			await settle(50);
			await app.press('j', 'j', 'j');
			await app.waitFor(() => highlighted(app)?.startsWith('k:13') === true);

			// the server comes back with other keys (some that sort before the highlighted one, some
			// gone): saved to its dump file, which the restart loads
			const pad = (i: number) => `k:${String(i).padStart(2, '0')}`;
			await writer.del(...[15, 16, 17, 18, 19].map(pad));
			for (const i of [0, 1, 2, 3, 4, 5]) await writer.set(pad(i), `value of ${pad(i)}`);
			await writer.save();
			await server.restart();
			await app.waitFor(s => s.includes('11 keys') && s.includes('done') && s.includes('k:00'), 15_000);
			expect(highlighted(app)).toMatch(/^k:13(\s|$)/);
			await app.press(keys.enter);
			await app.waitFor('value of k:13');
		} finally {
			writer.disconnect();
		}
	});
});
