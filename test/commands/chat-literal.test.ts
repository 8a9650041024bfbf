// issue 13, case 3: a chat code is data, never a template. `chat show CODE --clear --yes` with codes
// that are placeholders ({message}) or glob characters (*, a?b, [x], a\b) deletes exactly that
// chat's keys: its neighbours (the keys a re-expanded template or an unescaped SCAN MATCH would
// reach) survive. Built CLI against a private redis-server; needs `npm run build`.
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {cacheMessages, message, tempDir} from '../helpers/chat-fixtures.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runCli} from '../helpers/run-cli.js';

let server: RedisServerHandle;
let direct: Redis;
let cwd: string;

const codes = ['{message}', '*', 'a?b', '[x]', 'a\\b', '{chat}'];

/** Every key of one chat: the three sorted sets and a reaction hash. */
const keysOf = (code: string) => [`chat:${code}:messages`, `chat:${code}:pinned`, `chat:${code}:backroom`, `chat:${code}:reactions:m1`];

/** Chats whose keys a template re-expanded on the code, or an unescaped glob, would reach. */
const neighbours = ['', 'ANY', 'axb', 'ab', 'x', 'a', 'ab\\', 'NEXT'];

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	cwd = tempDir('opsdeck-chatlit-');
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
});

beforeEach(async () => {
	await direct.flushall();
	for (const code of [...codes, ...neighbours]) {
		await cacheMessages(direct, code, [message(code, 5)]);
		await cacheMessages(direct, code, [message(code, 4)], 'pinned');
		await cacheMessages(direct, code, [message(code, 3)], 'backroom');
		await direct.hset(`chat:${code}:reactions:m1`, 'heart', '1');
	}
	// what "{message}" used to become in the reaction template: chat::reactions:
	await direct.hset('chat::reactions:', 'heart', '1');
});

const cli = (...args: string[]) => runCli([...args, '--redis-url', server.url, '--audit-log', path.join(cwd, 'audit.log')], {cwd});

describe('issue 13, case 3: chat show CODE --clear --yes builds and matches keys literally', () => {
	it.each(codes)('code %j: its 4 keys are deleted, every other chat\'s keys survive', async code => {
		const before = (await direct.keys('*')).sort();
		const r = await cli('chat', 'show', code, '--clear', '--yes');
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('4 keys deleted');
		const after = (await direct.keys('*')).sort();
		expect(after).toEqual(before.filter(key => !keysOf(code).includes(key)));
	});

	it('show --reactions reads the message id back out of a code that looks like a placeholder', async () => {
		const r = await cli('chat', 'show', '{message}', '--reactions', '--json');
		expect(r.code).toBe(0);
		const detail = JSON.parse(r.stdout) as {keys: {messages: string}; reactions: {message: string; key: string}[]};
		expect(detail.keys.messages).toBe('chat:{message}:messages');
		expect(detail.reactions).toEqual([{key: 'chat:{message}:reactions:m1', message: 'm1', counts: {heart: 1}}]);
	});
});
