// pm2:NAME against a real PM2 (private PM2_HOME, daemon killed after): before PM2 runs the app is
// down and asking does not start a daemon; under PM2 the status has its pid, PM2's restart count,
// the port it listens on; a restart gives a new pid and PM2's count and the one seen since opsdeck
// started go up; a stopped process is down.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseJlist} from '../../source/app-process/pm2.js';
import {restartApp} from '../../source/app-process/restart.js';
import type {AppService} from '../../source/app-process/service.js';
import {appStatus} from '../../source/app-process/status.js';
import {newAppWatch, Pm2Cache} from '../../source/app-process/tracker.js';
import {pm2Home, tinyApp, type Pm2Home} from '../helpers/pm2.js';
import {freePort} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';

let dir: string;
let pm2: Pm2Home;
let port: number;
const service: AppService = {kind: 'pm2', name: 'tiny'};
const watch = newAppWatch();

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-pm2-'));
	pm2 = pm2Home(dir);
	port = await freePort();
});

afterAll(async () => {
	await pm2?.kill();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('pm2:', () => {
	it('PM2 not running: down, and no daemon started by asking', async () => {
		const status = await appStatus(service, {env: pm2.env, watch});
		expect(status).toMatchObject({state: 'down', detail: `PM2 is not running (PM2_HOME ${pm2.home})`, pid: null});
		expect(fs.existsSync(path.join(pm2.home, 'pm2.pid'))).toBe(false);
	});

	it('under PM2: up, its pid, PM2\'s restart count, the port; a restart gives a new pid and the counts go up', async () => {
		await pm2.pm2Start(tinyApp(dir), 'tiny', port);
		const jlist = parseJlist(await pm2.pm2('jlist'));
		const pid = jlist.find(p => p.name === 'tiny')!.pid;
		expect(pid).toBeGreaterThan(0);
		const status = await waitFor(async () => {
			const s = await appStatus(service, {env: {...pm2.env}, watch, sampleMs: 100});
			return s.ports.length > 0 ? s : undefined;
		});
		expect(status).toMatchObject({state: 'up', detail: 'online', pid, restarts: 0, restartsSeen: 0, ports: [port]});
		expect(status.logFiles).toEqual([path.join(pm2.home, 'logs', 'tiny-error.log'), path.join(pm2.home, 'logs', 'tiny-out.log')]);
		expect(status.rssBytes).toBeGreaterThan(1024 * 1024);

		const outcome = await restartApp({readOnly: false, auditLog: path.join(dir, 'audit.log'), appService: service, appRestartTimeoutMs: 20_000, logFiles: [], logUnit: undefined}, {env: pm2.env, watch, confirmedPid: pid});
		expect(outcome.before).toBe(pid);
		expect(outcome.after).not.toBe(pid);
		expect(outcome.status).toMatchObject({state: 'up', pid: outcome.after, restarts: 1, restartsSeen: 1, ports: [port]});
		expect(parseJlist(await pm2.pm2('jlist')).find(p => p.name === 'tiny')).toMatchObject({pid: outcome.after, restarts: 1, status: 'online'});
	}, 60_000);

	it('a name PM2 does not have, and a stopped process: down', async () => {
		expect(await appStatus({kind: 'pm2', name: 'nope'}, {env: pm2.env})).toMatchObject({state: 'down', detail: 'PM2 has no process named nope'});
		await pm2.pm2('stop', 'tiny');
		expect(await appStatus(service, {env: pm2.env})).toMatchObject({state: 'down', detail: 'stopped', pid: null, restarts: 1});
	}, 30_000);

	it('pm2 jlist is asked at most every 10 s while its pids run (a fresh look for a restart)', async () => {
		const cache = new Pm2Cache();
		let calls = 0;
		const live = [{name: 'x', pmId: 0, pid: process.pid, status: 'online', restarts: 0, unstableRestarts: 0, startedAt: null, outLog: null, errLog: null}];
		const fetch = async () => (calls++, live);
		await cache.get('x', fetch, {now: 0});
		await cache.get('x', fetch, {now: 9000});
		expect(calls).toBe(1);
		await cache.get('x', fetch, {now: 9000, fresh: true});
		await cache.get('x', fetch, {now: 19_001});
		expect(calls).toBe(3);
		const gone = [{...live[0]!, pid: 2 ** 22 + 1}];
		await cache.get('y', async () => (calls++, gone), {now: 0});
		await cache.get('y', async () => (calls++, gone), {now: 1});
		expect(calls).toBe(5);
	});

	it('jlist with a warning line before the JSON (an out-of-date daemon)', () => {
		const text = '>>>> In-memory PM2 is out-of-date, do:\n>>>> $ pm2 update\n[{"pid":812,"name":"chat","pm_id":0,"monit":{"memory":1,"cpu":0},"pm2_env":{"status":"online","restart_time":4,"unstable_restarts":0,"pm_uptime":1714557600000,"pm_out_log_path":"/o","pm_err_log_path":"/e","env":{"DATABASE_URL":"postgres://u:secret@h/db"}}}]\n';
		expect(parseJlist(text)).toEqual([{name: 'chat', pmId: 0, pid: 812, status: 'online', restarts: 4, unstableRestarts: 0, startedAt: 1_714_557_600_000, outLog: '/o', errLog: '/e'}]);
	});
});
