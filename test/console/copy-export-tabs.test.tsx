// `y` and `E` beyond the Keys tab, on a private redis-server: the Monitor's export holds the rows
// the Monitor shows (its key and count columns as on screen), and `y` in the Redis tab's slow log
// copies the highlighted command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App, tabs} from '../../source/console/app.js';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {parseCsv} from '../helpers/csv.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle} from '../helpers/render.js';

let server: RedisServerHandle;
let writer: Redis;
let cwd: string;
let backends: Backends | undefined;

beforeAll(async () => {
	server = await startRedis();
	writer = new Redis(server.url);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-copy-export-tabs-'));
});

afterEach(async () => {
	if (backends) await closeBackends(backends);
	backends = undefined;
});

afterAll(async () => {
	writer.disconnect();
	await server.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

async function start(tab: string) {
	const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: path.join(cwd, 'x.db'), POLL_INTERVAL_MS: '250', CLIPBOARD: 'osc52', EXPORT_DIR: cwd, XDG_STATE_HOME: path.join(cwd, 'state')}, flags: {auditLog: path.join(cwd, 'audit.log')}, cwd});
	backends = createBackends(config);
	await backends.redis.ready();
	return render(<App backends={backends} initialTab={tabs.findIndex(t => t.id === tab)} startOnMount={false} />);
}

describe('copy and export on the other tabs', () => {
	it('Monitor: E writes the rows shown, key and count as on screen, space paused', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1', 2, 'a2');
		await writer.zadd('chat:B:messages', 1, 'b1');
		const app = await start('monitor');
		await app.waitFor(s => /chat:A:messages +2/.test(s) && /chat:B:messages +1/.test(s));
		// paused: what is exported is what stays on screen
		await app.press(keys.space);
		await app.waitFor('PAUSED');
		const shown = app.screen().split('\n').filter(line => line.startsWith('chat:')).map(line => line.split(/ +/).slice(0, 2));
		await app.press('E');
		await app.waitFor('export to:');
		await settle(100);
		await app.press(keys.enter);
		await app.waitFor('(2 monitor, CSV)');
		const file = fs.readdirSync(cwd).find(name => name.startsWith('opsdeck-monitor-'))!;
		const rows = parseCsv(fs.readFileSync(path.join(cwd, file), 'utf8'));
		// (a title starting with + is defused like any cell)
		expect(rows[0]).toEqual(['key', 'NEW', 'count', "'+/-", 'rate', 'TTL', 'WATCH']);
		expect(rows.slice(1).map(r => [r[0], r[2]])).toEqual(shown);
		expect(rows.slice(1).map(r => r[6])).toEqual(['chat:*:messages', 'chat:*:messages']);
	});

	it('Redis slow log: y copies the highlighted command', async () => {
		await writer.call('SLOWLOG', 'RESET');
		await writer.config('SET', 'slowlog-log-slower-than', '0');
		await writer.set('slow:key', 'v');
		await writer.config('SET', 'slowlog-log-slower-than', '10000');
		const app = await start('redis');
		await app.waitFor('used');
		await app.press('s');
		await app.waitFor(/SET slow:key v/i);
		// newest first: the SET, unless a CONFIG SET around it was logged after it
		for (let row = 0; row < 3; row++) {
			await app.press('y');
			const screen = await app.waitFor('copied command');
			if (/copied command SET slow:key v/i.test(screen)) break;
			await app.press('j');
		}
		expect(app.screen()).toMatch(/copied command SET slow:key v/i);
		const copied = app.frames.filter(frame => frame.includes('\u001b]52;')).at(-1)!;
		expect(Buffer.from(/52;c;([A-Za-z0-9+/=]+)/.exec(copied)![1]!, 'base64').toString('utf8')).toMatch(/^SET slow:key v$/i);
	});
});
