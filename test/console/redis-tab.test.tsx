// Issue 22, phase 2: the Redis tab in the console frame, on a private redis-server: the figures,
// the slow log drawn escaped, a client killed by typing its id (a wrong word and Esc do nothing,
// read-only refuses, opsdeck's own refused, every refusal audited), memory by prefix, a 40x10 pane.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import stringWidth from 'string-width';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {App, tabs} from '../../source/console/app.js';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, stripAnsi} from '../helpers/render.js';

let server: RedisServerHandle;
let writer: Redis;
let cwd: string;
let backends: Backends | undefined;
const extra: Redis[] = [];
const redisKey = String(tabs.findIndex(t => t.id === 'redis') + 1);

beforeAll(async () => {
	server = await startRedis();
	writer = new Redis(server.url);
});

afterAll(async () => {
	writer.disconnect();
	await server.stop();
});

beforeEach(async () => {
	await writer.flushall();
	await writer.call('SLOWLOG', 'RESET');
	await writer.config('SET', 'slowlog-log-slower-than', '10000');
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-redis-tab-'));
});

afterEach(async () => {
	for (const client of extra.splice(0)) client.disconnect();
	if (backends) await closeBackends(backends);
	backends = undefined;
	fs.rmSync(cwd, {recursive: true, force: true});
});

const auditLog = () => path.join(cwd, 'audit.log');
const audit = () => (fs.existsSync(auditLog()) ? fs.readFileSync(auditLog(), 'utf8') : '');

async function start(env: Record<string, string> = {}, pane?: {columns: number; rows: number}) {
	const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: path.join(cwd, 'x.db'), POLL_INTERVAL_MS: '250', ...env}, flags: {auditLog: auditLog()}, cwd});
	backends = createBackends(config);
	await backends.redis.ready();
	const app = render(<App backends={backends} startOnMount={false} />);
	if (pane) {
		Object.defineProperty(app.stdout, 'columns', {value: pane.columns, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {value: pane.rows, configurable: true});
		app.stdout.emit('resize');
	}
	await app.waitFor('Status');
	await app.press(redisKey);
	return app;
}

async function victim(name = 'victim'): Promise<{client: Redis; id: number}> {
	const client = new Redis(server.url);
	client.on('error', () => undefined);
	extra.push(client);
	await client.call('CLIENT', 'SETNAME', name);
	return {client, id: Number(await client.call('CLIENT', 'ID'))};
}

const names = async () => String(await writer.call('CLIENT', 'LIST'));

