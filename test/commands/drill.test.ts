// `opsdeck backup drill`, the drill in `status`, `serve`'s scheduled drills and `sqlite check
// --relations`, as a user runs them: the built CLI (npm run build first), no terminal, temp files.
// PostgreSQL and Redis point at a closed port: the drill's part of the report is what is looked at.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath, runCli} from '../helpers/run-cli.js';
import {waitFor} from '../helpers/wait.js';

let dir: string;
const closed = {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/none'};

function makeDb(file: string, orphan: boolean): void {
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('foreign_keys = OFF');
	db.exec(`
		create table teams (id integer primary key, name text not null);
		create table players (id integer primary key, team_id integer references teams(id), name text);
		create table chats (code text primary key);
		create table messages (id integer primary key, chat_code text, body text);
		insert into teams values (1, 'red'), (2, 'blue');
		insert into players (team_id, name) values (1, 'a'), (2, 'b');
		insert into chats values ('lobby');
		insert into messages (chat_code, body) values ('lobby', 'hi'), ('gone', 'evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J');
	`);
	if (orphan) db.exec(`insert into players (team_id, name) values (42, 'lost' || char(27) || '[31m')`);
	db.close();
}

function site(name: string, orphan = false) {
	const base = path.join(dir, name);
	fs.mkdirSync(base);
	makeDb(path.join(base, 'app.db'), orphan);
	const env = {...closed, SQLITE_PATH: path.join(base, 'app.db'), BACKUP_DIR: path.join(base, 'backups'), OPSDECK_AUDIT_LOG: path.join(base, 'audit.log')};
	return {base, env, run: (args: string[], extra: Record<string, string> = {}) => runCli(args, {cwd: base, env: {...env, ...extra}})};
}

beforeAll(() => {
	if (!fs.existsSync(binPath)) throw new Error('build/bin.js is missing: run npm run build first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-drill-cli-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('opsdeck backup drill', () => {
	it('passes a good backup (exit 0), fails a broken one with the finding (exit 1); status shows it and turns degraded', async () => {
		const good = site('good');
		expect((await good.run(['backup', 'create'])).code).toBe(0);
		const passed = await good.run(['backup', 'drill']);
		expect(passed.stderr).toBe('');
		expect(passed.code).toBe(0);
		expect(passed.stdout).toMatch(/^drill of manual_.*\.db: passed in .* \(restored into a scratch copy; the live file was not touched\)$/m);
		expect(passed.stdout).toContain('row counts: all 4 tables match the sidecar');

		const bad = site('bad', true);
		expect((await bad.run(['backup', 'create'])).code).toBe(0);
		const failed = await bad.run(['backup', 'drill', '--newest', '--json']);
		expect(failed.code).toBe(1);
		const result = JSON.parse(failed.stdout) as {ok: boolean; findings: string[]};
		expect(result.findings).toEqual(['foreign_key_check: 1 row points at a missing parent (e.g. players rowid 3 -> teams)']);

		const status = await bad.run(['status']);
		expect(status.stdout).toMatch(/^drill +FAILED +[\d.]+\w+ ago \(manual_.*\.db\): foreign_key_check: 1 row points/m);
		expect(status.stdout).toMatch(/degraded: restore drill failed: manual_.*: foreign_key_check/);
		const json = JSON.parse((await bad.run(['status', '--json'])).stdout) as {drill: {last: {ok: boolean}}; reasons: {level: string; message: string}[]};
		expect(json.drill.last.ok).toBe(false);
		expect(json.reasons).toContainEqual(expect.objectContaining({level: 'degraded', message: expect.stringMatching(/^restore drill failed: /)}));
	}, 120_000);

	it('refuses bad usage in one line (exit 2) and --help runs nothing', async () => {
		const s = site('usage');
		const remote = await s.run(['backup', 'drill', '--remote']);
		expect(remote).toMatchObject({code: 2, stdout: ''});
		expect(remote.stderr).toBe('opsdeck: backup drill --remote needs BACKUP_REMOTE (s3://bucket/prefix or sftp://user@host/path) or --from REMOTE; drill a local backup by NAME or --newest\n');
		expect((await s.run(['backup', 'drill', 'x.db', '--newest'])).code).toBe(2);
		expect((await s.run(['backup', 'verify', 'x.db', '--newest'])).stderr).toBe('opsdeck: --newest goes with backup drill, not backup verify\n');
		const hostile = await s.run(['backup', 'drill', 'x\u001b[2J.db']);
		expect(hostile.code).toBe(2);
		expect(hostile.stderr).not.toContain('\u001b');
		// escaped as everywhere else (\x1b), not JSON's \u001b
		expect(hostile.stderr).toMatch(/^opsdeck: no backup named "x\\x1b\[2J\.db" in /);
		expect(hostile.stderr).not.toContain('\\u001b');
		const none = await s.run(['backup', 'drill']);
		expect(none.code).toBe(1);
		expect(none.stderr).toMatch(/^opsdeck: no backup to drill in .*backups/);
		const help = await s.run(['backup', 'drill', '--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('drill [NAME|--newest]');
		expect(fs.existsSync(path.join(s.base, 'backups', 'drills.jsonl'))).toBe(false);
		expect((await s.run(['status'], {DRILL_INTERVAL_HOURS: 'soon'})).stderr).toBe('opsdeck: DRILL_INTERVAL_HOURS must be a number of hours above 0 and up to 8760 (got "soon")\n');
	}, 120_000);

	it('a failed DRILL_CHECKS finding shows its hostile query and value escaped as \\x1b, not \\u001b', async () => {
		const s = site('checkesc');
		expect((await s.run(['backup', 'create'])).code).toBe(0);
		const r = await s.run(['backup', 'drill'], {DRILL_CHECKS: "select 'evil' || char(27) || ']0;T' || char(7) where 0 = 1;; select 0 as \"q\u001b[2J\""});
		expect(r.code).toBe(1);
		expect(r.stdout).not.toContain('\u001b');
		expect(r.stdout).not.toContain('\\u001b');
		expect(r.stdout).toContain('finding: check "select 0 as \\"q\\x1b[2J\\"": returned 0');
	}, 60_000);

	it('serve drills the newest backup at start and again every DRILL_INTERVAL_HOURS', async () => {
		const s = site('serve');
		expect((await s.run(['backup', 'create'])).code).toBe(0);
		const child = spawn(process.execPath, [binPath, 'serve', '--port', '0'], {cwd: s.base, env: {...process.env, ...s.env, DRILL_INTERVAL_HOURS: '0.0005'}, stdio: ['ignore', 'pipe', 'pipe']});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		try {
			await waitFor(() => (out.match(/restore drill of manual_\S+: passed/g) ?? []).length >= 2, {timeout: 90_000});
			expect(out).toContain('restore drills every 0.0005 h of the newest backup');
			const log = fs.readFileSync(path.join(s.base, 'backups', 'drills.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as {ok: boolean});
			expect(log.length).toBeGreaterThanOrEqual(2);
			expect(log.every(l => l.ok)).toBe(true);
		} finally {
			child.kill('SIGTERM');
			await new Promise(resolve => child.once('close', resolve));
		}
	}, 120_000);
});

describe('opsdeck sqlite check --relations', () => {
	it('declared foreign keys and ORPHAN_CHECKS: counts, escaped sample rows, --json, exit 1 on orphans', async () => {
		const s = site('relations', true);
		const checks = {ORPHAN_CHECKS: 'messages.chat_code->chats.code, players.team_id->teams.id'};
		const text = await s.run(['sqlite', 'check', '--relations'], checks);
		expect(text.code).toBe(1);
		expect(text.stdout).toContain('foreign_key_check: 1 row without a parent (1 declared foreign key)');
		expect(text.stdout).toContain('players(team_id) -> teams(id): 1 orphan');
		expect(text.stdout).toContain('orphan check messages.chat_code->chats.code: 1 orphan');
		expect(text.stdout).toContain('orphan check players.team_id->teams.id: a declared foreign key');
		expect(text.stdout).toContain('ORPHANS FOUND');
		// hostile table contents drawn escaped
		expect(text.stdout).not.toContain('\u001b');
		expect(text.stdout).not.toContain('\u0007');
		// escaped as everywhere else (\x1b), not JSON's \u001b
		expect(text.stdout).toMatch(/id=2 chat_code="gone" body="evil\\x1b\]0;pwned\\x07\\x1b\[2J"/);
		expect(text.stdout).not.toContain('\\u001b');

		const json = await s.run(['sqlite', 'check', '--relations', '--json'], checks);
		expect(json.code).toBe(1);
		const body = JSON.parse(json.stdout) as {ok: boolean; orphanChecks: {status: string; count: number; samples: {body?: string}[]}[]};
		expect(body.ok).toBe(false);
		expect(body.orphanChecks.map(c => [c.status, c.count])).toEqual([['checked', 1], ['declared', 0]]);

		const clean = site('relations-clean');
		const ok = await clean.run(['sqlite', 'check', '--relations'], {ORPHAN_CHECKS: 'players.team_id->teams.id'});
		expect(ok.code).toBe(0);
		expect(ok.stdout).toMatch(/^ok \(/m);
		const missing = await clean.run(['sqlite', 'check', '--relations'], {ORPHAN_CHECKS: 'nope.id->teams.id'});
		expect(missing.code).toBe(1);
		expect(missing.stdout).toContain('orphan check nope.id->teams.id: cannot run: no table nope');
		// nothing found, but a check could not run: a failed check, not "ORPHANS FOUND"
		expect(missing.stdout).toMatch(/^CHECK FAILED: 1 check could not run, no orphans found by the rest \(/m);
		expect(missing.stdout).not.toContain('ORPHANS FOUND');
		const bad = await clean.run(['sqlite', 'check', '--relations'], {ORPHAN_CHECKS: 'players.team_id=>teams.id'});
		expect(bad).toMatchObject({code: 2, stdout: ''});
		expect(bad.stderr).toBe('opsdeck: ORPHAN_CHECKS: "players.team_id=>teams.id" is not child_table.column->parent_table.column (plain SQL names)\n');
		expect((await clean.run(['sqlite', 'vacuum', '--relations'])).code).toBe(2);
	}, 120_000);
});
