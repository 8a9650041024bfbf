// stdout that fails with ENOSPC (a full disk; /dev/full here): the command says so on stderr in one
// line (`opsdeck: cannot write the output: ENOSPC …`, no stack trace) and exits 1 within seconds, for
// keys (plain and --json: the scan stops), logs and status --json alike. (A failed write was
// swallowed: `keys` exited 0 having written nothing, `keys --json` waited for ever for a 'drain'.)
// Private redis-server. Needs the build.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {Redis} from 'ioredis';
import {bin, cliEnv, requireBuild} from '../helpers/health-env.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

let server: RedisServerHandle;
beforeAll(async () => {
	requireBuild();
	server = await startRedis();
	const redis = new Redis({host: '127.0.0.1', port: server.port, lazyConnect: true});
	await redis.connect();
	for (let i = 0; i < 50; i++) await redis.set(`k${i}`, 'v');
	redis.disconnect();
}, 30_000);
afterAll(async () => server?.stop());

let dir: string;
beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-full-'));
	fs.writeFileSync(path.join(dir, 'app.log'), Array.from({length: 2000}, (_, i) => `2026-11-30T10:00:00Z INFO line ${i}\n`).join(''));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

function runToFull(args: string[]): Promise<{code: number | null; timedOut: boolean; stderr: string}> {
	const full = fs.openSync('/dev/full', 'w');
	const child = spawn(process.execPath, [bin, ...args], {cwd: dir, env: cliEnv({REDIS_URL: server.url, XDG_CACHE_HOME: path.join(dir, 'cache')}), stdio: ['ignore', full, 'pipe']});
	fs.closeSync(full);
	let stderr = '';
	child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
	return new Promise(resolve => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			resolve({code: null, timedOut: true, stderr});
		}, 10_000);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code, timedOut: false, stderr});
		});
	});
}

it.each([
	[['keys', '--json']],
	[['keys']],
	[['logs', 'app.log']],
	[['logs', 'app.log', '--json']],
	[['status', '--json']],
])('%j with stdout on a full device: one line on stderr, exit 1', async args => {
	const result = await runToFull(args);
	expect(result.timedOut).toBe(false);
	expect(result.code).toBe(1);
	expect(result.stderr).toMatch(/^opsdeck: cannot write the output: ENOSPC\b/m);
	expect(result.stderr).not.toMatch(/\n\s+at /);
}, 30_000);
