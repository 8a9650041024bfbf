// `opsdeck keys` writes each key's bytes straight from SCAN's replies (bench P1). Its output must be
// exactly what the string path wrote before for every key: keyText per line; in JSON the key, or
// {key: keyText, keyHex} for a key that is not UTF-8; jsonText's escapes; mask. Checked key by key
// on hostile and random bytes against that string path (kept here as it was), and end to end on a
// real redis-server holding them.
import {spawn} from 'node:child_process';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {isBinaryKey, keyFromBytes, keyHex, keyText} from '../../source/backends/redis/key-bytes.js';
import {KeyListWriter} from '../../source/text/key-list.js';
import {registerSecret} from '../../source/text/mask.js';
import {outText} from '../../source/text/out.js';
import {jsonText} from '../../source/text/sanitize.js';
import {tempDir} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {binPath, runCli} from '../helpers/run-cli.js';
import {startProxy} from '../helpers/tcp-proxy.js';

/** What the string path wrote for these keys, in this order (one write's worth). */
function before(keys: readonly string[], json: boolean): string {
	if (json) return outText(jsonText(keys.map(k => (isBinaryKey(k) ? {key: keyText(k), keyHex: keyHex(k)} : k))).slice(1, -1));
	return outText(`${keys.map(k => keyText(k)).join('\n')}\n`);
}

/** `flushEvery`: the filled chunks taken after every so many keys, as a listing flushes (keys.ts) */
function written(keys: readonly Buffer[], json: boolean, flushEvery = 0): string {
	const writer = new KeyListWriter(json, 64);
	const out: Buffer[] = [];
	keys.forEach((bytes, i) => {
		// the key inside a larger buffer, as in a reply
		const reply = Buffer.concat([Buffer.from('$9\r\n'), bytes, Buffer.from('\r\n')]);
		writer.add(reply, 4, 4 + bytes.length);
		if (flushEvery > 0 && i % flushEvery === 0) out.push(...writer.take(false));
	});
	out.push(...writer.take());
	return Buffer.concat(out).toString('utf8');
}

const secret = 'Zq9-hunter-7';
registerSecret(secret);

const hostile: Buffer[] = [
	'',
	'chat:1',
	'plain key with spaces',
	'quote"inside',
	'back\\slash',
	'\\xff',
	'tab\there',
	'nl\nhere',
	'cr\rhere',
	'esc\u001b]0;pwned\u0007',
	'clear\u001b[2J',
	'del\u007f',
	'c1\u009b31m',
	'bidi abc\u202edef',
	'nul a\u0000b',
	'tag admin\u{e0041}\u{e0064}',
	'filler x\u3164y\u115f',
	'joiner a\u034fb\ufe0f',
	'zwsp a\u200bb',
	'ls \u2028 ps \u2029',
	'bom \ufeff',
	'real fffd \ufffd',
	'accented é ü 日本',
	'emoji 😀',
	'private \ue000',
	'redis://user:hunter2@host:6379/0',
	'url http://a:b@c/d',
	'just a colon: // later',
	'a://b',
	'Password is here',
	'PWD',
	'x&pwd=abc',
	'x;pass=abc;y',
	`has ${secret} inside`,
	`starts${secret}`,
	'Zq9-not-it',
].map(k => Buffer.from(k, 'utf8'));
hostile.push(
	Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff]),
	Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xef, 0xbf, 0xbd]),
	Buffer.from([0xc3]),
	Buffer.from([0xed, 0xa0, 0x80]), // a surrogate in CESU-8: not UTF-8
	Buffer.from([0xf4, 0x90, 0x80, 0x80]), // past U+10FFFF
	Buffer.from([0xc0, 0xaf]), // overlong
	Buffer.from([0x5c, 0xff, 0x5c]),
	Buffer.from([0x1b, 0x9b, 0xff, 0x00]),
	Buffer.from([0x70, 0x61, 0x73, 0x73, 0xfe]),
);

