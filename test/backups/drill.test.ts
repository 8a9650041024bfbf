// Restore drills (issue 19) against real SQLite files: a good backup passes; a broken foreign key, a
// failing check query and a row count that differs from the sidecar each fail with the finding; the
// live file is never touched and no scratch copy is left; the verdict turns degraded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createBackup} from '../../source/backups/backups.js';
import {drillBackup} from '../../source/backups/drill.js';
import {lastDrill} from '../../source/backups/drill-log.js';
import {listLeftovers, prunable} from '../../source/backups/leftovers.js';
import {sidecarName} from '../../source/backups/names.js';
import {defaultThresholds} from '../../source/config/config.js';
import {judge} from '../../source/health/health.js';
import {probeDrill} from '../../source/health/drill.js';

let dir: string;
const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** a WAL-mode data file with a declared foreign key; `broken` leaves a child pointing at no parent */
function makeDb(file: string, broken = false): void {
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.exec(`
		create table teams (id integer primary key, name text not null);
		create table players (id integer primary key, team_id integer not null references teams(id), name text);
		insert into teams (id, name) values (1, 'red'), (2, 'blue'), (3, 'green');
		insert into players (team_id, name) values (1, 'a'), (2, 'b'), (3, 'c'), (1, 'd');
	`);
	// the app had foreign keys off (SQLite's default; better-sqlite3 turns them on)
	if (broken) {
		db.pragma('foreign_keys = OFF');
		db.exec(`insert into players (team_id, name) values (99, 'orphan')`);
	}
	db.close();
}

function setup(name: string, broken = false) {
	const base = path.join(dir, name);
	fs.mkdirSync(base);
	const sqlitePath = path.join(base, 'app.db');
	makeDb(sqlitePath, broken);
	return {sqlitePath, backupDir: path.join(base, 'backups'), drillChecks: [] as string[]};
}

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-drill-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

// sidecar helpers (names.ts has only the file name)
function sidecar(config: {backupDir: string}, name: string): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(path.join(config.backupDir, sidecarName(name)), 'utf8')) as Record<string, unknown>;
}

