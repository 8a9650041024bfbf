// `opsdeck keys` grows SCAN's COUNT for a whole listing (bench P1), but never past the operator's
// bound (hostile report: it grew to 8x SCAN_COUNT with no absolute cap). SCAN_COUNT is the operator's "SCAN batch size" (README's configuration table), the
// knob that bounds how long one SCAN holds the (single-threaded) server: SCAN_COUNT=100000 now sends
// COUNT 800,000. Measured on a private 9M-key server: SCAN_COUNT=1000000 made single SCANs of 2.0-4.3 s
// (SLOWLOG; the command timeout is 5 s), against 1.5 s max at the fixed COUNT the same build uses for
// --limit. Expected here: no SCAN asks more than max(SCAN_COUNT, 8000) (the default's own ceiling).
import {afterAll, beforeAll, expect, it} from 'vitest';
import {Redis} from 'ioredis';
import os from 'node:os';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';

let server: RedisServerHandle;
let redis: Redis;
beforeAll(async () => {
	requireBuild();
	server = await startRedis({args: ['--enable-debug-command', 'yes', '--slowlog-log-slower-than', '0', '--slowlog-max-len', '10000']});
	redis = new Redis({host: '127.0.0.1', port: server.port, lazyConnect: true});
	await redis.connect();
	await redis.call('DEBUG', 'POPULATE', '400000', 'k', '8');
}, 60_000);
afterAll(async () => {
	redis?.disconnect();
	await server?.stop();
});

/** the COUNT of every SCAN the server has logged since the SLOWLOG RESET (every command is logged) */
async function scanCounts(): Promise<number[]> {
	const entries = (await redis.call('SLOWLOG', 'GET', '10000')) as Array<[number, number, number, string[]]>;
	return entries.filter(entry => String(entry[3][0]).toUpperCase() === 'SCAN').map(entry => Number(entry[3][entry[3].findIndex(a => String(a).toUpperCase() === 'COUNT') + 1]));
}

it('SCAN_COUNT=100000: every SCAN of a whole listing asks COUNT <= 100000', async () => {
	await redis.call('SLOWLOG', 'RESET');
	const result = await runCli(['keys', 'nomatch*'], {cwd: os.tmpdir(), env: cliEnv({REDIS_URL: server.url, SCAN_COUNT: '100000'})});
	expect(result.code).toBe(0);
	const counts = await scanCounts();
	expect(counts.length).toBeGreaterThan(0);
	// [100000, 200000, 400000] (…800000 on a bigger keyspace) before the cap
	expect(Math.max(...counts)).toBeLessThanOrEqual(100_000);
}, 60_000);

it('the default SCAN_COUNT: COUNT grows from 1000 to 8000 at the most', async () => {
	await redis.call('SLOWLOG', 'RESET');
	const result = await runCli(['keys', 'nomatch*'], {cwd: os.tmpdir(), env: cliEnv({REDIS_URL: server.url})});
	expect(result.code).toBe(0);
	const counts = await scanCounts();
	expect(Math.min(...counts)).toBe(1000);
	expect(Math.max(...counts)).toBe(8000);
}, 60_000);
