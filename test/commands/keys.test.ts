// keys, inspect and stats as one-shot commands (the built CLI, no TTY).
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/chat-fixtures.js';

let server: RedisServerHandle;
let direct: Redis;
let cwd: string;

const evilKey = 'evil\u001b]0;pwned\u0007\u001b[2J';
const linkValue = 'see \u001b]8;;https://evil.example/\u001b\\here\u001b]8;;\u001b\\';

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	const p = direct.pipeline();
	for (let i = 0; i < 3000; i++) p.set(`s:${i}`, 'v');
	for (let i = 0; i < 500; i++) p.hset(`h:${i}`, 'f', 'v');
	await p.exec();
	await direct.set(evilKey, 'x');
	await direct.hset('linky', 'field', linkValue);
	await direct.zadd('chat:AB12:messages', 1_764_000_000_000, JSON.stringify({id: 'm1', chat_code: 'AB12', username: 'ann', content: 'hi'}), 1_764_000_000_500, JSON.stringify({id: 'm2', chat_code: 'AB12', username: 'bob', content: 'yo'}));
	await direct.zadd('chat:AB12:pinned', 1_764_000_000_000, JSON.stringify({id: 'm1'}));
	await direct.hset('chat:AB12:reactions:m1', 'thumbs', '4');
	await direct.zadd('chat:CD34:messages', 1, JSON.stringify({id: 'm3'}));
	cwd = tempDir();
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

const cli = (...args: string[]) => runCli([...args, '--redis-url', server.url, '--audit-log', path.join(cwd, 'audit.log')], {cwd});

function noRawEscape(text: string): boolean {
	return !text.includes('\u001b') && !text.includes('\u0007');
}

describe('opsdeck keys', () => {
	it('lists exactly the keys matching a pattern, one a line', async () => {
		const r = await cli('keys', 'h:*');
		expect(r.code).toBe(0);
		const lines = r.stdout.trim().split('\n');
		expect(lines).toHaveLength(500);
		expect(new Set(lines).size).toBe(500);
		expect(lines.every(l => l.startsWith('h:'))).toBe(true);
	});

	it('--type filters by type, --limit stops early, --json is one document', async () => {
		const r = await cli('keys', '--type', 'hash', '--json');
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout) as {keys: string[]; count: number; complete: boolean; dbsize: number};
		expect(doc.count).toBe(502);
		expect(doc.keys.filter(k => k.startsWith('h:'))).toHaveLength(500);
		expect(doc.keys).toContain('linky');
		expect(doc.complete).toBe(true);
		const limited = JSON.parse((await cli('keys', 's:*', '--limit', '7', '--json')).stdout) as {keys: string[]; count: number};
		expect(limited.keys).toHaveLength(7);
		expect(limited.count).toBe(7);
	});

	// issue 16, point 6: a pattern that matches nothing printed nothing at all (a typo looked like an empty db)
	it('a pattern that matches nothing says so on stderr, exit 0; --json stays one valid document', async () => {
		const r = await cli('keys', 'nomatch*');
		expect(r.code).toBe(0);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/^opsdeck: no keys match nomatch\* \(DBSIZE [\d,]+\)\n$/);
		const typed = await cli('keys', 's:*', '--type', 'hash');
		expect(typed.stderr).toMatch(/^opsdeck: no hash keys match s:\* \(DBSIZE [\d,]+\)\n$/);
		const json = await cli('keys', 'nomatch*', '--json');
		expect(json.code).toBe(0);
		expect(JSON.parse(json.stdout)).toMatchObject({pattern: 'nomatch*', keys: [], count: 0, complete: true});
		expect(json.stderr).toMatch(/^opsdeck: no keys match nomatch\*/);
		// a match prints no such line
		expect((await cli('keys', 'linky')).stderr).toBe('');
	});

	it('rejects a bad type with exit 2', async () => {
		const r = await cli('keys', '--type', 'bogus');
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('--type must be one of');
	});

	it('prints hostile key names escaped, never raw', async () => {
		const r = await cli('keys', 'evil*');
		expect(r.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J');
		expect(noRawEscape(r.stdout + r.stderr)).toBe(true);
		const json = await cli('keys', 'evil*', '--json');
		expect(noRawEscape(json.stdout)).toBe(true);
		expect((JSON.parse(json.stdout) as {keys: string[]}).keys).toEqual([evilKey]);
	});
});