/** Random keys: mostly printable ASCII, with controls, high bytes, UTF-8 of hostile characters, and the words mask looks for. */
function randomKeys(n: number, seed: number): Buffer[] {
	let state = seed;
	const next = () => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state / 2 ** 31;
	};
	const pieces = ['\u202e', '\u200b', '\u{e0041}', '\u009b', '\ufffd', 'é', '😀', '\\', '"', ':', '//', '://', 'pass', 'PwD', secret, '\u2028', '\ufeff'];
	const keys: Buffer[] = [];
	for (let k = 0; k < n; k++) {
		const parts: Buffer[] = [];
		const length = Math.floor(next() * 24);
		for (let i = 0; i < length; i++) {
			const r = next();
			if (r < 0.6) parts.push(Buffer.from([0x20 + Math.floor(next() * 95)]));
			else if (r < 0.7) parts.push(Buffer.from([[0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x7f][Math.floor(next() * 7)]!]));
			else if (r < 0.85) parts.push(Buffer.from([0x80 + Math.floor(next() * 128)]));
			else parts.push(Buffer.from(pieces[Math.floor(next() * pieces.length)]!, 'utf8'));
		}
		keys.push(Buffer.concat(parts));
	}
	return keys;
}

/**
 * mask() of a password parameter in the JSON the string path wrote ran on past the key's closing
 * quote (into the keys after it: the document was broken). The byte path masks inside the key.
 */
const passwordParameter = /([?&;\s]|^)(password|pass|pwd|sslpassword|passphrase|sslpassphrase)=/i;

describe('KeyListWriter: every key as the string path wrote it', () => {
	const keys = [...hostile, ...randomKeys(5000, 7)];

	it('one line per key: keyText, masked', () => {
		for (const bytes of keys) expect(written([bytes], false), bytes.toString('hex')).toBe(before([keyFromBytes(bytes)], false));
		expect(written(keys, false)).toBe(before(keys.map(keyFromBytes), false));
	});

	it('JSON: the same element for every key, and the same array for all of them', () => {
		const kept = keys.filter(bytes => !passwordParameter.test(keyFromBytes(bytes)));
		expect(kept.length).toBeGreaterThan(4500);
		for (const bytes of kept) expect(written([bytes], true), bytes.toString('hex')).toBe(before([keyFromBytes(bytes)], true));
		const all = written(kept, true);
		expect(all).toBe(before(kept.map(keyFromBytes), true));
		// the filled chunks taken as it goes, the last one at the end: the same bytes in the same order
		for (const every of [1, 3, 50]) expect(written(kept, true, every)).toBe(all);
		expect(written(keys, false, 7)).toBe(before(keys.map(keyFromBytes), false));
		// and it is JSON naming each key
		expect((JSON.parse(`[${all}]`) as unknown[]).length).toBe(kept.length);
	});

	it('the secret is masked in a key, and a password parameter in a key is masked without breaking the JSON', () => {
		expect(written([Buffer.from(`has ${secret} inside`)], true)).toBe('"has *** inside"');
		expect(written([Buffer.from(`has ${secret} inside`)], false)).toBe('has *** inside\n');
		const text = written([Buffer.from('a?password=abc'), Buffer.from('chat:1'), Buffer.from('x;pwd=y z')], true);
		expect(JSON.parse(`[${text}]`)).toEqual(['a?password=***', 'chat:1', 'x;pwd=*** z']);
		expect(written([Buffer.from('a?password=abc'), Buffer.from('chat:1')], false)).toBe(before(['a?password=abc', 'chat:1'], false));
	});
});

