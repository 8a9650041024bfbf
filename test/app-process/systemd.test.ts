// systemd:UNIT. systemd is not PID 1 on these machines, so `systemctl show` output is a fixture in
// the format of systemd 252's (fixtures/systemctl-show-*.txt: a running unit, one between
// automatic restarts, a failed one with a local time zone, a unit that does not exist), replayed by
// a stand-in systemctl (helpers/stub-tools.ts) that records its arguments. The pid in the running
// case is a real child process, so /proc is read for it as it would be for the unit's MainPID.
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {restartApp, RestartError} from '../../source/app-process/restart.js';
import type {AppService} from '../../source/app-process/service.js';
import {appStatus} from '../../source/app-process/status.js';
import {parseSystemctlShow, parseSystemdTime, systemctlShowArgs} from '../../source/app-process/systemd.js';
import {newAppWatch} from '../../source/app-process/tracker.js';
import {stubTools, type StubTools} from '../helpers/stub-tools.js';
import {waitFor} from '../helpers/wait.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, `systemctl-show-${name}.txt`), 'utf8');
const service: AppService = {kind: 'systemd', unit: 'chat.service'};
let dir: string;
let stubs: StubTools;
const children: ChildProcess[] = [];

/** A process standing in for the unit's main process, and a show file naming it. */
function mainProcess(): {pid: number; show: string} {
	const child = spawn('sleep', ['60'], {stdio: 'ignore'});
	children.push(child);
	const show = path.join(dir, `show-${child.pid}.txt`);
	fs.writeFileSync(show, fixture('active').replace('MainPID=812', `MainPID=${child.pid}`));
	return {pid: child.pid!, show};
}

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-systemd-'));
	stubs = stubTools({show: path.join(fixtures, 'systemctl-show-active.txt')});
});

afterAll(() => {
	for (const child of children) child.kill('SIGKILL');
	stubs.cleanup();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('systemctl show', () => {
	it('parses a running unit, one between automatic restarts, a failed one, one that does not exist', () => {
		expect(parseSystemctlShow(fixture('active'))).toEqual({id: 'chat.service', loadState: 'loaded', activeState: 'active', subState: 'running', mainPid: 812, restarts: 2, startedAt: Date.UTC(2024, 4, 1, 10), result: 'success', exitStatus: 0});
		expect(parseSystemctlShow(fixture('auto-restart'))).toMatchObject({activeState: 'activating', subState: 'auto-restart', mainPid: 0, restarts: 5, result: 'exit-code', exitStatus: 1});
		// a zone Date cannot place is not guessed at
		expect(parseSystemctlShow(fixture('failed-cest'))).toMatchObject({activeState: 'failed', startedAt: null});
		expect(parseSystemctlShow(fixture('not-found'))).toMatchObject({loadState: 'not-found', mainPid: 0, startedAt: null});
		expect(parseSystemdTime('@1714557600')).toBe(1_714_557_600_000);
		expect(systemctlShowArgs('chat.service')).toEqual(['show', '--property=Id,LoadState,ActiveState,SubState,MainPID,NRestarts,ExecMainStartTimestamp,ExecMainStatus,Result,FragmentPath', '--', 'chat.service']);
	});

	it('status: up with the main pid read from /proc; between restarts and failed: down; not found; systemd not running: unknown', async () => {
		const main = mainProcess();
		const env = (show: string) => ({...process.env, PATH: stubs.path, STUB_SHOW: show});
		const up = await appStatus(service, {env: env(main.show), watch: newAppWatch()});
		expect(up).toMatchObject({state: 'up', detail: 'active (running)', pid: main.pid, restarts: 2});
		expect(up.rssBytes).toBeGreaterThan(0);
		expect(Date.parse(up.startedAt!)).toBeGreaterThan(Date.now() - 60_000);
		expect(await appStatus(service, {env: env(path.join(fixtures, 'systemctl-show-auto-restart.txt'))})).toMatchObject({state: 'down', detail: 'activating (auto-restart), result exit-code', pid: null, restarts: 5});
		expect(await appStatus(service, {env: env(path.join(fixtures, 'systemctl-show-failed-cest.txt'))})).toMatchObject({state: 'down', detail: 'failed (failed), result exit-code'});
		expect(await appStatus({kind: 'systemd', unit: 'nosuch.service'}, {env: env(path.join(fixtures, 'systemctl-show-not-found.txt'))})).toMatchObject({state: 'down', detail: 'no unit nosuch.service (LoadState=not-found)'});
		// this machine's real systemctl, with no systemd running
		const real = await appStatus(service);
		expect(real.state).toBe('unknown');
		expect(real.error).toMatch(/^systemctl show chat\.service failed \(exit 1\)(: System has not been booted with systemd)?/);
		expect(stubs.calls().at(0)).toBe(`systemctl ${systemctlShowArgs('chat.service').join(' ')}`);
	});

	it('restart: systemctl restart UNIT, then the new MainPID', async () => {
		const first = mainProcess();
		const second = mainProcess();
		const show = path.join(dir, 'show-now.txt');
		fs.copyFileSync(first.show, show);
		const env = {...process.env, PATH: stubs.path, STUB_SHOW: show};
		const config = {readOnly: false, auditLog: path.join(dir, 'audit.log'), appService: service, appRestartTimeoutMs: 10_000, logFiles: [], logUnit: undefined};
		const restarting = restartApp(config, {env, confirmedPid: first.pid, pollMs: 50});
		// systemd's part: after `systemctl restart`, the unit has a new main process
		await waitFor(() => stubs.calls().includes('systemctl restart -- chat.service'));
		fs.copyFileSync(second.show, show);
		expect(await restarting).toMatchObject({before: first.pid, after: second.pid});
	});

	it('restart refused by systemctl (no privilege): its words, and the last lines of the unit\'s journal', async () => {
		const journal = path.join(import.meta.dirname, '..', 'logs', 'fixtures', 'journal-chat.jsonl');
		const tools = stubTools({journal, show: mainProcess().show});
		try {
			const env = {...process.env, PATH: tools.path, STUB_RESTART_ERR: 'Failed to restart chat.service: Access denied'};
			const saved = process.env.PATH;
			// the journal is read through the same PATH
			process.env.PATH = tools.path;
			const error = await restartApp({readOnly: false, auditLog: path.join(dir, 'audit.log'), appService: service, appRestartTimeoutMs: 5000, logFiles: [], logUnit: undefined}, {env}).catch(e => e as RestartError).finally(() => (process.env.PATH = saved));
			expect(error).toBeInstanceOf(RestartError);
			expect((error as RestartError).message).toBe('systemctl restart chat.service failed (exit 1): Failed to restart chat.service: Access denied');
			expect((error as RestartError).lastLines).toHaveLength(10);
			expect((error as RestartError).lastLines.at(-1)).toMatch(/node\[9131\]: Server listening on :5555$/);
		} finally {
			tools.cleanup();
		}
	});
});