describe('Redis tab', () => {
	it(`${redisKey} selects it and shows the figures of the server, with rates from the next poll`, async () => {
		const app = await start();
		const screen = await app.waitFor(/ops\/s +\d/);
		expect(screen).toContain(`${redisKey} Redis`);
		expect(screen).toContain(`127.0.0.1:${server.port}  master`);
		expect(screen).toMatch(/memory +[\d.]+ \w+ used, peak/);
		expect(screen).toMatch(/evicted +0 keys/);
	});

	it('s lists the slow log newest first with a hostile argument drawn escaped', async () => {
		await writer.config('SET', 'slowlog-log-slower-than', '0');
		await writer.set('evil\u001b]0;owned\u0007key', 'v');
		await writer.config('SET', 'slowlog-log-slower-than', '10000');
		const app = await start();
		await app.press('s');
		const screen = await app.waitFor(/set evil/);
		expect(screen).toContain('set evil\\x1b]0;owned\\x07key v');
		expect(app.lastFrame()).not.toContain('\u001b]0;owned');
		// newest first: the CONFIG SET that turned logging off is above the SET
		const lines = screen.split('\n');
		expect(lines.findIndex(l => /config set slowlog-log-slower-than 10000/.test(l))).toBeLessThan(lines.findIndex(l => l.includes('set evil')));
	});

	it('R empties the slow log after the word is typed (audited)', async () => {
		await writer.config('SET', 'slowlog-log-slower-than', '0');
		await writer.set('logged', '1');
		const app = await start();
		await app.press('s');
		await app.waitFor(/set logged 1/);
		await app.press('R');
		await app.waitFor('Type reset and press Enter');
		await app.type('reset');
		await app.press(keys.enter);
		await app.waitFor(/slow log emptied \(\d+ entries\)/);
		await writer.config('SET', 'slowlog-log-slower-than', '10000');
		// what is logged after the reset: the CONFIG SET, and nothing before it
		expect(String(await writer.call('SLOWLOG', 'GET', '128'))).not.toContain('logged');
		expect(audit()).toMatch(/slowlog-reset.*"result":"ok"/);
	});

	it('the Status card shows the evictions of a full server', async () => {
		await writer.config('SET', 'maxmemory', '3mb');
		await writer.config('SET', 'maxmemory-policy', 'allkeys-random');
		try {
			const pipe = writer.pipeline();
			for (let i = 0; i < 3000; i++) pipe.set(`fill:${i}`, 'x'.repeat(2000));
			await pipe.exec();
			const evicted = Number(/evicted_keys:(\d+)/.exec(await writer.info('stats'))?.[1]);
			expect(evicted).toBeGreaterThan(0);
			const config = loadConfig({env: {REDIS_URL: server.url, DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: path.join(cwd, 'x.db'), POLL_INTERVAL_MS: '250'}, flags: {auditLog: auditLog()}, cwd});
			backends = createBackends(config);
			await backends.redis.ready();
			const app = render(<App backends={backends} startOnMount={false} />);
			const card = await app.waitFor(/clients +\d+ +evicted [1-9][\d,]* \(\d+(\.\d)?\/s\)/, 10_000);
			const shown = Number(/evicted ([\d,]+)/.exec(card)![1]!.replaceAll(',', ''));
			// (the health check sums INFO itself; as many as the server said, or more if it evicted since)
			expect(shown).toBeGreaterThanOrEqual(evicted);
		} finally {
			await writer.config('SET', 'maxmemory', '0');
		}
	});

	it('c lists a named client; k asks for its id: a wrong word and Esc do nothing, the id kills it (audited)', async () => {
		const {id} = await victim();
		// the longest idle comes first: the victim, idle for a second while everything else works
		await settle(1100);
		await writer.ping();
		const app = await start();
		await app.press('c');
		const list = await app.waitFor(/ victim /);
		expect(list.split('\n').find(l => /^ +\d+ /.test(l))).toMatch(new RegExp(`^ +${id} +victim `));
		await app.press('k');
		await app.waitFor(`Type ${id} and press Enter`);
		await app.type('kill');
		await app.press(keys.enter);
		await app.waitFor(`not "${id}". Nothing was done`);
		await app.press(keys.escape);
		await app.waitFor('cancelled: nothing was done');
		expect(await names()).toContain('name=victim');
		await app.press('k');
		await app.waitFor(`Type ${id} and press Enter`);
		await app.type(String(id));
		await app.press(keys.enter);
		await app.waitFor(`killed client ${id}`);
		expect(await names()).not.toContain('name=victim');
		const log = audit();
		expect(log).toMatch(/client-kill.*refused.*wrong confirmation word/);
		expect(log).toMatch(/client-kill.*refused.*cancelled \(Esc\)/);
		expect(log).toMatch(new RegExp(`CLIENT KILL ID ${id} .*"result":"ok"`));
	});

	// Found by the hostile tester: any client NAMED opsdeck (another person's console, or a hostile
	// client naming itself so) was marked (own) and could not be killed
	it('a client that only calls itself opsdeck is not ours: unmarked, and k kills it through the dialog', async () => {
		const {id} = await victim('opsdeck');
		await settle(1100);
		await writer.ping();
		const app = await start();
		await app.press('c');
		const list = await app.waitFor(new RegExp(`^ +${id} +opsdeck `, 'm'));
		expect(list.split('\n').find(l => new RegExp(`^ +${id} `).test(l))).not.toContain('(own)');
		// ours are still marked
		expect(list).toMatch(/opsdeck \(own\)/);
		await app.press('k');
		await app.waitFor(`Type ${id} and press Enter`);
		await app.type(String(id));
		await app.press(keys.enter);
		await app.waitFor(`killed client ${id}`);
		expect(await names()).not.toContain(`id=${id} `);
	});

	it('read-only refuses a kill without a dialog, audited', async () => {
		const {id} = await victim();
		await settle(1100);
		await writer.ping();
		const app = await start({OPSDECK_READ_ONLY: '1'});
		await app.press('c');
		await app.waitFor(/ victim /);
		await app.press('k');
		await app.waitFor('read-only mode');
		expect(app.screen()).not.toContain('and press Enter');
		expect(await names()).toContain('name=victim');
		expect(audit()).toMatch(new RegExp(`client-kill.*CLIENT KILL ID ${id} .*refused`));
	});

	it("opsdeck's own connections are marked and refused", async () => {
		// no other client than opsdeck's own (the writer leaves for this test)
		writer.disconnect();
		try {
			const app = await start();
			await app.press('c');
			const list = await app.waitFor(/opsdeck \(own\)/);
			expect(list).toMatch(/\d+ clients on .*\(\d+ opsdeck's own/);
			await app.press('k');
			await app.waitFor("opsdeck's own connections");
			expect(app.screen()).not.toContain('and press Enter');
			expect(audit()).toMatch(/client-kill.*refused/);
		} finally {
			writer = new Redis(server.url);
		}
	});

	it('p scans memory by prefix: the biggest prefix first, the biggest key beside it', async () => {
		const pipe = writer.pipeline();
		for (let i = 0; i < 300; i++) pipe.set(`user:${i % 3}:${i}`, 'x'.repeat(1000));
		for (let i = 0; i < 20; i++) pipe.set(`small:${i}`, 'y');
		pipe.set('evil\u001b[2J:x', 'v');
		pipe.hset('big:hash', Object.fromEntries(Array.from({length: 2000}, (_, i) => [`f${i}`, 'z'.repeat(100)])));
		await pipe.exec();
		const app = await start();
		await app.press('p');
		const screen = await app.waitFor(/scanned 322\/322 keys/, 10_000);
		const rows = screen.split('\n').filter(l => /^[+ -] \S+:/.test(l));
		expect(rows[0], screen).toMatch(/^\+ user: +[\d.]+ KB/);
		expect(screen).toMatch(/biggest keys/);
		expect(screen).toMatch(/hash +2,000 fields big:hash/);
		// and by element count (redis-cli --bigkeys' answer) under it
		expect(screen).toMatch(/by elements *\n[^\n]*hash +2,000 fields big:hash/);
		// a hostile prefix drawn escaped
		expect(screen).toContain('evil\\x1b[2J:');
		expect(app.lastFrame()).not.toContain('\u001b[2J');
		// Enter opens the highlighted prefix (the top one): its children under it, indented
		await app.press(keys.enter);
		const opened = await app.waitFor(/^ {4}user:0: +10\d(\.\d)? KB/m);
		expect(opened).toMatch(/^- user:/m);
	});

	it('the figures at 40x10 scroll to every line (j, PgDn, G; a mark says more is below); a long one goes on under its value, never at column 0 (hostile defect W3)', async () => {
		const app = await start({}, {columns: 40, rows: 10});
		const top = await app.waitFor(/lines 1-\d+ of \d+, more below/, 10_000);
		expect(top).not.toMatch(/persistence/);
		await app.press('j');
		await app.waitFor(/lines 2-\d+ of \d+, more above and below/);
		await app.press(keys.pageDown, 'G');
		const bottom = await app.waitFor(/^ {2}persistence +last save/m);
		expect(bottom).toMatch(/more above$/m);
		// k back up to the top: every figure passes by
		let seen = bottom;
		for (let i = 0; i < 20 && !/lines 1-/.test(app.screen()); i++) {
			await app.press('k');
			seen += `\n${app.screen()}`;
		}
		for (const label of ['ops/s', 'hit ratio', 'clients', 'replication', 'memory']) expect(seen).toContain(label);
		// every line of the figures starts indented (the server's name line aside): no continuation at column 0
		await app.press('g');
		const lines = (await app.waitFor(/lines 1-/)).split('\n');
		const body = lines.slice(lines.findIndex(line => line.includes(`127.0.0.1:${server.port}`)) + 1, -2);
		for (const line of body) expect(line, line).toMatch(/^ {2}/);
		expect(lines.join('\n')).toMatch(/^ {2}memory +[\d.]+ \w+ used,/m);
	});

	it('at 80x24 the memory line\'s fragmentation stays with its figure, under the value column', async () => {
		const app = await start({}, {columns: 80, rows: 24});
		const screen = await app.waitFor(/ops\/s +\d/, 10_000);
		expect(screen).toMatch(/fragmentation [\d.]+/);
		for (const line of screen.split('\n').slice(2, -1)) if (line.trim()) expect(line, line).toMatch(/^(127\.0\.0\.1| {2})/);
	});

	it('at 40x10 no line is wider than the pane, in every view', async () => {
		await victim('a-client-with-a-rather-long-name-for-forty-columns');
		const app = await start({}, {columns: 40, rows: 10});
		const check = async (match: RegExp) => {
			await app.waitFor(match, 10_000);
			await settle(50);
			const lines = stripAnsi(app.lastFrame() ?? '').split('\n');
			expect(lines.length).toBeLessThanOrEqual(9);
			for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
		};
		await check(/memory/);
		await app.press('s');
		await check(/slow log/);
		await app.press('c');
		await check(/a-client/);
		await app.press('L');
		await check(/latency/);
		await app.press('p');
		await check(/scanned/);
	});
});
