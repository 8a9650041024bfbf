// `opsdeck serve` as a monitor sees it: the built CLI on a free port, real backends, PostgreSQL
// behind a TCP proxy we can take away and bring back, a local webhook listener. Needs `npm run build`.
import net from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startProxy, type TcpProxy} from '../helpers/tcp-proxy.js';
import {waitFor} from '../helpers/wait.js';
import {cliEnv, requireBuild, runCli, startCli, startLocalServer, type CliRun, type LocalServer} from '../helpers/health-env.js';

let redis: RedisServerHandle;
let sqlite: TempSqlite;
let proxy: TcpProxy;
let hook: LocalServer;
let serve: CliRun;
let base: string;
const pg = new URL(adminUrl);

beforeAll(async () => {
	requireBuild();
	[redis, hook, proxy] = await Promise.all([startRedis(), startLocalServer(), startProxy({targetPort: Number(pg.port || 5432), targetHost: pg.hostname})]);
	sqlite = tempSqlite();
	const databaseUrl = new URL(adminUrl);
	databaseUrl.port = String(proxy.port);
	databaseUrl.password = 'pg-s3cret';
	serve = startCli(['serve', '--port', '0'], {
		cwd: sqlite.dir,
		env: cliEnv({REDIS_URL: redis.url, DATABASE_URL: databaseUrl.toString(), SQLITE_PATH: sqlite.path, POLL_INTERVAL_MS: '250', ALERT_WEBHOOK_URL: `http://127.0.0.1:${hook.port}/hook`}),
	});
	const line = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.out()), {timeout: 10_000, message: serve.err()});
	base = line[1]!;
});

afterAll(async () => {
	serve?.child.kill('SIGKILL');
	await Promise.all([redis.stop(), hook.close(), proxy.close().catch(() => undefined)]);
	sqlite.cleanup();
});

async function get(path: string): Promise<{status: number; type: string | null; body: any}> {
	const response = await fetch(`${base}${path}`);
	return {status: response.status, type: response.headers.get('content-type'), body: await response.json()};
}

describe('opsdeck serve', () => {
	it('GET /health: application/health+json, pass, checks with observedValue, observedUnit and time', async () => {
		const {status, type, body} = await get('/health');
		expect(status).toBe(200);
		expect(type).toBe('application/health+json');
		expect(body.status).toBe('pass');
		const checks = body.checks as Record<string, {status: string; observedValue: unknown; observedUnit: string; time: string}[]>;
		expect(Object.keys(checks)).toEqual(expect.arrayContaining(['postgres:responseTime', 'redis:responseTime', 'sqlite:size', 'backups:diskFree', 'uptime']));
		for (const [name, [check]] of Object.entries(checks)) {
			expect(check, name).toMatchObject({status: 'pass', observedUnit: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)});
		}
		expect(checks['postgres:responseTime']![0]!.observedValue).toEqual(expect.any(Number));
	});

	it('GET /api/health: {success, data: {status, timestamp, uptime, memory, database, redis, sqlite, errors}}; other paths 404', async () => {
		const {status, body} = await get('/api/health');
		expect(status).toBe(200);
		expect(body.success).toBe(true);
		expect(Object.keys(body.data)).toEqual(['status', 'timestamp', 'uptime', 'memory', 'database', 'redis', 'sqlite', 'errors']);
		expect(body.data).toMatchObject({status: 'healthy', errors: [], database: {status: 'up'}, redis: {status: 'up'}, sqlite: {status: 'up'}});
		expect((await get('/nope')).status).toBe(404);
	});

	// issue 16, point 6: POST /health said 404, as if the path did not exist
	it('another method on /health or /api/health: 405 with Allow: GET, HEAD; an unknown path stays 404', async () => {
		for (const [method, path] of [['POST', '/health'], ['PUT', '/api/health'], ['DELETE', '/health']] as const) {
			const response = await fetch(`${base}${path}`, {method});
			expect(response.status, `${method} ${path}`).toBe(405);
			expect(response.headers.get('allow')).toBe('GET, HEAD');
			expect(await response.json()).toMatchObject({success: false, error: expect.stringContaining('method not allowed')});
		}
		expect((await fetch(`${base}/nope`, {method: 'POST'})).status).toBe(404);
		const head = await fetch(`${base}/health`, {method: 'HEAD'});
		expect(head.status).toBe(200);
		expect(await head.text()).toBe('');
	});

	it('503 while PostgreSQL is gone, 200 again once it is back; one webhook per change; changes logged, masked', async () => {
		const port = proxy.port;
		await proxy.close();
		await waitFor(async () => (await get('/health')).status === 503, {timeout: 10_000});
		const down = await get('/api/health');
		expect(down.status).toBe(503);
		expect(down.body.success).toBe(false);
		expect(down.body.data.status).toBe('unhealthy');
		expect(down.body.data.errors[0]).toMatch(/^postgres down: /);
		expect((await get('/health')).body.status).toBe('fail');
		// several polls while down: still one alert
		await new Promise(resolve => setTimeout(resolve, 800));
		proxy = await startProxy({targetPort: Number(pg.port || 5432), targetHost: pg.hostname, port});
		await waitFor(async () => (await get('/health')).status === 200, {timeout: 10_000});
		await waitFor(() => hook.bodies.length >= 2, {timeout: 5000});
		await new Promise(resolve => setTimeout(resolve, 600));
		const alerts = hook.bodies.map(b => JSON.parse(b) as {verdict: string; previous: string; content: string; text: string});
		expect(alerts.map(a => `${a.previous}->${a.verdict}`)).toEqual(['healthy->unhealthy', 'unhealthy->healthy']);
		expect(alerts[0]!.content).toMatch(/^opsdeck: healthy -> unhealthy: postgres down: /);
		expect(alerts[0]!.text).toBe(alerts[0]!.content);
		const out = serve.out();
		expect(out).toMatch(/verdict healthy\n/);
		expect(out).toMatch(/verdict healthy -> unhealthy: postgres down: /);
		expect(out).toMatch(/verdict unhealthy -> healthy\n/);
		expect(out + serve.err()).not.toContain('pg-s3cret');
	});

	// issue 16, point 6: it said "cannot listen on 127.0.0.1:N: EADDRINUSE", exit 2
	it('a port already in use: exit 1, one line naming the port', async () => {
		const holder = net.createServer();
		await new Promise<void>(resolve => holder.listen(0, '127.0.0.1', resolve));
		const {port} = holder.address() as net.AddressInfo;
		try {
			const r = await runCli(['serve', '--port', String(port)], {cwd: sqlite.dir, env: cliEnv({REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path})});
			expect(r.stderr).toBe(`opsdeck: port ${port} on 127.0.0.1 is already in use (another opsdeck serve, or the app?): stop it or choose another with --port or HEALTH_PORT\n`);
			expect(r.code).toBe(1);
		} finally {
			holder.close();
		}
	});

	it('SIGTERM: stops listening and exits 0', async () => {
		serve.child.kill('SIGTERM');
		expect(await serve.exit).toBe(0);
		expect(serve.out()).toMatch(/SIGTERM: stopping\n$/);
		await expect(fetch(`${base}/health`)).rejects.toThrow();
	});
});