describe('opsdeck inspect', () => {
	it('shows a sorted set with scores as dates, and the value with an OSC 8 link escaped', async () => {
		const z = await cli('inspect', 'chat:AB12:messages');
		expect(z.code).toBe(0);
		expect(z.stdout).toMatch(/type\s+zset/);
		expect(z.stdout).toContain('1764000000000 (2025-11-24 16:00:00Z)');
		const h = await cli('inspect', 'linky');
		expect(h.stdout).toContain('field = see \\x1b]8;;https://evil.example/');
		expect(noRawEscape(h.stdout)).toBe(true);
		const json = JSON.parse((await cli('inspect', 'linky', '--json')).stdout) as {type: string; total: number; items: {value: {text: string}}[]};
		expect(json.type).toBe('hash');
		expect(json.items[0]!.value.text).toBe(linkValue);
	});

	// issue 16, point 6: "size  1 fields"
	it('counts one of a thing in the singular', async () => {
		expect((await cli('inspect', 'chat:AB12:reactions:m1')).stdout).toMatch(/^size\s+1 field$/m);
		expect((await cli('inspect', 'chat:AB12:pinned')).stdout).toMatch(/^size\s+1 member$/m);
		expect((await cli('inspect', 'chat:AB12:messages')).stdout).toMatch(/^size\s+2 members$/m);
	});

	// issue 16, point 5: set members in SSCAN order, binary as one line of \xHH
	it('shows a set sorted and a binary string as a hexdump; --json keeps the sorted members', async () => {
		await direct.sadd('inspect:letters', 'c', 'a', 'B', 'b');
		await direct.set('inspect:blob', Buffer.concat([Buffer.from(Array.from({length: 18}, (_, i) => i)), Buffer.from('\u001b]0;x\u0007')]));
		try {
			const set = await cli('inspect', 'inspect:letters');
			expect(set.stdout).toMatch(/^size\s+4 members\n\nB\na\nb\nc\n$/m);
			const json = JSON.parse((await cli('inspect', 'inspect:letters', '--json')).stdout) as {items: {value: {text: string}}[]};
			expect(json.items.map(i => i.value.text)).toEqual(['B', 'a', 'b', 'c']);
			const blob = await cli('inspect', 'inspect:blob');
			expect(blob.stdout).toContain([
				'00000000: 0001 0203 0405 0607 0809 0a0b 0c0d 0e0f  ................',
				'00000010: 1011 1b5d 303b 7807                      ...]0;x.',
			].join('\n'));
			expect(noRawEscape(blob.stdout)).toBe(true);
		} finally {
			await direct.del('inspect:letters', 'inspect:blob');
		}
	});

	it('a missing key is exit 1 with one line', async () => {
		const r = await cli('inspect', 'no-such-key');
		expect(r.code).toBe(1);
		expect(r.stderr.trim()).toBe('opsdeck: no such key: no-such-key');
	});
});

describe('opsdeck keys: a long listing', () => {
	it('lists 40,000 keys whole, once each, in far fewer SCANs than one per 1,000 keys (COUNT grows from SCAN_COUNT)', async () => {
		const db = new Redis(server.url.replace(/\/0$/, '/3'));
		try {
			for (let start = 0; start < 40_000; start += 5000) {
				const p = db.pipeline();
				for (let i = start; i < start + 5000; i++) p.set(`long:${i}`, 'v');
				await p.exec();
			}
			const scans = async () => Number(/cmdstat_scan:calls=(\d+)/.exec(await db.info('commandstats'))?.[1] ?? 0);
			await db.config('RESETSTAT');
			const url = server.url.replace(/\/0$/, '/3');
			const r = await runCli(['keys', '--json', '--redis-url', url], {cwd});
			expect(r.code).toBe(0);
			const doc = JSON.parse(r.stdout) as {keys: string[]; count: number; complete: boolean; dbsize: number};
			expect(doc).toMatchObject({count: 40_000, complete: true, dbsize: 40_000});
			expect(new Set(doc.keys).size).toBe(40_000);
			expect(doc.keys.every(k => /^long:\d+$/.test(k))).toBe(true);
			// 1,000, 2,000, 4,000, then 8,000 a SCAN: about 8 (it was 40 at COUNT 1000)
			const whole = await scans();
			expect(whole).toBeGreaterThan(1);
			expect(whole).toBeLessThanOrEqual(12);
			// a --limit listing stays at COUNT 1000: the reply in hand and the one sent ahead
			await db.config('RESETSTAT');
			const limited = await runCli(['keys', '--limit', '5', '--json', '--redis-url', url], {cwd});
			expect(JSON.parse(limited.stdout)).toMatchObject({count: 5, complete: false});
			expect(await scans()).toBeLessThanOrEqual(2);
		} finally {
			await db.flushdb();
			db.disconnect();
		}
	}, 30_000);
});

describe('opsdeck stats', () => {
	it('prints the exact totals, and the same as JSON', async () => {
		const r = await cli('stats');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/chats cached\s+2/);
		expect(r.stdout).toMatch(/messages cached\s+3/);
		// issue 16, point 6: "1 messages"
		expect(r.stdout).toMatch(/pinned caches\s+1 \(1 message\)/);
		expect(r.stdout).toMatch(/reaction caches\s+1/);
		expect(r.stdout).toMatch(/largest cache\s+chat:AB12:messages \(2 messages\)/);
		expect(r.stdout).toMatch(/max per cache\s+500/);
		const json = JSON.parse((await cli('stats', '--json')).stdout) as {messagesCached: number; chatsCached: number; configured: {ttlSeconds: number}};
		expect(json).toMatchObject({messagesCached: 3, chatsCached: 2, configured: {ttlSeconds: 86_400}});
	});

	it('Redis down: exit 1 with the reason', async () => {
		const r = await runCli(['stats', '--redis-url', 'redis://127.0.0.1:1/0'], {cwd});
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/^opsdeck: .*redis/i);
	});
});