describe('opsdeck keys on a real server holding hostile keys', () => {
	let server: RedisServerHandle;
	let direct: Redis;
	let cwd: string;
	const stored = [...hostile, ...randomKeys(600, 11)].filter(bytes => !passwordParameter.test(keyFromBytes(bytes)));
	const distinct = new Set(stored.map(bytes => bytes.toString('hex'))).size;

	beforeAll(async () => {
		server = await startRedis();
		direct = new Redis(server.url);
		const pipeline = direct.pipeline();
		for (const bytes of stored) pipeline.set(bytes, 'v');
		// one key spread over many socket reads
		pipeline.set(Buffer.alloc(300_000, 0x61), 'v');
		await pipeline.exec();
		cwd = tempDir();
	});

	afterAll(async () => {
		direct.disconnect();
		await server.stop();
	});

	function run(args: readonly string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
		return new Promise((resolve, reject) => {
			// the secret as the URL's password (the server needs none: ioredis warns, and goes on): the
			// command registers it, so keys holding it are masked as in this process
			const url = server.url.replace('redis://', `redis://:${secret}@`);
			const child = spawn(process.execPath, [binPath, ...args, '--redis-url', url, '--audit-log', path.join(cwd, 'audit.log')], {cwd, stdio: ['ignore', 'pipe', 'pipe']});
			const out: Buffer[] = [];
			const err: Buffer[] = [];
			child.stdout.on('data', (d: Buffer) => out.push(d));
			child.stderr.on('data', (d: Buffer) => err.push(d));
			child.once('error', reject);
			child.once('close', code => resolve({code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}));
		});
	}

	/** Every key as SCAN returns them (one reply holds them all). */
	async function scanned(): Promise<string[]> {
		const keys: string[] = [];
		let cursor = '0';
		do {
			const [next, batch] = (await direct.callBuffer('scan', cursor, 'COUNT', 1000)) as [Buffer, Buffer[]];
			cursor = next.toString();
			for (const bytes of batch) keys.push(keyFromBytes(bytes));
		} while (cursor !== '0');
		return keys;
	}

	it('--json: the document the string path wrote, key for key', async () => {
		const r = await run(['keys', '--json']);
		expect(r.code).toBe(0);
		const keys = await scanned();
		expect(keys).toHaveLength(distinct + 1);
		const elements = splitJsonArray(r.stdout);
		expect(elements.sort()).toEqual(keys.map(k => before([k], true)).sort());
		expect(r.stdout.startsWith('{"pattern":"*","type":null,"keys":[')).toBe(true);
		expect(r.stdout.endsWith(`],"count":${keys.length},"complete":true,"dbsize":${keys.length},"masters":1}\n`)).toBe(true);
		expect((JSON.parse(r.stdout) as {keys: unknown[]}).keys).toHaveLength(keys.length);
	});

	it('lines: keyText of every key, masked', async () => {
		const r = await run(['keys']);
		expect(r.code).toBe(0);
		const keys = await scanned();
		expect(r.stdout.split('\n').slice(0, -1).sort()).toEqual(keys.map(k => before([k], false).slice(0, -1)).sort());
	});

	it('a pattern (MATCH on the exact bytes), a type and a limit', async () => {
		await direct.hset('h:one', 'f', 'v');
		try {
			const doc = JSON.parse((await run(['keys', 'bin:*', '--json'])).stdout) as {keys: unknown[]};
			expect(doc.keys).toHaveLength(2);
			expect(doc.keys).toEqual(expect.arrayContaining([{key: 'bin:\\xff', keyHex: '62696e3aff'}, 'bin:\ufffd']));
			const hashes = JSON.parse((await run(['keys', '--type', 'hash', '--json'])).stdout) as {keys: string[]; count: number};
			expect(hashes).toMatchObject({keys: ['h:one'], count: 1});
			const limited = JSON.parse((await run(['keys', '--limit', '5', '--json'])).stdout) as {keys: unknown[]; count: number; complete: boolean};
			expect(limited.keys).toHaveLength(5);
			expect(limited.count).toBe(5);
		} finally {
			await direct.del('h:one');
		}
	});
});

