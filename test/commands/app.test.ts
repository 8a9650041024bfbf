// `opsdeck app status | restart` (issue 18), the built CLI with no terminal: against a tiny app
// under a real PM2 (private PM2_HOME) — status shows its pid and restarts, `restart --yes` gives a
// new pid — and the same with pidfile: and port: against a plain child process. Read-only refuses a
// restart (audited, nothing signalled), no --yes without a terminal refuses, a restart that gives
// no new pid says why with the app's last log lines (hostile bytes escaped). Needs `npm run build`.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readAudit} from '../../source/mutations/registry.js';
import {startSupervised, type Supervised} from '../helpers/app-supervisor.js';
import {cliEnv, requireBuild, runCli} from '../helpers/health-env.js';
import {pm2Home, tinyApp, type Pm2Home} from '../helpers/pm2.js';
import {freePort} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';

let dir: string;
let pm2: Pm2Home;
let pm2Port: number;
let app: Supervised;
const auditLog = () => path.join(dir, 'audit.log');

beforeAll(async () => {
	requireBuild();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-app-cmd-'));
	pm2 = pm2Home(dir);
	pm2Port = await freePort();
	app = startSupervised(dir, await freePort());
	await app.ready();
});

afterAll(async () => {
	await pm2?.kill();
	await app?.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

const run = (args: string[], env: Record<string, string | undefined>) => runCli(['app', ...args], {env: cliEnv({OPSDECK_AUDIT_LOG: auditLog(), ...env}), cwd: dir});
const field = (stdout: string, name: string) => new RegExp(`^${name} +(.*)$`, 'm').exec(stdout)?.[1];

describe('opsdeck app, under PM2', () => {
	it('status shows its pid and restarts; restart --yes gives a new pid; status then counts it', async () => {
		await pm2.pm2Start(tinyApp(dir), 'tiny', pm2Port);
		const env = {APP_SERVICE: 'pm2:tiny', PM2_HOME: pm2.env.PM2_HOME, PATH: pm2.env.PATH};
		const status = await waitFor(async () => {
			const r = await run(['status'], env);
			return field(r.stdout, 'ports') === String(pm2Port) ? r : undefined;
		}, {timeout: 15_000});
		expect(status.code).toBe(0);
		const pid = Number(field(status.stdout, 'pid'));
		expect(pid).toBeGreaterThan(0);
		expect(field(status.stdout, 'state')).toBe('up: online');
		expect(field(status.stdout, 'restarts')).toBe('0');
		const json = JSON.parse((await run(['status', '--json'], env)).stdout) as {pid: number; restarts: number; state: string};
		expect(json).toMatchObject({pid, restarts: 0, state: 'up'});

		const restart = await run(['restart', '--yes'], env);
		expect(restart.stderr).toBe('');
		expect(restart.code).toBe(0);
		const m = /^restarted pm2:tiny: pid (\d+) → (\d+) \(.+\)\n$/.exec(restart.stdout);
		expect(m?.[1]).toBe(String(pid));
		expect(Number(m?.[2])).not.toBe(pid);
		const after = await run(['status'], env);
		expect(field(after.stdout, 'pid')).toBe(m?.[2]);
		expect(field(after.stdout, 'restarts')).toBe('1');
		expect(readAudit({auditLog: auditLog()}, 1)[0]).toMatchObject({action: 'app-restart', result: 'ok', target: `pm2:tiny (pid ${pid})`});

		// Found by the hostile tester: "restarts - (pm2: has no restart count)" when PM2 does not know the app
		const unknown = await run(['status'], {...env, APP_SERVICE: 'pm2:nosuch'});
		expect(field(unknown.stdout, 'state')).toBe('down: PM2 has no process named nosuch');
		expect(field(unknown.stdout, 'restarts')).toBe('- (PM2 has no process named nosuch)');
	}, 60_000);

	it('PM2 not running: the restarts line says so, not that PM2 has no restart count', async () => {
		const home = path.join(dir, 'no-pm2-here');
		fs.mkdirSync(home, {recursive: true});
		const status = await run(['status'], {APP_SERVICE: 'pm2:tiny', PM2_HOME: home});
		expect(status.code).toBe(1);
		expect(field(status.stdout, 'state')).toBe(`down: PM2 is not running (PM2_HOME ${home})`);
		expect(field(status.stdout, 'restarts')).toBe(`- (PM2 is not running (PM2_HOME ${home}))`);
		expect(status.stdout).not.toContain('has no restart count');
	});
});

describe.each([
	['pidfile:', () => `pidfile:${app.pidFile}`],
	['port:', () => `port:${app.port}`],
])('opsdeck app, %s a plain child process', (kind, service) => {
	it('status shows its pid and port; restart --yes gives a new pid', async () => {
		const pid = await app.ready();
		const env = {APP_SERVICE: service(), LOG_FILES: app.log};
		const status = await run(['status'], env);
		expect(status.code).toBe(0);
		expect(field(status.stdout, 'pid')).toBe(String(pid));
		expect(field(status.stdout, 'ports')).toBe(String(app.port));
		expect(field(status.stdout, 'restarts')).toBe(`- (${kind.slice(0, -1)}: has no restart count; the console counts new pids while it runs)`);
		const restart = await run(['restart', '--yes', '--json'], env);
		expect(restart.code).toBe(0);
		const outcome = JSON.parse(restart.stdout) as {restarted: boolean; before: number; after: number};
		expect(outcome).toMatchObject({restarted: true, before: pid});
		expect(outcome.after).toBe(await app.ready());
		expect(outcome.after).not.toBe(pid);
	}, 30_000);

	it('read-only: refused (exit 2), nothing signalled, the refusal audited; no --yes and no terminal: refused', async () => {
		const pid = await app.ready();
		const env = {APP_SERVICE: service(), LOG_FILES: app.log};
		const readOnly = await run(['restart', '--yes'], {...env, OPSDECK_READ_ONLY: '1'});
		expect(readOnly).toMatchObject({code: 2, stdout: '', stderr: 'opsdeck: read-only mode: app-restart refused (nothing was changed)\n'});
		expect(readAudit({auditLog: auditLog()}, 1)[0]).toMatchObject({action: 'app-restart', result: 'refused', error: 'read-only mode'});
		const unconfirmed = await run(['restart'], env);
		expect(unconfirmed.code).toBe(2);
		expect(unconfirmed.stderr).toMatch(/^opsdeck: refused: SIGTERM to pid \d+ \(.*\), then wait up to 30 s for .* needs --yes when there is no terminal to ask on\n$/);
		expect(app.appPid()).toBe(pid);
	});
});

describe('opsdeck app, the failures', () => {
	it('nothing restarts it: exit 1, the error and its last log lines (escaped), down afterwards', async () => {
		const lone = startSupervised(dir, await freePort(), {respawn: false, name: 'lone'});
		try {
			const pid = await lone.ready();
			fs.appendFileSync(lone.log, 'ERROR about to die \x1b]0;pwned\x07\n');
			const env = {APP_SERVICE: `pidfile:${lone.pidFile}`, LOG_FILES: lone.log, APP_RESTART_TIMEOUT: '2'};
			const r = await run(['restart', '--yes'], env);
			expect(r.code).toBe(1);
			expect(r.stdout).toBe('');
			const lines = r.stderr.split('\n');
			expect(lines[0]).toBe(`opsdeck: restart of pidfile:${lone.pidFile} failed: no new pid within 2 s: pid ${pid} from ${lone.pidFile} is not running`);
			expect(lines[1]).toBe('its last log lines:');
			expect(r.stderr).toContain('  ERROR about to die \\x1b]0;pwned\\x07\n');
			expect(r.stderr).toMatch(new RegExp(`  \\S+ INFO pid ${pid} got SIGTERM, exiting\\n$`));
			expect(r.stderr).not.toMatch(/[\x1b\x07]/);
			const status = await run(['status'], env);
			expect(status.code).toBe(1);
			expect(field(status.stdout, 'state')).toBe(`down: pid ${pid} from ${lone.pidFile} is not running`);
		} finally {
			await lone.stop();
		}
	}, 30_000);

	it.skipIf(process.getuid?.() !== 0)('a pid file naming pid 1, opsdeck\'s own parent or another user\'s process: not the app\'s, a restart refused and audited, nothing signalled', async () => {
		const pidFile = path.join(dir, 'planted.pid');
		const env = {APP_SERVICE: `pidfile:${pidFile}`};
		// pid 1 (init) and the process opsdeck runs under (this test's worker)
		for (const [pid, reason] of [[1, 'pid 1 is init'], [process.pid, 'it is a process opsdeck runs under']] as const) {
			fs.writeFileSync(pidFile, `${pid}\n`);
			const status = await run(['status'], env);
			expect(status.code).toBe(1);
			expect(field(status.stdout, 'state')).toBe(`unknown: pid ${pid} from ${pidFile} is not the app's (${reason})`);
			const restart = await run(['restart', '--yes'], env);
			expect(restart).toMatchObject({code: 2, stdout: ''});
			expect(restart.stderr).toBe(`opsdeck: refusing to signal pid ${pid}: not the app's (${reason}); nothing was signalled\n`);
			expect(readAudit({auditLog: auditLog()}, 1)[0]).toMatchObject({action: 'app-restart', result: 'refused'});
		}
		// a real process of root's, named by a pid file that belongs to nobody
		const child = spawn('sleep', ['60'], {stdio: 'ignore'});
		try {
			fs.writeFileSync(pidFile, `${child.pid}\n`);
			fs.chownSync(pidFile, 65_534, 65_534);
			const nobody = /^([^:]+):[^:]*:65534:/m.exec(fs.readFileSync('/etc/passwd', 'utf8'))?.[1] ?? 'uid 65534';
			const reason = `owned by root (uid 0), while the pid file is owned by ${nobody === 'uid 65534' ? nobody : `${nobody} (uid 65534)`}`;
			const status = await run(['status'], env);
			expect(status.code).toBe(1);
			expect(field(status.stdout, 'state')).toBe(`unknown: pid ${child.pid} from ${pidFile} is not the app's (${reason})`);
			const restart = await run(['restart', '--yes'], env);
			expect(restart).toMatchObject({code: 2, stdout: '', stderr: `opsdeck: refusing to signal pid ${child.pid}: not the app's (${reason}); nothing was signalled\n`});
			expect(readAudit({auditLog: auditLog()}, 1)[0]).toMatchObject({action: 'app-restart', result: 'refused'});
			expect(child.exitCode).toBe(null);
			expect(child.signalCode).toBe(null);
		} finally {
			child.kill('SIGKILL');
		}
	}, 30_000);

	it('usage: APP_SERVICE not set or malformed, no subcommand', async () => {
		expect(await run(['status'], {})).toMatchObject({code: 2, stderr: 'opsdeck: APP_SERVICE is not set: set it to systemd:UNIT, pm2:NAME, pidfile:PATH or port:N\n'});
		expect(await run(['status'], {APP_SERVICE: 'docker:chat'})).toMatchObject({code: 2, stderr: 'opsdeck: APP_SERVICE must be systemd:UNIT, pm2:NAME, pidfile:PATH or port:N (got "docker:chat")\n'});
		expect(await run(['status'], {APP_SERVICE: 'port:99999'})).toMatchObject({code: 2, stderr: 'opsdeck: APP_SERVICE: port must be a number from 1 to 65535 (got "99999")\n'});
		expect(await run([], {APP_SERVICE: 'port:1'})).toMatchObject({code: 2, stderr: 'opsdeck: usage: opsdeck app status [--json] | restart [--yes]\n'});
	});
});
