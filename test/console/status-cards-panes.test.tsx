// The Status tab's cards at 80x24 and 40x10 with every card there is (the stores, the app's health
// URL, the app's process, the last restore drill): a name or label always stands apart from its
// state or value (a line too long is cut with an ellipsis, never run together or wrapped); and the
// restore drill card: passed, FAILED with its finding, overdue per DRILL_INTERVAL_HOURS, as the
// verdict counts them.
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {adminUrl} from '../helpers/pg-db.js';
import {keys, render, stripAnsi} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startLocalServer, type LocalServer} from '../helpers/health-env.js';

let sqlite: TempSqlite;
let health: LocalServer;
let appProcess: ChildProcess;
const open: Backends[] = [];
const backupDir = () => path.join(sqlite.dir, 'backups');
const pidFile = () => path.join(sqlite.dir, 'app.pid');

beforeAll(async () => {
	sqlite = tempSqlite();
	health = await startLocalServer();
	fs.mkdirSync(backupDir());
	// the app's process: any process of this user, named in a pid file
	appProcess = spawn('sleep', ['600'], {stdio: 'ignore'});
	fs.writeFileSync(pidFile(), `${appProcess.pid}\n`);
});

afterEach(async () => {
	await Promise.all(open.splice(0).map(b => closeBackends(b)));
});

afterAll(async () => {
	appProcess.kill();
	await health.close();
	sqlite.cleanup();
});

function drills(...records: Array<{agoMs: number; ok: boolean; findings?: string[]}>) {
	const lines = records.map(r => JSON.stringify({at: new Date(Date.now() - r.agoMs).toISOString(), backup: 'manual_2026-11-22T10-15-16.db', ok: r.ok, durationMs: 640, findings: r.findings ?? []}));
	fs.writeFileSync(path.join(backupDir(), 'drills.jsonl'), lines.map(line => `${line}\n`).join(''));
}

