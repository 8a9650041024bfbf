// `opsdeck keys` losing its server mid-listing (killed or stalled) or refused at the handshake names
// the server on its error line, `redis 127.0.0.1:PORT: connection lost`, as `opsdeck redis` does
// (with profiles, .env and REDIS_URL in play the operator must tell which one), exit 1, and the JSON
// begun on stdout closes with the same named error; the password stays masked. A private
// redis-server with 1,000,000 keys (DEBUG POPULATE), killed or SIGSTOPped once keys are coming.
import {afterEach, expect, it} from 'vitest';
import {cliEnv, requireBuild, startCli} from '../helpers/health-env.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {Redis} from 'ioredis';
import os from 'node:os';

let server: RedisServerHandle | undefined;
afterEach(async () => {
	if (server?.pid) process.kill(server.pid, 'SIGCONT');
	await server?.stop();
	server = undefined;
});

async function bigServer(args: string[] = []): Promise<RedisServerHandle> {
	requireBuild();
	const handle = await startRedis({args: ['--enable-debug-command', 'yes', ...args]});
	const redis = new Redis({host: '127.0.0.1', port: handle.port, lazyConnect: true});
	await redis.connect();
	await redis.call('DEBUG', 'POPULATE', '1000000', 'k', '8');
	redis.disconnect();
	return handle;
}

it.each(['SIGKILL', 'SIGSTOP'] as const)('the server %s mid-listing: exit 1, the error line names the server', async signal => {
	server = await bigServer();
	const run = startCli(['keys', '--json'], {cwd: os.tmpdir(), env: cliEnv({REDIS_URL: server.url})});
	// once the listing has begun (keys on stdout)
	while (run.out().length < 1000) await new Promise(resolve => setTimeout(resolve, 5));
	process.kill(server.pid!, signal);
	const code = await run.exit;
	expect(code).toBe(1);
	expect(run.out()).toContain('"complete":false');
	// a killed server's socket ends with FIN, or with RST when it died with our SCAN unread
	expect(run.err()).toMatch(new RegExp(`^opsdeck: redis 127\\.0\\.0\\.1:${server.port}: (${signal === 'SIGKILL' ? 'connection lost|the connection was reset' : 'no answer within 5000 ms'})\\n$`));
	// the JSON's closing error is the same line
	const error = JSON.parse(/"error":("(?:[^"\\]|\\.)*")\}\n$/.exec(run.out())![1]!) as string;
	expect(`opsdeck: ${error}\n`).toBe(run.err());
}, 60_000);

it('a wrong password: the error line names the server (masked)', async () => {
	server = await bigServer();
	const admin = new Redis({host: '127.0.0.1', port: server.port, lazyConnect: true});
	await admin.connect();
	await admin.call('CONFIG', 'SET', 'requirepass', 'right-pw');
	admin.disconnect();
	const run = startCli(['keys'], {cwd: os.tmpdir(), env: cliEnv({REDIS_URL: `redis://:wrong-pw@127.0.0.1:${server.port}/0`})});
	expect(await run.exit).toBe(1);
	expect(run.err()).not.toContain('wrong-pw');
	expect(run.err()).toContain(`opsdeck: redis 127.0.0.1:${server.port}: WRONGPASS`);
	// no password at all: NOAUTH, named too
	const bare = startCli(['keys'], {cwd: os.tmpdir(), env: cliEnv({REDIS_URL: `redis://127.0.0.1:${server.port}/0`})});
	expect(await bare.exit).toBe(1);
	expect(bare.err()).toContain(`opsdeck: redis 127.0.0.1:${server.port}: NOAUTH`);
}, 60_000);
