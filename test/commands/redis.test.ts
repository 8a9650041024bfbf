// `opsdeck redis` as a user runs it (built CLI, no terminal) on a private redis-server (issue 22):
// the slow log lists what ran, escaped; a client the test names is listed and killed with --yes,
// opsdeck's own connections are refused; `redis memory --json` sums each prefix to within 2% of
// MEMORY USAGE of every key and names the biggest key first. Read-only, unconfirmed and audited
// kills and resets: test/reliability/mutation-guard.test.ts. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {bigHash, fillKeyspace, issueSizes, referenceBytes} from '../redis-server/keyspace.js';

let server: RedisServerHandle;
let admin: Redis;
let cwd: string;

beforeAll(async () => {
	requireBuild();
	server = await startRedis();
	admin = new Redis(server.url);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rediscmd-'));
});

afterAll(async () => {
	admin?.disconnect();
	await server?.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

const auditLog = () => path.join(cwd, 'audit.log');
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(['redis', ...args], {env: cliEnv({REDIS_URL: server.url, OPSDECK_AUDIT_LOG: auditLog(), POLL_INTERVAL_MS: '250', ...extra}), cwd});
const audit = () => fs.readFileSync(auditLog(), 'utf8').trim().split('\n').map(line => JSON.parse(line) as {action: string; result: string; target: string; error?: string});

describe('redis slowlog', () => {
	it('lists the commands that ran, newest first, hostile and long arguments escaped and cut', async () => {
		await admin.config('SET', 'slowlog-log-slower-than', '0');
		try {
			await admin.set('plain', 'x');
			await admin.set('hostile', '\u001b]0;pwned\u0007');
			await admin.set('long', 'L'.repeat(300));
		} finally {
			await admin.config('SET', 'slowlog-log-slower-than', '10000');
		}
		const text = await cli(['slowlog']);
		expect(text.code).toBe(0);
		expect(text.stdout).not.toMatch(/[\u001b\u0007]/);
		const lines = text.stdout.split('\n');
		const at = (needle: string) => lines.findIndex(line => line.includes(needle));
		expect(lines[at('set hostile')]).toContain('set hostile \\x1b]0;pwned\\x07');
		expect(lines[at('set long')]).toContain(`set long ${'L'.repeat(60)}… (300 bytes)`);
		// newest first
		expect(at('set long')).toBeLessThan(at('set hostile'));
		expect(at('set hostile')).toBeLessThan(at('set plain'));
		expect(lines[0]).toMatch(/^127\.0\.0\.1:\d+: \d+ entries \(logs commands slower than 10ms, keeps 128\)$/);

		const json = JSON.parse((await cli(['slowlog', '--json', '--limit', '128'])).stdout) as {entries: {args: {text: string; bytes: number; cut: boolean}[]}[]};
		const hostile = json.entries.find(e => e.args[1]?.text === 'hostile')!;
		expect(hostile.args[2]).toEqual({text: '\u001b]0;pwned\u0007', bytes: 10, cut: false});
		expect(json.entries.find(e => e.args[1]?.text === 'long')!.args[2]).toMatchObject({bytes: 300, cut: true});
	});
});

describe('redis clients and kill', () => {
	it('lists a named client, kills it with --yes; a client that merely calls itself opsdeck is killable, the CLI\'s own connection (by CLIENT ID) refused', async () => {
		const victim = new Redis(server.url, {connectionName: 'victim', retryStrategy: () => null});
		victim.on('error', () => undefined);
		// another person's console, or a hostile client naming itself so: not ours
		const impostor = new Redis(server.url, {connectionName: 'opsdeck', retryStrategy: () => null});
		impostor.on('error', () => undefined);
		try {
			const [victimId, impostorId] = [Number(await victim.client('ID')), Number(await impostor.client('ID'))];
			const listed = await cli(['clients']);
			expect(listed.code).toBe(0);
			expect(listed.stdout).toMatch(new RegExp(`^${victimId} +127\\.0\\.0\\.1:\\d+ +victim +0 `, 'm'));
			const impostorRow = listed.stdout.split('\n').find(l => l.startsWith(`${impostorId} `))!;
			expect(impostorRow).toMatch(/ opsdeck +0 /);
			expect(impostorRow).not.toContain('(own)');
			// the CLI's own connection (the one listing) is marked, and only it
			const own = listed.stdout.split('\n').filter(l => l.endsWith('(own)'));
			expect(own).toHaveLength(1);
			const ownId = Number(own[0]!.split(' ')[0]);

			// the next CLI run connects next: its connection gets the next id (a private server: no one else connects)
			const refused = await cli(['kill', String(ownId + 1), '--yes']);
			expect(refused.stderr).toBe(`opsdeck: client ${ownId + 1} on 127.0.0.1:${server.port} is one of this opsdeck's own connections: refused, nothing was done\n`);
			expect(refused.code).toBe(2);
			expect(audit().at(-1)).toMatchObject({action: 'client-kill', result: 'refused'});

			const gotImpostor = await cli(['kill', String(impostorId), '--yes']);
			expect(gotImpostor).toMatchObject({code: 0, stderr: ''});
			expect(gotImpostor.stdout).toMatch(new RegExp(`^killed client ${impostorId} on 127\\.0\\.0\\.1:${server.port} \\(127\\.0\\.0\\.1:\\d+ named opsdeck\\)\\n$`));
			expect(String(await admin.client('LIST'))).not.toContain(`id=${impostorId} `);

			const killed = await cli(['kill', String(victimId), '--yes']);
			expect(killed).toMatchObject({code: 0, stderr: ''});
			expect(killed.stdout).toMatch(new RegExp(`^killed client ${victimId} on 127\\.0\\.0\\.1:${server.port} \\(127\\.0\\.0\\.1:\\d+ named victim\\)\\n$`));
			expect(String(await admin.client('LIST'))).not.toContain('name=victim ');
			expect(audit().slice(-2).map(e => e.result)).toEqual(['started', 'ok']);

			const gone = await cli(['kill', String(victimId), '--yes']);
			expect(gone).toMatchObject({code: 2, stderr: `opsdeck: no client ${victimId} (see opsdeck redis clients)\n`});
		} finally {
			victim.disconnect();
			impostor.disconnect();
		}
	});
});

describe('redis info and latency', () => {
	it('info --json: each figure per server, rates over the interval; latency says how to turn it on', async () => {
		const info = await cli(['info', '--json']);
		expect(info.code).toBe(0);
		const report = JSON.parse(info.stdout) as {intervalMs: number; servers: Record<string, unknown>[]};
		expect(report.intervalMs).toBe(250);
		expect(report.servers).toHaveLength(1);
		expect(report.servers[0]).toMatchObject({server: `127.0.0.1:${server.port}`, role: 'master', maxMemoryBytes: null, maxMemoryPolicy: 'noeviction', replicas: [], rates: {evicted: 0, expired: 0}});
		expect(report.servers[0]!.usedMemoryBytes).toBeGreaterThan(0);
		const latency = await cli(['latency']);
		expect(latency.stdout).toBe(`127.0.0.1:${server.port}: latency monitoring is off: CONFIG SET latency-monitor-threshold 100 (ms) turns it on\n`);
	});
});

describe('redis memory', () => {
	it('sums every prefix within 2% of MEMORY USAGE of each key, the 5 MB hash first', async () => {
		await admin.flushall();
		const writer = new Redis(server.url, {enableAutoPipelining: true});
		const keys = await fillKeyspace(writer, issueSizes);
		const reference = await referenceBytes(writer, keys);
		writer.disconnect();
		const r = await cli(['memory', '--json', '--top', '3']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		type View = {prefix: string; keys: number; bytes: number; share: number; children: View[]};
		const report = JSON.parse(r.stdout) as {complete: boolean; keys: number; bytes: number; tree: View; biggestByMemory: {key: string; type: string; elements: number}[]; biggestByElements: {key: string}[]};
		expect(report.complete).toBe(true);
		expect(report.keys).toBe(keys.length);
		const byPrefix = new Map(report.tree.children.map(c => [c.prefix, c]));
		expect([...byPrefix.keys()].sort()).toEqual(['big:', 'chat:', 'user:']);
		for (const [prefix, bytes] of reference) {
			expect(Math.abs(byPrefix.get(prefix)!.bytes - bytes) / bytes, prefix).toBeLessThan(0.02);
		}
		expect(byPrefix.get('user:')!.keys).toBe(10_000);
		expect(byPrefix.get('chat:')!.children).toHaveLength(100);
		expect(report.biggestByMemory[0]).toMatchObject({key: bigHash, type: 'hash', elements: 5120});
		expect(report.biggestByMemory).toHaveLength(3);
		expect(report.biggestByElements[0]!.key).toBe(bigHash);

		const text = await cli(['memory', 'user:*']);
		expect(text.stdout).toMatch(/^scanned [\d,]+ of [\d,]+ keys on 1 master in .* \(MATCH user:\*\): .* in 10,000 keys, MEMORY USAGE SAMPLES 0$/m);
		expect(text.stdout).toMatch(/^ +[\d.]+ MB +100\.0% +10,000 {2}user:$/m);
	}, 60_000);
	it('bigkeys (after memory, same keyspace): per type the keys and the biggest, by elements; no MEMORY USAGE sent', async () => {
		await admin.config('RESETSTAT');
		const r = await cli(['bigkeys', '--json', '--top', '2']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const report = JSON.parse(r.stdout) as {complete: boolean; keys: number; biggestByElements: {key: string; type: string; elements: number}[]; types: {type: string; keys: number; biggest: {key: string; elements: number}}[]};
		expect(report.complete).toBe(true);
		expect(report.biggestByElements).toHaveLength(2);
		expect(report.biggestByElements[0]).toMatchObject({key: bigHash, type: 'hash', elements: 5120});
		const types = new Map(report.types.map(t => [t.type, t]));
		expect(types.get('string')).toMatchObject({keys: 10_000, biggest: {elements: 1024}});
		expect(types.get('zset')).toMatchObject({keys: 100, biggest: {elements: 1000}});
		expect(report.keys).toBe([...types.values()].reduce((n, t) => n + t.keys, 0));
		// the work of redis-cli --bigkeys: TYPE and a count per key, never MEMORY USAGE
		const stats = await admin.info('commandstats');
		expect(stats).toMatch(/cmdstat_type:calls=/);
		expect(stats).not.toMatch(/cmdstat_memory/);

		const text = await cli(['bigkeys', 'user:*']);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/^scanned .* \(MATCH user:\*\): 10,000 keys/m);
		expect(text.stdout).toMatch(/^ {2}string +10,000 keys +10,240,000 bytes, biggest user:\S+ \(1,024 bytes\)$/m);
	}, 60_000);
});