describe('drillBackup', () => {
	it('a good backup passes; the live file is not touched and no scratch copy is left; the result is in the sidecar and the drill log', async () => {
		const config = {...setup('good'), drillChecks: ['select count(*) = 3 from teams', "select max(name) from players"]};
		const backup = await createBackup(config, {kind: 'auto'});
		const liveBefore = {hash: hash(config.sqlitePath), mtime: fs.statSync(config.sqlitePath).mtimeMs, siblings: fs.readdirSync(path.dirname(config.sqlitePath)).sort()};
		const backupHash = hash(backup.path);
		const folderBefore = fs.readdirSync(config.backupDir).sort();
		const tmpBefore = fs.readdirSync(os.tmpdir()).filter(n => n.startsWith('.drill_'));

		const result = await drillBackup(config, {newest: true});
		expect(result.findings).toEqual([]);
		expect(result.ok).toBe(true);
		expect(result.backup).toBe(backup.name);
		expect(result.integrity).toBe('ok');
		expect(result.foreignKeys?.count).toBe(0);
		expect(result.tables).toEqual([{table: 'players', recorded: 4, restored: 4}, {table: 'teams', recorded: 3, restored: 3}]);
		expect(result.checks.map(c => c.ok)).toEqual([true, true]);

		// the live file and its folder as they were; the backup as it was; nothing left behind
		expect({hash: hash(config.sqlitePath), mtime: fs.statSync(config.sqlitePath).mtimeMs, siblings: fs.readdirSync(path.dirname(config.sqlitePath)).sort()}).toEqual(liveBefore);
		expect(hash(backup.path)).toBe(backupHash);
		expect(fs.readdirSync(config.backupDir).sort()).toEqual([...folderBefore, 'drills.jsonl'].sort());
		expect(fs.readdirSync(os.tmpdir()).filter(n => n.startsWith('.drill_'))).toEqual(tmpBefore);

		expect(sidecar(config, backup.name).drill).toMatchObject({backup: backup.name, ok: true, findings: []});
		expect(await lastDrill(config.backupDir)).toMatchObject({backup: backup.name, ok: true, at: result.at});
		const drill = await probeDrill({...config, drillIntervalHours: 24});
		expect(drill).toMatchObject({overdue: false, last: {ok: true}});
	});

	it('a broken foreign key fails with the finding, and the verdict turns degraded', async () => {
		const config = setup('broken-fk', true);
		const backup = await createBackup(config, {kind: 'manual'});
		const result = await drillBackup(config, {name: backup.name});
		expect(result.ok).toBe(false);
		expect(result.findings).toEqual(['foreign_key_check: 1 row points at a missing parent (e.g. players rowid 5 -> teams)']);
		const up = {
			postgres: {state: 'up', latencyMs: 5, lastError: null},
			redis: {state: 'up', latencyMs: 1, memoryRatio: 0.2, lastError: null},
			sqlite: {state: 'up', error: null},
			backups: {diskFreeRatio: 0.5},
			app: null,
			appProcess: null,
		} as unknown as Parameters<typeof judge>[0];
		const verdict = judge({...up, drill: await probeDrill(config)}, defaultThresholds);
		expect(verdict.verdict).toBe('degraded');
		expect(verdict.reasons[0]!.message).toMatch(new RegExp(`^restore drill failed: ${backup.name.replace(/\./g, '\\.')} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d: foreign_key_check: 1 row points at a missing parent`));
		// overdue: none recorded, or older than twice the interval
		const fresh = setup('never-drilled');
		expect(judge({...up, drill: await probeDrill({...fresh, drillIntervalHours: 1})}, defaultThresholds).reasons.map(r => r.message)).toEqual(['restore drill overdue: none recorded yet (DRILL_INTERVAL_HOURS=1)']);
		const later = Date.parse(result.at) + 3 * 3_600_000;
		expect((await probeDrill({...config, drillIntervalHours: 1}, later)).overdue).toBe(true);
		expect((await probeDrill({...config, drillIntervalHours: 2}, later)).overdue).toBe(false);
	});

	it('a failing check query, a query error and a row count that differs from the sidecar each fail with the finding', async () => {
		const config = {...setup('checks'), drillChecks: ['select count(*) > 100 from players', 'select * from no_such_table', 'select 1 where 0']};
		const backup = await createBackup(config, {kind: 'auto'});
		const meta = sidecar(config, backup.name);
		fs.writeFileSync(path.join(config.backupDir, sidecarName(backup.name)), JSON.stringify({...meta, tables: {...(meta.tables as object), teams: 7}}));
		const result = await drillBackup(config, {name: backup.name});
		expect(result.ok).toBe(false);
		expect(result.findings).toEqual([
			'row count of teams: 3 restored, 7 recorded when the backup was taken',
			'check "select count(*) > 100 from players": returned 0',
			'check "select * from no_such_table": error: no such table: no_such_table',
			'check "select 1 where 0": returned no row',
		]);
	});

	it('an old sidecar without counts says "no counts recorded" and still passes; a hostile check value stays data', async () => {
		const config = {...setup('old'), drillChecks: ["select 'x' || char(27) || '[2J'"]};
		const backup = await createBackup(config, {kind: 'auto'});
		const {tables: _dropped, ...meta} = sidecar(config, backup.name);
		fs.writeFileSync(path.join(config.backupDir, sidecarName(backup.name)), JSON.stringify(meta));
		const result = await drillBackup(config, {name: backup.name});
		expect(result.findings).toEqual([]);
		expect(result.notes).toEqual(['no counts recorded']);
		expect(result.checks[0]).toMatchObject({ok: true, value: 'x\u001b[2J'});
	});

	it('refuses the live file by path or by name, and a name that is not a backup', async () => {
		const config = setup('refuse');
		await expect(drillBackup(config, {file: config.sqlitePath})).rejects.toThrow(/is the live data file \(SQLITE_PATH\), not a backup: refused/);
		fs.mkdirSync(config.backupDir);
		fs.symlinkSync(config.sqlitePath, path.join(config.backupDir, 'live.db'));
		await expect(drillBackup(config, {name: 'live.db'})).rejects.toThrow(/symlink leading outside|live data file/);
		await expect(drillBackup(config, {name: '../app.db'})).rejects.toThrow(/is a path/);
		await expect(drillBackup(setup('empty'), {newest: true})).rejects.toThrow(/^no backup to drill in /);
	});

	it('a scratch copy a kill -9 left behind is a leftover that prune removes', async () => {
		const config = setup('killed');
		fs.mkdirSync(config.backupDir);
		const scratch = path.join(config.backupDir, '.drill_999999_1_auto_x.db.partial');
		fs.writeFileSync(scratch, 'x');
		const old = new Date(Date.now() - 10 * 60_000);
		fs.utimesSync(scratch, old, old);
		const [leftover] = await listLeftovers(config);
		expect(leftover).toMatchObject({what: 'drill scratch', inProgress: false, path: scratch});
		expect(prunable(leftover!)).toBe(true);
	});

	it('drills a file given by path (a downloaded copy) with its sidecar beside it', async () => {
		const config = setup('by-path');
		const backup = await createBackup(config, {kind: 'auto'});
		const elsewhere = path.join(dir, 'downloaded');
		fs.mkdirSync(elsewhere);
		fs.copyFileSync(backup.path, path.join(elsewhere, backup.name));
		fs.copyFileSync(path.join(config.backupDir, sidecarName(backup.name)), path.join(elsewhere, sidecarName(backup.name)));
		const result = await drillBackup(config, {file: path.join(elsewhere, backup.name)});
		expect(result).toMatchObject({ok: true, file: path.join(elsewhere, backup.name), backup: backup.name});
		expect(fs.readdirSync(elsewhere).sort()).toEqual([backup.name, sidecarName(backup.name)].sort());
	});
});
