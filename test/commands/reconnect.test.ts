// `opsdeck reconnect postgres|redis` (built CLI): the result line and the exit code.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {closedPort} from '../helpers/ports.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';

let server: RedisServerHandle;
beforeAll(async () => {
	requireBuild();
	server = await startRedis();
});
afterAll(() => server.stop());

const cwd = process.cwd();

describe('opsdeck reconnect', () => {
	it('redis and postgres: "reconnected in N ms", exit 0', async () => {
		const env = cliEnv({REDIS_URL: server.url, DATABASE_URL: adminUrl});
		const [redis, postgres] = await Promise.all([runCli(['reconnect', 'redis'], {env, cwd}), runCli(['reconnect', 'postgres'], {env, cwd})]);
		expect(redis).toMatchObject({code: 0, stdout: expect.stringMatching(/^redis: reconnected in \d+ ms\n$/)});
		expect(postgres).toMatchObject({code: 0, stdout: expect.stringMatching(/^postgres: reconnected in \d+ ms\n$/)});
	});

	it('a server that is down: "still down: nothing is listening at … (connection refused)", exit 1', async () => {
		const port = await closedPort();
		const env = cliEnv({REDIS_URL: `redis://127.0.0.1:${port}/0`, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`});
		const [redis, postgres] = await Promise.all([runCli(['reconnect', 'redis'], {env, cwd}), runCli(['reconnect', 'postgres', '--json'], {env, cwd})]);
		expect(redis.code).toBe(1);
		expect(redis.stdout).toMatch(/^redis: still down: nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\), next try in [\d.]+ m?s\n$/);
		expect(postgres.code).toBe(1);
		expect(JSON.parse(postgres.stdout)).toMatchObject({backend: 'postgres', ok: false, error: expect.stringContaining('(connection refused)')});
	});

	it('anything else: usage, exit 2', async () => {
		const {code, stderr} = await runCli(['reconnect', 'mysql'], {env: cliEnv({}), cwd});
		expect(code).toBe(2);
		expect(stderr).toMatch(/^opsdeck: usage: opsdeck reconnect postgres\|redis/);
	});
});
