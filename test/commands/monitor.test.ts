// `opsdeck monitor` as a user runs it: the built CLI, no terminal (stdout is a pipe), a private
// redis-server and a writer; stopped with SIGINT / SIGTERM. Needs `npm run build` first.
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait.js';

const bin = path.resolve('build/bin.js');
let server: RedisServerHandle;
let writer: Redis;
let cwd: string;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	server = await startRedis();
	writer = new Redis(server.url);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-monitor-'));
});

afterAll(async () => {
	writer.disconnect();
	await server.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

beforeEach(async () => {
	await writer.flushdb();
});

type Run = {child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null>};

function monitor(args: string[]): Run {
	const env: NodeJS.ProcessEnv = {...process.env, REDIS_URL: server.url};
	delete env.POLL_INTERVAL_MS;
	const child = spawn(process.execPath, [bin, 'monitor', ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
	return {child, out: () => out, err: () => err, exit};
}

/** The deltas printed in --plain lines, e.g. "(+3)" and "(-1)". */
function printedDeltas(text: string): number {
	return [...text.matchAll(/\(([+-][\d,]+)\)/g)].reduce((sum, m) => sum + Number(m[1]!.replaceAll(',', '')), 0);
}

describe('opsdeck monitor', () => {
	it('--plain: one line per change; the printed deltas add up to the writes made', async () => {
		await writer.zadd('chat:A:messages', 1, 'a1', 2, 'a2');
		await writer.expire('chat:A:messages', 86_400);
		const run = monitor(['--plain', '--interval', '250']);
		await waitFor(() => /chat:A:messages {2}2 {2}TTL (23h59m|1d0h)\n/.test(run.out()), {timeout: 10_000, message: run.err()});
		// the writer: adds, removes, a new chat, a deleted one, spread over a few ticks
		let net = 0;
		for (let i = 0; i < 6; i++) {
			await writer.zadd('chat:A:messages', 10 + i, `m${i}`, 20 + i, `n${i}`);
			net += 2;
			if (i % 2 === 1) {
				await writer.zrem('chat:A:messages', `m${i}`);
				net -= 1;
			}
			await new Promise(resolve => setTimeout(resolve, 120));
		}
		await writer.zadd('chat:B:messages', 1, 'b1', 2, 'b2', 3, 'b3');
		net += 3;
		const final = 2 + 12 - 3;
		await waitFor(() => run.out().includes(`chat:A:messages  ${final}  (`) && run.out().includes('chat:B:messages  3  (+3)  new'), {timeout: 10_000});
		await writer.del('chat:B:messages');
		net -= 3;
		await waitFor(() => run.out().includes('chat:B:messages  gone  (-3)'), {timeout: 10_000});
		run.child.kill('SIGINT');
		expect(await run.exit).toBe(0);
		const changes = run.out().split('\n').filter(line => line.includes('('));
		expect(printedDeltas(changes.join('\n'))).toBe(net);
		for (const line of changes) expect(line).toMatch(/^\d\d:\d\d:\d\d {2}chat:[AB]:messages {2}(\d+ {2}\([+-]\d+\)( {2}new)? {2}TTL \S+|gone {2}\(-\d+\))$/);
		expect(run.err()).toContain('watching chat:*:messages');
	});

	it('--json: one parseable object per tick; keys are sanitized in plain output; SIGTERM exits 0', async () => {
		await writer.rpush('queue', 'a');
		await writer.sadd('evil\u001b[31m:set', 'x');
		const json = monitor(['queue', 'evil*', '--json', '--interval', '250']);
		const plain = monitor(['evil*', '--interval', '250']);
		await waitFor(() => json.out().split('\n').filter(Boolean).length >= 2, {timeout: 10_000, message: json.err()});
		await writer.rpush('queue', 'b', 'c');
		await waitFor(() => json.out().includes('"delta":2'), {timeout: 10_000});
		await waitFor(() => plain.out().includes('evil'), {timeout: 10_000});
		json.child.kill('SIGTERM');
		plain.child.kill('SIGTERM');
		expect(await json.exit).toBe(0);
		expect(await plain.exit).toBe(0);
		const ticks = json.out().trim().split('\n').map(line => JSON.parse(line) as {keys: {key: string; count: number; delta: number}[]; totals: {count: number}});
		expect(ticks.length).toBeGreaterThanOrEqual(3);
		expect(ticks[0]!.keys.map(k => k.key).sort()).toEqual(['evil\u001b[31m:set', 'queue']);
		expect(ticks.at(-1)!.keys.find(k => k.key === 'queue')!.count).toBe(3);
		expect(ticks.reduce((sum, t) => sum + (t.keys.find(k => k.key === 'queue')?.delta ?? 0), 0)).toBe(2);
		expect(json.out()).not.toContain('\u001b');
		expect(plain.out()).not.toContain('\u001b');
		expect(plain.out()).toContain('evil\\x1b[31m:set');
	});

	it('keeps running while Redis is down and picks up again when it is back', async () => {
		const own = await startRedis();
		const ownWriter = new Redis(own.url, {lazyConnect: true, maxRetriesPerRequest: 1});
		try {
			await ownWriter.zadd('chat:R:messages', 1, 'a');
			const run = monitor(['--plain', '--interval', '250', '--redis-url', own.url]);
			await waitFor(() => /chat:R:messages {2}1 {2}TTL none/.test(run.out()), {timeout: 10_000, message: run.err()});
			await own.kill();
			await waitFor(() => run.err().includes('redis: '), {timeout: 10_000});
			await own.restart(); // started again, empty
			await waitFor(() => run.err().includes('redis is back'), {timeout: 15_000, message: run.err()});
			await ownWriter.zadd('chat:R:messages', 1, 'a', 2, 'b');
			await waitFor(() => run.out().includes('chat:R:messages  2  (+2)  new'), {timeout: 10_000, message: run.out()});
			run.child.kill('SIGINT');
			expect(await run.exit).toBe(0);
		} finally {
			ownWriter.disconnect();
			await own.stop();
		}
	});

	it('refuses --plain with --json (exit 2)', async () => {
		const run = monitor(['--plain', '--json']);
		expect(await run.exit).toBe(2);
		expect(run.err()).toContain('--plain and --json cannot be used together');
	});
});
