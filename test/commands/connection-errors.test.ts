// Found by the hostile tester: a server that goes away or stops answering under a one-shot command
// was reported in the driver's bare words ("the connection was reset", "Connection terminated due to
// connection timeout"), naming neither the backend nor its address. The built CLI, a private
// redis-server killed mid-scan, and a proxy to PostgreSQL that stops forwarding (the shared server
// itself is never stalled). Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {startProxy, type TcpProxy} from '../helpers/tcp-proxy.js';
import {cliEnv, requireBuild, runCli, startCli} from '../helpers/health-env.js';
import {waitFor} from '../helpers/wait.js';

let cwd: string;
let server: RedisServerHandle | undefined;
let proxy: TcpProxy | undefined;

beforeAll(() => {
	requireBuild();
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-connerr-'));
});

afterAll(async () => {
	await proxy?.close();
	await server?.stop();
	fs.rmSync(cwd, {recursive: true, force: true});
});

describe('a backend lost under a command', () => {
	it('redis memory, the server killed mid-scan: one line naming Redis and its address, exit 1', async () => {
		server = await startRedis({args: ['--enable-debug-command', 'yes']});
		const admin = new Redis(server.url);
		await admin.call('DEBUG', 'POPULATE', '400000', 'k', '64');
		const run = startCli(['redis', 'memory'], {env: cliEnv({REDIS_URL: server.url}), cwd});
		// the scan is under way: it has asked MEMORY USAGE of some keys
		await waitFor(async () => /cmdstat_memory\|usage:calls=\d/.test(String(await admin.info('commandstats'))), {timeout: 20_000});
		admin.disconnect();
		await server.kill('SIGKILL');
		const code = await run.exit;
		expect(code).toBe(1);
		expect(run.err()).toMatch(new RegExp(`^opsdeck: redis 127\\.0\\.0\\.1:${server.port}: (the connection was reset|connection lost|the connection was closed by the other side \\(broken pipe\\))\\n$`));
	}, 60_000);

	it('pg activity, PostgreSQL not answering: "postgres HOST:PORT: no answer within N ms", not the driver\'s words', async () => {
		const target = new URL(adminUrl);
		proxy = await startProxy({targetPort: Number(target.port || 5432), targetHost: target.hostname});
		proxy.stall();
		const url = new URL(adminUrl);
		url.hostname = '127.0.0.1';
		url.port = String(proxy.port);
		const r = await runCli(['pg', 'activity'], {env: cliEnv({DATABASE_URL: url.toString()}), cwd});
		expect(r.stderr).toBe(`opsdeck: postgres 127.0.0.1:${proxy.port}: no answer within 3000 ms\n`);
		expect(r.code).toBe(1);
	}, 30_000);
});
