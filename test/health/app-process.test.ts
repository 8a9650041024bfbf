// Issue 18: with APP_SERVICE set, the app's process is part of the health check — down makes the
// verdict unhealthy (like a failing APP_HEALTH_URL), not knowing is degraded, and the restarts seen
// since opsdeck started are in the report for the card (and in /api/health). Real servers for the
// rest (a private redis-server, the local PostgreSQL, a temp SQLite file) and a plain app under a
// plain supervisor with a pid file.
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig, defaultThresholds} from '../../source/config/config.js';
import {checkHealth, judge} from '../../source/health/health.js';
import {apiHealth, healthJson} from '../../source/health/http.js';
import {componentLines} from '../../source/text/health-text.js';
import {startSupervised, type Supervised} from '../helpers/app-supervisor.js';
import {adminUrl} from '../helpers/pg-db.js';
import {freePort} from '../helpers/ports.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';

let redis: RedisServerHandle;
let sqlite: TempSqlite;
let app: Supervised;
let backends: Backends;

beforeAll(async () => {
	redis = await startRedis();
	sqlite = tempSqlite();
	app = startSupervised(sqlite.dir, await freePort());
	await app.ready();
	backends = createBackends(loadConfig({
		env: {REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups'), APP_SERVICE: `pidfile:${app.pidFile}`},
		cwd: sqlite.dir,
	}));
	await startBackends(backends);
});

afterAll(async () => {
	await closeBackends(backends);
	await app.stop();
	await redis.stop();
	sqlite.cleanup();
});

describe('the app process in the health check', () => {
	it('up: no reason; its pid and the restarts seen since opsdeck started, in the report, /health, /api/health and status', async () => {
		const first = await checkHealth(backends);
		expect(first.appProcess).toMatchObject({state: 'up', pid: app.appPid(), restartsSeen: 0});
		expect(first.reasons.filter(r => r.component === 'appProcess')).toEqual([]);
		// the supervisor starts a new one: seen at the next check
		process.kill(app.appPid(), 'SIGTERM');
		await waitFor(async () => (await app.ready()) !== first.appProcess!.pid, {timeout: 10_000});
		const next = await checkHealth(backends);
		expect(next.appProcess).toMatchObject({state: 'up', pid: app.appPid(), restartsSeen: 1});
		expect(healthJson(next).checks['app:process']).toEqual([expect.objectContaining({componentId: 'app-process', status: 'pass'})]);
		expect(apiHealth(next).data.appProcess).toMatchObject({status: 'up', pid: app.appPid(), restartsSinceStart: 1});
		expect(componentLines(next).find(l => l.name === 'app process')?.text).toMatch(new RegExp(`^pidfile:.*  pid ${app.appPid()}  up .*  restarts 1 since opsdeck started  rss .*  port ${app.port}$`));
	}, 30_000);

	it('down: unhealthy, with the reason; /health fails it', async () => {
		const pid = app.appPid();
		fs.writeFileSync(app.pidFile, '999999999\n');
		try {
			const report = await checkHealth(backends);
			expect(report.verdict).toBe('unhealthy');
			expect(report.reasons).toContainEqual({component: 'appProcess', level: 'unhealthy', message: `app process down: pid 999999999 from ${app.pidFile} is not running`});
			expect(healthJson(report).checks['app:process']![0]!.status).toBe('fail');
		} finally {
			fs.writeFileSync(app.pidFile, `${pid}\n`);
		}
	});

	it('the rules on their own: down → unhealthy, unknown → degraded, none set → no rule', () => {
		const up = {
			postgres: {state: 'up', latencyMs: 5, lastError: null},
			redis: {state: 'up', latencyMs: 1, memoryRatio: 0.2, lastError: null},
			sqlite: {state: 'up', error: null},
			backups: {diskFreeRatio: 0.5},
			app: null,
			appProcess: null,
		} as unknown as Parameters<typeof judge>[0];
		expect(judge(up, defaultThresholds).verdict).toBe('healthy');
		expect(judge({...up, appProcess: {state: 'down', detail: 'stopped'}} as never, defaultThresholds)).toEqual({verdict: 'unhealthy', reasons: [{component: 'appProcess', level: 'unhealthy', message: 'app process down: stopped'}]});
		expect(judge({...up, appProcess: {state: 'unknown', detail: 'cannot tell', error: 'systemctl show chat.service failed (exit 1)'}} as never, defaultThresholds)).toEqual({verdict: 'degraded', reasons: [{component: 'appProcess', level: 'degraded', message: 'app process unknown: systemctl show chat.service failed (exit 1)'}]});
	});
});