describe('opsdeck keys: failures (what the bare connection cannot do goes through ioredis, which says it)', () => {
	let server: RedisServerHandle;
	let cwd: string;

	beforeAll(async () => {
		server = await startRedis();
		cwd = tempDir();
	});

	afterAll(async () => {
		await server.stop();
	});

	const keys = (url: string) => runCli(['keys', '--json'], {cwd, env: {REDIS_URL: url, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log')}});

	it('the connection cut or stalled mid-scan: the JSON begun is closed with the error, one line on stderr, exit 1', async () => {
		const admin = new Redis(server.url);
		const proxy = await startProxy({targetPort: server.port});
		try {
			const pipeline = admin.pipeline();
			for (let i = 0; i < 3000; i++) pipeline.set(`many:${i}`, 'v');
			await pipeline.exec();
			const url = `redis://127.0.0.1:${proxy.port}/0`;
			// the second SCAN (a cursor other than 0) is where it breaks
			const secondScan = (data: Buffer) => /SCAN\r\n\$\d+\r\n[1-9]/.test(data.toString('latin1'));
			proxy.onRequest(data => {
				if (secondScan(data)) proxy.cutAll();
			});
			const cut = await keys(url);
			expect(cut.code).toBe(1);
			const doc = JSON.parse(cut.stdout) as {count: number; complete: boolean; error: string};
			// named: the server the bare connection went to (here the proxy)
			expect(doc).toMatchObject({complete: false, error: `redis 127.0.0.1:${proxy.port}: connection lost`});
			expect(doc.count).toBeGreaterThan(0);
			expect(cut.stderr).toBe(`opsdeck: redis 127.0.0.1:${proxy.port}: connection lost\n`);
			proxy.onRequest(data => {
				if (secondScan(data)) proxy.stall('responses');
			});
			const stalled = await keys(url);
			expect(stalled.code).toBe(1);
			expect(JSON.parse(stalled.stdout)).toMatchObject({complete: false, error: `redis 127.0.0.1:${proxy.port}: no answer within 5000 ms`});
			expect(stalled.stderr).toBe(`opsdeck: redis 127.0.0.1:${proxy.port}: no answer within 5000 ms\n`);
		} finally {
			proxy.resume();
			await proxy.close();
			await admin.flushdb();
			admin.disconnect();
		}
	}, 30_000);

	it('a db the server does not have: exit 2 with the SELECT line, nothing on stdout', async () => {
		const r = await keys(server.url.replace(/\/0$/, '/99'));
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/^opsdeck: redis is down: SELECT 99 failed on redis:\/\/127\.0\.0\.1:\d+\/99: ERR DB index is out of range \(the server has \d+ databases: 0 to \d+\)\n$/);
	});

	it('a server with a password: a wrong one or none is exit 1 with the server\'s word, the right one lists the keys', async () => {
		const admin = new Redis(server.url);
		await admin.set('locked:key', 'v');
		await admin.config('SET', 'requirepass', 'rightpass1');
		try {
			const wrong = await keys(server.url.replace('redis://', 'redis://:wrongpass1@'));
			expect(wrong.code).toBe(1);
			expect(wrong.stderr).toMatch(new RegExp(`^opsdeck: redis 127\\.0\\.0\\.1:${server.port}: WRONGPASS[^\\n]*\\n$`));
			expect(wrong.stdout).toBe('');
			const none = await keys(server.url);
			expect(none.code).toBe(1);
			expect(none.stderr).toMatch(new RegExp(`^opsdeck: redis 127\\.0\\.0\\.1:${server.port}: NOAUTH[^\\n]*\\n$`));
			const right = await keys(server.url.replace('redis://', 'redis://:rightpass1@'));
			expect(right.code).toBe(0);
			expect(JSON.parse(right.stdout)).toMatchObject({keys: ['locked:key'], count: 1, complete: true, dbsize: 1});
			expect(right.stderr).toBe('');
		} finally {
			await admin.config('SET', 'requirepass', '').catch(() => undefined);
			admin.disconnect();
		}
	});
});

/** The elements of the `keys` array of keys --json, each as its exact text. */
function splitJsonArray(doc: string): string[] {
	const start = doc.indexOf('"keys":[') + '"keys":['.length;
	const elements: string[] = [];
	let depth = 0;
	let inString = false;
	let from = start;
	for (let i = start; i < doc.length; i++) {
		const ch = doc[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
		} else if (ch === '"') inString = true;
		else if (ch === '{') depth++;
		else if (ch === '}') depth--;
		else if ((ch === ',' || ch === ']') && depth === 0) {
			if (i > from) elements.push(doc.slice(from, i));
			from = i + 1;
			if (ch === ']') break;
		}
	}
	return elements;
}