async function statusAt(pane: {columns: number; rows: number}, env: Record<string, string> = {}) {
	const config = loadConfig({
		env: {REDIS_URL: 'redis://127.0.0.1:6379/0', DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: backupDir(), APP_SERVICE: `pidfile:${pidFile()}`, OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'), POLL_INTERVAL_MS: '300', ...env},
		cwd: sqlite.dir,
	});
	const backends = createBackends(config);
	open.push(backends);
	await startBackends(backends);
	const app = render(<App backends={backends} startOnMount={false} />);
	Object.defineProperty(app.stdout, 'columns', {value: pane.columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: pane.rows, configurable: true});
	app.stdout.emit('resize');
	return app;
}

function fits(frame: string, pane: {columns: number; rows: number}) {
	const lines = stripAnsi(frame).split('\n');
	expect(lines.length).toBeLessThanOrEqual(pane.rows - 1);
	for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(pane.columns);
}

const hour = 3_600_000;

describe('Status cards in a pane', () => {
	for (const pane of [{columns: 40, rows: 10}, {columns: 80, rows: 24}]) {
		it(`${pane.columns}x${pane.rows}, every card (one line each): name, a space, state, a space, text`, async () => {
			drills({agoMs: 2 * hour, ok: true});
			const app = await statusAt(pane, {APP_HEALTH_URL: health.url, DRILL_INTERVAL_HOURS: '24'});
			const top = await app.waitFor(s => /^postgres +up/m.test(s) && /^redis +up/m.test(s) && /^drill/m.test(s), 10_000);
			fits(app.lastFrame() ?? '', pane);
			// a 40x10 pane cuts the list: it says so, and G shows the rest (hostile defect W3)
			if (pane.rows < 24) expect(top).toMatch(/^lines 1-\d of 7, more below/m);
			await app.press('G');
			const screen = `${top}\n${await app.waitFor(/^console +rss/m)}`;
			fits(app.lastFrame() ?? '', pane);
			for (const name of ['postgres', 'redis', 'sqlite', 'app', 'app process']) expect(screen).toMatch(new RegExp(`^${name} +up +\\S`, 'm'));
			expect(screen).toMatch(pane.columns >= 80 ? /^app process +up +pidfile:\S+ +pid \d+/m : /^app process +up +pidfile:\S+…$/m);
			expect(screen).toMatch(/^drill +passed +2h\S* ago/m);
		});
	}

	it('80x24, two columns: each card row a label, a space, a value; the drill card passed, then FAILED, then overdue', async () => {
		const pane = {columns: 80, rows: 24};
		drills({agoMs: 2 * hour, ok: true});
		const app = await statusAt(pane, {DRILL_INTERVAL_HOURS: '24'});
		let screen = await app.waitFor(s => s.includes('App process  up') && /Drill +passed/.test(s) && /PostgreSQL +up/.test(s), 10_000);
		fits(app.lastFrame() ?? '', pane);
		expect(screen).toMatch(/HEALTHY/);
		expect(screen).toMatch(/Drill +passed +2h\S* ago, every 24 h/);
		expect(screen).toMatch(/^ {2}backup +manual_2026-\S*16\.db/m);
		expect(screen).toMatch(/restarts +- \(0 since start\)/);
		expect(screen).toMatch(/rss cpu +[\d.]+ (KB|MB) +[-\d.%]+ +port -/);
		// every row of every card: the label (at most 10 cells), then a space
		const rows = screen.split('\n').flatMap(line => [line.slice(0, 39), line.slice(41)]).filter(half => /^ {2}\S/.test(half));
		expect(rows.length).toBeGreaterThan(15);
		for (const row of rows) expect(row).toMatch(/^ {2}\S.{0,9} +\S/);

		drills({agoMs: 2 * hour, ok: true}, {agoMs: 5 * 60_000, ok: false, findings: ['select count(*) > 1000 from players: false', 'integrity']});
		screen = await app.waitFor(/Drill +FAILED/, 5000);
		expect(screen).toMatch(/DEGRADED +restore drill failed/);
		expect(screen).toMatch(/Drill +FAILED +5m\S* ago, every 24 h/);
		expect(screen).toMatch(/finding +select count\(\*\) > 1000 fr…/);

		drills({agoMs: 50 * hour, ok: true});
		screen = await app.waitFor(/Drill +overdue/, 5000);
		expect(screen).toMatch(/DEGRADED +restore drill overdue/);
		expect(screen).toMatch(/Drill +overdue +2d\S* ago, every 24 h/);
		fits(app.lastFrame() ?? '', pane);
	});

	it('40x10 with several reasons (app health failing, Redis down, a failed drill): j, PgDn and G reach every line; k and g go back (hostile defect W3)', async () => {
		const pane = {columns: 40, rows: 10};
		drills({agoMs: 5 * 60_000, ok: false, findings: ['integrity']});
		const app = await statusAt(pane, {APP_HEALTH_URL: 'http://127.0.0.1:1/health', REDIS_URL: 'redis://127.0.0.1:1/0', DRILL_INTERVAL_HOURS: '24'});
		const top = await app.waitFor(s => /UNHEALTHY/.test(s) && /^redis +DOWN/m.test(s) && /more below/.test(s), 10_000);
		fits(app.lastFrame() ?? '', pane);
		expect(top).not.toMatch(/^console/m);
		await app.press('j');
		expect(app.screen()).toMatch(/^lines 2-\d+ of \d+, more above and below/m);
		await app.press(keys.pageDown);
		await app.press('G');
		const bottom = await app.waitFor(/^console +rss/m);
		fits(app.lastFrame() ?? '', pane);
		expect(bottom).toMatch(/^drill +FAILED +5m\S* ago/m);
		expect(bottom).toMatch(/^app process +up/m);
		expect(bottom).toMatch(/^lines \d+-(\d+) of \1, more above \(j k\)$/m);
		await app.press('g');
		expect(app.screen()).toMatch(/^lines 1-/m);
	});

	it('a (every environment) at 40x10 with three profiles: the third is reached with G, a mark says more is below', async () => {
		const file = path.join(sqlite.dir, 'opsdeck.config.json');
		const down = {redisUrl: 'redis://127.0.0.1:1/0', databaseUrl: 'postgres://127.0.0.1:1/x', sqlitePath: sqlite.path, backupDir: backupDir()};
		fs.writeFileSync(file, JSON.stringify({profiles: {alpha: {redisUrl: 'redis://127.0.0.1:6379/0', databaseUrl: adminUrl, sqlitePath: sqlite.path, backupDir: backupDir()}, bravo: down, charlie: down}}));
		try {
			const config = loadConfig({flags: {config: file}, profile: 'alpha', cwd: sqlite.dir});
			const backends = createBackends(config);
			open.push(backends);
			await startBackends(backends);
			const app = render(<App backends={backends} startOnMount={false} />);
			Object.defineProperty(app.stdout, 'columns', {value: 40, configurable: true});
			Object.defineProperty(app.stdout, 'rows', {value: 10, configurable: true});
			app.stdout.emit('resize');
			await app.waitFor(/^postgres/m, 10_000);
			await app.press('a');
			const top = await app.waitFor(s => s.includes('All environments (3)') && /more below/.test(s), 15_000);
			fits(app.lastFrame() ?? '', {columns: 40, rows: 10});
			expect(top).not.toContain('charlie');
			await app.press('G');
			const bottom = await app.waitFor('charlie');
			expect(bottom).toMatch(/more above/);
			fits(app.lastFrame() ?? '', {columns: 40, rows: 10});
		} finally {
			fs.rmSync(file, {force: true});
		}
	});

	it('no drill recorded nor scheduled: no drill card, no drill line', async () => {
		fs.rmSync(path.join(backupDir(), 'drills.jsonl'), {force: true});
		const app = await statusAt({columns: 80, rows: 24});
		const screen = await app.waitFor(s => s.includes('App process  up') && /PostgreSQL +up/.test(s), 10_000);
		expect(screen).not.toMatch(/drill/i);
	});
});
