// The app's process found by a pid file and by its port, against a plain child process under a
// plain supervisor (helpers/app-supervisor.ts): status (pid, state, uptime, RSS, CPU, the port),
// down when it is gone, restarts counted since opsdeck started by the pid changing; restart by
// SIGTERM and a wait for the new pid; no supervisor: an error with the app's last log lines; a pid
// that changed since it was confirmed is not signalled; read-only refuses; every attempt audited.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseAddress, parseListeners, portOwner} from '../../source/app-process/ports.js';
import {parseStat, readProc} from '../../source/app-process/proc.js';
import {restartApp, RestartError} from '../../source/app-process/restart.js';
import type {AppService} from '../../source/app-process/service.js';
import {appStatus} from '../../source/app-process/status.js';
import {newAppWatch} from '../../source/app-process/tracker.js';
import {ReadOnlyError, readAudit} from '../../source/mutations/registry.js';
import {startSupervised, type Supervised} from '../helpers/app-supervisor.js';
import {freePort} from '../helpers/ports.js';

let dir: string;
let app: Supervised;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-appproc-'));
	app = startSupervised(dir, await freePort());
	stops.push(() => app.stop());
	await app.ready();
});

afterAll(async () => {
	for (const stop of stops) await stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

const config = (service: AppService, extra: {readOnly?: boolean; timeoutMs?: number; logFiles?: string[]} = {}) => ({
	readOnly: extra.readOnly ?? false,
	auditLog: path.join(dir, 'audit.log'),
	appService: service,
	appRestartTimeoutMs: extra.timeoutMs ?? 10_000,
	logFiles: extra.logFiles ?? [app.log],
	logUnit: undefined,
});

describe('/proc', () => {
	it('parses stat with a process name holding spaces and parentheses', () => {
		expect(parseStat('812 (my (odd) app) S 1 812 812 0 -1 4194560 1 0 0 0 5 3 0 0 20 0 11 0 397471 0 0')).toEqual({command: 'my (odd) app', fields: 'S 1 812 812 0 -1 4194560 1 0 0 0 5 3 0 0 20 0 11 0 397471 0 0'.split(' ')});
	});

	it('parses /proc/net/tcp and tcp6 (captured on this machine)', () => {
		const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:075B 00000000:0000 0A 00000000:00000000 00:00000000 00000000   105        0 6771 1 0000000033651c50 100 0 0 10 0
   1: 0100007F:9C5A 0100007F:18EB 01 00000000:00000000 00:00000000 00000000     0        0 454690 1 000000003dd11878 20 4 30 10 -1
   2: 00000000:15B3 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 286409 1 000000008aac0e08 100 0 0 10 0`;
		expect(parseListeners(tcp)).toEqual([{port: 1883, address: '127.0.0.1', inode: 6771}, {port: 5555, address: '0.0.0.0', inode: 286409}]);
		expect(parseAddress('00000000000000000000000001000000:18EB')).toEqual({address: '0:0:0:0:0:0:0:1', port: 6379});
	});

	it('reads a live process: state, start time, RSS, CPU seconds; none for a pid that is gone', async () => {
		const me = await readProc(process.pid);
		expect(me).toMatchObject({pid: process.pid, state: expect.stringMatching(/^[RS]$/)});
		expect(Math.abs(me!.startedAt - (Date.now() - process.uptime() * 1000))).toBeLessThan(2000);
		expect(me!.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
		expect(await readProc(2 ** 22 + 1)).toBeUndefined();
	});
});

describe.each([
	['pidfile:', (): AppService => ({kind: 'pidfile', path: app.pidFile})],
	['port:', (): AppService => ({kind: 'port', port: app.port})],
])('%s', (_kind, service) => {
	it('status: up, the pid, uptime, RSS, CPU over a short sample, the listening port', async () => {
		const pid = await app.ready();
		const status = await appStatus(service(), {watch: newAppWatch(), sampleMs: 100});
		expect(status).toMatchObject({state: 'up', pid, pids: [pid], restarts: null, restartsSeen: 0, ports: [app.port], error: null});
		expect(status.uptimeSeconds).toBeGreaterThanOrEqual(0);
		expect(status.rssBytes).toBeGreaterThan(1024 * 1024);
		expect(status.cpuPercent).toBeGreaterThanOrEqual(0);
		expect(await portOwner(app.port)).toEqual({listening: true, pids: [pid], hidden: false});
	});

	it('restart: SIGTERM, a new pid from the supervisor; the restart seen since opsdeck started; audited', async () => {
		const watch = newAppWatch();
		const before = await app.ready();
		expect((await appStatus(service(), {watch})).restartsSeen).toBe(0);
		const outcome = await restartApp(config(service()), {confirmedPid: before, watch});
		expect(outcome.before).toBe(before);
		expect(outcome.after).not.toBe(before);
		expect(outcome.status).toMatchObject({state: 'up', pid: outcome.after, ports: [app.port]});
		expect(await app.ready()).toBe(outcome.after);
		expect((await appStatus(service(), {watch})).restartsSeen).toBe(1);
		expect(fs.readFileSync(app.log, 'utf8')).toContain(`pid ${before} got SIGTERM, exiting`);
		expect(readAudit({auditLog: path.join(dir, 'audit.log')}, 1)[0]).toMatchObject({action: 'app-restart', result: 'ok'});
	});

	it('a pid that is no longer the one confirmed is not signalled (refused, audited)', async () => {
		const pid = await app.ready();
		await expect(restartApp(config(service()), {confirmedPid: pid + 100_000})).rejects.toThrow(`pid ${pid + 100_000} is no longer the app's (now ${pid}): nothing was signalled`);
		expect(await app.ready()).toBe(pid);
		expect(readAudit({auditLog: path.join(dir, 'audit.log')}, 1)[0]).toMatchObject({action: 'app-restart', result: 'refused'});
	});

	it('read-only: refused by the op itself, nothing signalled, audited', async () => {
		const pid = await app.ready();
		await expect(restartApp(config(service(), {readOnly: true}), {confirmedPid: pid})).rejects.toBeInstanceOf(ReadOnlyError);
		expect(app.appPid()).toBe(pid);
		expect(readAudit({auditLog: path.join(dir, 'audit.log')}, 1)[0]).toMatchObject({action: 'app-restart', result: 'refused', error: 'read-only mode'});
	});
});

describe('with nothing to restart it', () => {
	it('no new pid within the timeout: the error and the last log lines; down afterwards; audited as failed', async () => {
		const lone = startSupervised(dir, await freePort(), {respawn: false, name: 'lone'});
		stops.push(() => lone.stop());
		const pid = await lone.ready();
		const service: AppService = {kind: 'pidfile', path: lone.pidFile};
		const error = await restartApp(config(service, {timeoutMs: 1500, logFiles: [lone.log]}), {confirmedPid: pid}).catch(e => e as RestartError);
		expect(error).toBeInstanceOf(RestartError);
		expect((error as RestartError).message).toBe(`no new pid within 2 s: pid ${pid} from ${lone.pidFile} is not running`);
		expect((error as RestartError).lastLines.at(-1)).toMatch(new RegExp(`INFO pid ${pid} got SIGTERM, exiting$`));
		expect(await appStatus(service)).toMatchObject({state: 'down', pid: null, detail: `pid ${pid} from ${lone.pidFile} is not running`});
		expect(await appStatus({kind: 'port', port: lone.port})).toMatchObject({state: 'down', detail: `nothing listens on port ${lone.port}`});
		expect(readAudit({auditLog: path.join(dir, 'audit.log')}, 1)[0]).toMatchObject({action: 'app-restart', result: 'failed', error: expect.stringContaining('no new pid within 2 s')});
	}, 30_000);

	it('down: no pid file, a pid file with no pid', async () => {
		expect(await appStatus({kind: 'pidfile', path: path.join(dir, 'none.pid')})).toMatchObject({state: 'down', detail: `no pid file ${path.join(dir, 'none.pid')}`});
		fs.writeFileSync(path.join(dir, 'empty.pid'), '\n');
		expect(await appStatus({kind: 'pidfile', path: path.join(dir, 'empty.pid')})).toMatchObject({state: 'down', detail: `${path.join(dir, 'empty.pid')} holds no pid`});
	});
});
