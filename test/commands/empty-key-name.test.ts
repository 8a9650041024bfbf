// A key whose name is the empty string (legal in Redis) is shown as `""` wherever keys are printed for
// people: a row of the Keys tab, the delete dialog (which asks to type "delete" and must name the
// key), `opsdeck keys`; `opsdeck inspect '""'` reads that form back; the key literally named `""` is
// `\x22\x22` so the two never look the same; JSON keeps the exact key. A private redis-server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {Redis} from 'ioredis';
import {bin, cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {runPty} from '../helpers/pty.js';

let server: RedisServerHandle;
let dir: string;
beforeAll(async () => {
	requireBuild();
	server = await startRedis();
	const redis = new Redis({host: '127.0.0.1', port: server.port, lazyConnect: true});
	await redis.connect();
	await redis.set('', 'v');
	await redis.set('zz-other', 'v');
	await redis.set('""', 'quotes');
	redis.disconnect();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-hostile-empty-'));
}, 30_000);
afterAll(async () => {
	await server?.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

it('the delete dialog names the key it deletes, even an empty name', async () => {
	const run = runPty('node', [bin], {cols: 80, rows: 24, env: cliEnv({REDIS_URL: server.url, SQLITE_PATH: path.join(dir, 'app.db'), BACKUP_DIR: path.join(dir, 'b')}), cwd: dir});
	try {
		await run.waitForText('1 Status');
		run.press('2');
		await run.waitForText(/scanned 3 of 3/);
		// the rows: the empty name, then the key named "" (sorted by name)
		await run.waitForText(/^""\s{3}/m);
		await run.waitForText(/^\\x22\\x22\s{3}/m);
		await run.waitForText(/^zz-other\s{3}/m);
		// the first row, the empty name, is selected
		run.press('x');
		await run.waitForText('Type delete');
		await run.waitForText(`DEL "" on redis://127.0.0.1:${server.port}/0`);
		run.press('\x1b');
	} finally {
		run.kill('SIGKILL');
	}
}, 60_000);

it('opsdeck keys shows the empty name as something visible, not an empty line', async () => {
	const result = await runCli(['keys'], {cwd: dir, env: cliEnv({REDIS_URL: server.url})});
	expect(result.code).toBe(0);
	expect(result.stdout.split('\n').slice(0, -1).sort()).toEqual(['""', '\\x22\\x22', 'zz-other']);
	const json = await runCli(['keys', '--json'], {cwd: dir, env: cliEnv({REDIS_URL: server.url})});
	expect((JSON.parse(json.stdout) as {keys: string[]}).keys.sort()).toEqual(['', '""', 'zz-other']);
	// what keys printed, inspect reads back
	const empty = await runCli(['inspect', '""', '--json'], {cwd: dir, env: cliEnv({REDIS_URL: server.url})});
	expect(empty.code).toBe(0);
	expect(JSON.parse(empty.stdout)).toMatchObject({key: '', string: {text: 'v'}});
	const quotes = await runCli(['inspect', '\\x22\\x22', '--json'], {cwd: dir, env: cliEnv({REDIS_URL: server.url})});
	expect(JSON.parse(quotes.stdout)).toMatchObject({key: '""', string: {text: 'quotes'}});
}, 30_000);
