// Issue 13 (Trust I) cases 4, 10, 15 for backups and export, on real files with the built CLI
// (`npm run build` first): nothing is lost, nothing is left behind, nothing spins. The CLI runs
// are spawned asynchronously: those that do not depend on one another run side by side.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let temp: TempSqlite;
let backupDir: string;

beforeAll(() => {
	if (!fs.existsSync(binPath)) throw new Error('build/bin.js is missing: run npm run build first');
	temp = tempSqlite({messages: 30});
	backupDir = path.join(temp.dir, 'backups');
});
afterAll(() => temp?.cleanup());

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: temp.path, BACKUP_DIR: backupDir, OPSDECK_AUDIT_LOG: path.join(temp.dir, 'audit.log'), ...extra};
	delete env.OPSDECK_READ_ONLY;
	return env;
}

type Run = {code: number | null; out: string; err: string};

function opsdeck(args: readonly string[], extra: Record<string, string> = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [binPath, ...args], {cwd: temp.dir, env: cliEnv(extra), stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000});
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.once('error', reject);
		child.once('close', code => resolve({code, out, err}));
	});
}

function messageCount(file = temp.path): number {
	const db = new Database(file, {readonly: true});
	try {
		return db.prepare('select count(*) from messages').pluck().get() as number;
	} finally {
		db.close();
	}
}

// issue 13, case 15
// (the three side by side: none touches what another looks at)
describe.concurrent('a backup folder that cannot be made', () => {
	it('BACKUP_DIR under /proc: refused at once with one line naming it (it spun at 100% CPU for ever)', async ({expect}) => {
		const started = Date.now();
		const result = await opsdeck(['backup', 'create'], {BACKUP_DIR: '/proc/x/backups'});
		expect(result.code, result.err).toBe(2);
		expect(result.err).toMatch(/^opsdeck: cannot create \/proc\/x\/backups: \/proc is on the kernel's proc filesystem/);
		expect(result.err.trim().split('\n')).toHaveLength(1);
		expect(Date.now() - started).toBeLessThan(15_000);
	});

	it('an audit log under /proc: the mutation is refused at once with one line, nothing done (it spun too)', async ({expect}) => {
		const before = fs.statSync(temp.path).mtimeMs;
		const started = Date.now();
		const result = await opsdeck(['sqlite', 'vacuum', '--yes'], {OPSDECK_AUDIT_LOG: '/proc/x/audit.log'});
		expect(result.code, result.err).toBe(2);
		expect(result.err).toMatch(/^opsdeck: cannot write the audit log \/proc\/x\/audit\.log \(cannot create \/proc\/x: \/proc is on the kernel's proc filesystem/);
		expect(result.err.trim().split('\n')).toHaveLength(1);
		expect(fs.statSync(temp.path).mtimeMs).toBe(before);
		expect(Date.now() - started).toBeLessThan(15_000);
	});

	it('BACKUP_DIR below a regular file: refused, naming the file', async ({expect}) => {
		const file = path.join(temp.dir, 'not-a-dir');
		fs.writeFileSync(file, 'x');
		const result = await opsdeck(['backup', 'create'], {BACKUP_DIR: path.join(file, 'backups')});
		expect(result.code, result.err).toBe(2);
		expect(result.err).toContain(`${file} is not a directory`);
	});
});

// issue 13, case 4
describe('sqlite export --output', () => {
	it('an unknown table leaves an existing FILE as it was (it was deleted), with --force too, and in read-only mode', async () => {
		const file = path.join(temp.dir, 'keep.csv');
		fs.writeFileSync(file, 'precious\n');
		const results = await Promise.all([[], ['--force'], ['--force', '--read-only']].map(extra => opsdeck(['sqlite', 'export', 'nope', '--output', file, ...extra])));
		for (const result of results) expect(result.code, result.err).toBe(2);
		expect(fs.readFileSync(file, 'utf8')).toBe('precious\n');
		expect(fs.readdirSync(temp.dir).filter(name => name.includes('.tmp'))).toEqual([]);
	});

	it('an existing FILE is replaced only with --force', async () => {
		const file = path.join(temp.dir, 'out.csv');
		fs.writeFileSync(file, 'old\n');
		const fresh = path.join(temp.dir, 'fresh.csv');
		// refused then forced on the one file; a fresh file alongside
		const [, freshRun] = await Promise.all([
			(async () => {
				const refused = await opsdeck(['sqlite', 'export', 'messages', '--output', file]);
				expect(refused.code, refused.err).toBe(2);
				expect(refused.err).toMatch(/exists: use --force/);
				expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
				const forced = await opsdeck(['sqlite', 'export', 'messages', '--output', file, '--force']);
				expect(forced.code, forced.err).toBe(0);
				expect(fs.readFileSync(file, 'utf8').split('\r\n')[0]).toBe('id,chat_code,username,content,created_at');
			})(),
			opsdeck(['sqlite', 'export', 'chats', '--output', fresh]),
		]);
		expect(freshRun.code, freshRun.err).toBe(0);
		expect(fs.readFileSync(fresh, 'utf8')).toContain('lobby,Lobby');
	});

	it('the live data file, its -wal, a symlink or a ../ path to it, and the backup folder are refused even with --force (it truncated and deleted the database)', async () => {
		const link = path.join(temp.dir, 'link.db');
		fs.symlinkSync(temp.path, link);
		fs.mkdirSync(path.join(temp.dir, 'x'), {recursive: true});
		fs.mkdirSync(backupDir, {recursive: true});
		const before = fs.readFileSync(temp.path);
		const outputs = [temp.path, link, `./x/../${path.basename(temp.path)}`, `${temp.path}-wal`, `${temp.path}-shm`, path.join(backupDir, 'manual_2025-01-01T00-00-00.db')];
		// six at a time
		const runs = outputs.flatMap(output => [[], ['--force']].map(extra => ({output, args: ['sqlite', 'export', 'messages', '--output', output, ...extra]})));
		for (let i = 0; i < runs.length; i += 6) {
			const batch = runs.slice(i, i + 6);
			const results = await Promise.all(batch.map(run => opsdeck(run.args)));
			for (const [j, result] of results.entries()) {
				expect(result.code, `${batch[j]!.output}: ${result.err}`).toBe(2);
				expect(result.err).toMatch(/refused/);
			}
		}
		expect(fs.readFileSync(temp.path).equals(before)).toBe(true);
		expect(messageCount()).toBe(30);
		expect(fs.existsSync(path.join(backupDir, 'manual_2025-01-01T00-00-00.db'))).toBe(false);
	});
});

/** A data file big enough that a copy takes a moment (a blob table of `mb` MB). */
function bigDatabase(mb: number): string {
	const file = path.join(temp.dir, `big-${mb}.db`);
	if (fs.existsSync(file)) return file;
	const db = new Database(file);
	db.exec('create table messages (id integer primary key, b blob)');
	const insert = db.prepare('insert into messages (b) values (randomblob(1048576))');
	db.transaction(() => {
		for (let i = 0; i < mb; i++) insert.run();
	})();
	db.close();
	return file;
}

/** Spawns the CLI and sends `signal` as soon as a file matching `appears` shows up in `dir`. */
function interruptWhen(args: readonly string[], env: NodeJS.ProcessEnv, dir: string, appears: RegExp, signal: NodeJS.Signals): Promise<{code: number | null; signal: NodeJS.Signals | null; err: string; sent: boolean}> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [binPath, ...args], {cwd: temp.dir, env, stdio: ['ignore', 'ignore', 'pipe']});
		let err = '';
		let sent = false;
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		const timer = setInterval(() => {
			let names: string[] = [];
			try {
				names = fs.readdirSync(dir);
			} catch {
				return;
			}
			if (names.some(name => appears.test(name))) {
				clearInterval(timer);
				sent = true;
				child.kill(signal);
			}
		}, 1);
		child.once('error', reject);
		child.once('close', (code, sig) => {
			clearInterval(timer);
			resolve({code, signal: sig, err, sent});
		});
	});
}

// issue 13, case 10
describe('interrupted', () => {
	const exitCodes: Record<string, number> = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		it(`backup create, ${signal} mid-copy: exit ${exitCodes[signal]}, "interrupted: nothing was changed", no partial file left (it left 95-307 MB .partial files)`, async () => {
			const source = bigDatabase(48);
			const dir = path.join(temp.dir, `backups-${signal}`);
			const result = await interruptWhen(['backup', 'create'], cliEnv({SQLITE_PATH: source, BACKUP_DIR: dir}), dir, /\.partial$/, signal);
			expect(result.sent).toBe(true);
			expect(result.signal).toBe(null);
			expect(result.code, result.err).toBe(exitCodes[signal]);
			expect(result.err).toMatch(new RegExp(`^opsdeck: interrupted: nothing was changed .*\\(${signal}\\)\\n$`));
			expect(fs.readdirSync(dir)).toEqual([]);
		});
	}

	it('sqlite export --output, SIGINT mid-write: the temp file is removed and the target never appears', async () => {
		const source = bigDatabase(48);
		const dir = path.join(temp.dir, 'export-int');
		fs.mkdirSync(dir);
		const out = path.join(dir, 'rows.json');
		const result = await interruptWhen(['sqlite', 'export', 'messages', '--json', '--output', out], cliEnv({SQLITE_PATH: source}), dir, /\.tmp$/, 'SIGINT');
		expect(result.sent).toBe(true);
		expect(result.code, result.err).toBe(130);
		expect(result.err).toMatch(/^opsdeck: interrupted: nothing was changed/);
		expect(fs.readdirSync(dir)).toEqual([]);
	});
});

/** A 2 MB tmpfs of our own (we are root in the suite's container), or why there is none. */
function mountSmallDisk(): {dir: string; error?: undefined} | {dir?: undefined; error: string} {
	const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'opsdeck-tmpfs-'));
	const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], {encoding: 'utf8'});
	if (result.status === 0) return {dir};
	fs.rmdirSync(dir);
	return {error: `mount -t tmpfs failed: ${(result.stderr || result.error?.message || '').trim()}`};
}

// issue 13, case 14
describe('a full disk and a read-only backup folder', () => {
	// mounted in beforeAll (not at collection): a filtered run that skips these mounts nothing
	let disk: ReturnType<typeof mountSmallDisk> = {error: 'not mounted yet'};
	beforeAll(() => {
		disk = mountSmallDisk();
		if (disk.error) console.warn(`\n*** issue 13 case 14 tests SKIPPED: ${disk.error} (they need root to mount a small tmpfs) ***\n`);
	});
	const remount = (mode: 'ro' | 'rw') => expect(spawnSync('mount', ['-o', `remount,${mode}`, disk.dir!]).status).toBe(0);
	afterAll(() => {
		if (!disk.dir) return;
		spawnSync('umount', [disk.dir]);
		fs.rmSync(disk.dir, {recursive: true, force: true});
	});

	it('a good backup on a read-only folder verifies ok (it was "quick_check FAILED"); create there is refused, naming it', async ctx => {
		if (disk.error) return ctx.skip();
		const dir = path.join(disk.dir!, 'ro');
		const created = await opsdeck(['backup', 'create', '--json'], {BACKUP_DIR: dir});
		expect(created.code, created.err).toBe(0);
		const {name} = JSON.parse(created.out) as {name: string};
		remount('ro');
		try {
			const [verified, refused] = await Promise.all([opsdeck(['backup', 'verify', name], {BACKUP_DIR: dir}), opsdeck(['backup', 'create'], {BACKUP_DIR: dir})]);
			expect(verified.code, verified.err).toBe(0);
			expect(verified.out).toContain(`${name}: ok (quick_check, sha256 matches)`);
			expect(verified.err).toMatch(/not recorded in the sidecar: read-only filesystem: cannot write to /);
			expect(refused.code).toBe(2);
			// issue 16, point 7: it ended in a raw "(EROFS)"
			expect(refused.err).toBe(`opsdeck: cannot write to ${dir}: it is on a read-only filesystem\n`);
			expect(fs.readdirSync(dir).sort()).toEqual([name, `${name}.json`]);
		} finally {
			remount('rw');
		}
	});

	it('a good backup on a full disk verifies ok; a backup that does not fit says "disk full" with the folder and its free space (it said "disk I/O error")', async ctx => {
		if (disk.error) return ctx.skip();
		const dir = path.join(disk.dir!, 'full');
		const created = await opsdeck(['backup', 'create', '--json'], {BACKUP_DIR: dir});
		expect(created.code, created.err).toBe(0);
		const {name} = JSON.parse(created.out) as {name: string};
		const big = bigDatabase(4);
		const failed = await opsdeck(['backup', 'create'], {BACKUP_DIR: dir, SQLITE_PATH: big});
		expect(failed.code).toBe(1);
		expect(failed.err).toMatch(new RegExp(`^opsdeck: backup of .*big-4\\.db failed: disk full: ${dir} \\([\\d.]+ [KM]?B free, about 4\\.0 MB needed\\)\\n$`));
		expect(fs.readdirSync(dir).sort()).toEqual([name, `${name}.json`]);
		// fill the disk to the last byte, then verify
		const fill = spawnSync('dd', ['if=/dev/zero', `of=${path.join(disk.dir!, 'fill')}`, 'bs=4k']);
		expect(fill.status).not.toBe(0);
		const verified = await opsdeck(['backup', 'verify', name], {BACKUP_DIR: dir});
		expect(verified.code, verified.err).toBe(0);
		expect(verified.out).toContain(`${name}: ok (quick_check, sha256 matches)`);
		expect(verified.err).toMatch(/not recorded in the sidecar: disk full: .* \(0 B free\)/);
		fs.rmSync(path.join(disk.dir!, 'fill'));
	});
});

// issue 13, case 10
describe('leftovers of killed operations', () => {
	it('backup list shows them with their sizes (text and JSON); backup prune removes them', async () => {
		const dir = path.join(temp.dir, 'backups-left');
		fs.mkdirSync(dir);
		const old = new Date(Date.now() - 3 * 3_600_000);
		const files = [
			path.join(dir, '.manual_2025-01-01T00-00-00.db.partial'),
			path.join(dir, '.safety_2025-01-01T00-00-01.db.partial'),
			path.join(temp.dir, `.${path.basename(temp.path)}.restore-9999999.tmp`), // its process is gone
		];
		for (const [i, file] of files.entries()) {
			fs.writeFileSync(file, Buffer.alloc((i + 1) * 100 * 1024));
			fs.utimesSync(file, old, old);
		}
		const env = {BACKUP_DIR: dir};
		// list, list --json and prune without --yes (which deletes nothing) side by side
		const [listed, listedJson, refused] = await Promise.all([opsdeck(['backup', 'list'], env), opsdeck(['backup', 'list', '--json'], env), opsdeck(['backup', 'prune'], env)]);
		expect(listed.code, listed.err).toBe(0);
		expect(listed.out).toContain('left by interrupted operations (opsdeck backup prune removes them, all but a safety partial):');
		expect(listed.out).toMatch(/backup partial .*\.manual_2025-01-01T00-00-00\.db\.partial \(100(\.0)? KB/);
		expect(listed.out).toMatch(/safety partial .*\.safety_2025-01-01T00-00-01\.db\.partial \(200(\.0)? KB, .*may hold the state before an interrupted restore/);
		expect(listed.out).toMatch(/restore temp .*\.restore-9999999\.tmp \(300(\.0)? KB/);
		const json = JSON.parse(listedJson.out) as {leftovers: {path: string; what: string; sizeBytes: number; inProgress: boolean}[]};
		expect(json.leftovers.map(l => [l.path, l.sizeBytes, l.inProgress]).sort()).toEqual(files.map((f, i) => [f, (i + 1) * 100 * 1024, false]).sort());

		expect(refused.code).toBe(2);
		expect(refused.out).toContain('delete backup partial');
		expect(files.every(f => fs.existsSync(f))).toBe(true);
		const pruned = await opsdeck(['backup', 'prune', '--yes'], env);
		expect(pruned.code, pruned.err).toBe(0);
		expect(pruned.out).toContain('pruned 0 backups and 2 leftover temp files');
		// a safety partial may be the only copy of the state before a restore: prune (run from cron
		// with --yes) never removes it; it stays listed (found by the hostile tester, issue 13 case 9)
		expect(files.filter(f => fs.existsSync(f))).toEqual([files[1]]);
		expect((await opsdeck(['backup', 'list'], env)).out).toMatch(/safety partial .*\.safety_2025-01-01T00-00-01\.db\.partial/);
	});
});

// issue 14, point 6
describe('what the backup folder holds is not taken at its word', () => {
	it('a symlink leading outside is listed as refused with the reason; a sidecar claiming 2999-01-01 and "ok" is shown as a claim', async () => {
		const dir = path.join(temp.dir, 'backups-claims');
		const created = await opsdeck(['backup', 'create', '--json'], {BACKUP_DIR: dir});
		expect(created.code, created.err).toBe(0);
		const good = (JSON.parse(created.out) as {name: string}).name;
		const outside = path.join(temp.dir, 'outside.db');
		fs.copyFileSync(path.join(dir, good), outside);
		fs.symlinkSync(outside, path.join(dir, 'evil.db'));
		fs.symlinkSync(path.join(temp.dir, 'gone.db'), path.join(dir, 'broken.db'));
		const forged = 'manual_2025-01-01T00-00-00.db';
		fs.writeFileSync(path.join(dir, forged), Buffer.alloc(8192, 7)); // not even a database
		const sidecar = JSON.parse(fs.readFileSync(path.join(dir, `${good}.json`), 'utf8')) as Record<string, unknown>;
		fs.writeFileSync(path.join(dir, `${forged}.json`), JSON.stringify({...sidecar, name: forged, createdAt: '2999-01-01T00:00:00.000Z', verified: {at: '2999-01-01T00:00:00.000Z', ok: true, mode: 'quick'}}));

		const [listed, listedJson] = await Promise.all([opsdeck(['backup', 'list'], {BACKUP_DIR: dir}), opsdeck(['backup', 'list', '--json'], {BACKUP_DIR: dir})]);
		expect(listed.code, listed.err).toBe(0);
		expect(listed.out).toContain('refused: evil.db is a symlink leading outside the backup folder (never used)');
		expect(listed.out).toContain('refused: broken.db is a broken symlink (never used)');
		expect(listed.out).not.toMatch(/^evil\.db/m);
		const line = listed.out.split('\n').find(l => l.startsWith(forged))!;
		expect(line).toMatch(/manual .* 2025-01-01 00:00:00 +no \(sidecar claims ok\)$/);
		expect(listed.out).toContain('sidecar claims it was created 2999-01-01T00:00:00.000Z');
		expect(listed.out).toMatch(/sidecar claims "verified ok" for a check dated 2999-01-01T00:00:00\.000Z: not verified/);
		expect(listed.out.split('\n').find(l => l.startsWith(good))).toMatch(/ ok \d{4}-/);

		const json = JSON.parse(listedJson.out) as {backups: {name: string; createdAt: string; verified: unknown; claims?: string[]}[]; refused: {name: string; reason: string}[]};
		expect(json.refused).toEqual([{name: 'broken.db', reason: 'a broken symlink'}, {name: 'evil.db', reason: 'a symlink leading outside the backup folder'}]);
		expect(json.backups.map(b => b.name).sort()).toEqual([forged, good].sort());
		const claimed = json.backups.find(b => b.name === forged)!;
		expect(claimed).toMatchObject({createdAt: '2025-01-01T00:00:00.000Z', verified: null});
		expect(claimed.claims).toHaveLength(2);
		// once verified, what is shown is the check's result
		const verified = await opsdeck(['backup', 'verify', forged], {BACKUP_DIR: dir});
		expect(verified.code).toBe(1);
		expect((await opsdeck(['backup', 'list'], {BACKUP_DIR: dir})).out.split('\n').find(l => l.startsWith(forged))).toMatch(/FAILED$/);
	});
});

// Found by the hostile tester: with BACKUP_DIR the data folder, the live file was listed as a
// backup of kind "other"; `backup delete app.db` and `prune --manual` (the README's cron line)
// deleted the live database. And a fifo as SQLITE_PATH hung `backup create` past every signal.
describe('the live data file is never a backup', () => {
	it('BACKUP_DIR = the data folder: listed as refused; delete, restore and prune --manual leave it', async () => {
		const dir = path.join(temp.dir, 'same-folder');
		fs.mkdirSync(dir);
		const live = path.join(dir, 'manual_2020-01-01T00-00-00.db');
		fs.copyFileSync(temp.path, live);
		const before = fs.readFileSync(live);
		const env = {SQLITE_PATH: live, BACKUP_DIR: dir, BACKUP_RETENTION: '1'};
		// list, delete and restore side by side (each refuses), then prune
		const [listed, ...refusals] = await Promise.all([['backup', 'list'], ['backup', 'delete', path.basename(live), '--yes'], ['backup', 'restore', path.basename(live), '--yes', '--force']].map(args => opsdeck(args, env)));
		expect(listed!.out).toContain('is the live data file (SQLITE_PATH), never a backup');
		for (const result of refusals) {
			expect(result.code, result.err).toBe(2);
			expect(result.err).toContain('is the live data file (SQLITE_PATH), not a backup');
		}
		expect(fs.readFileSync(live).equals(before)).toBe(true);
		const pruned = await opsdeck(['backup', 'prune', '--manual', '--yes'], env);
		expect(pruned.code, pruned.err).toBe(0);
		expect(fs.readFileSync(live).equals(before)).toBe(true);
	});

	it('a fifo as SQLITE_PATH: backup create and status say so at once (it hung for ever)', async () => {
		const fifo = path.join(temp.dir, 'a-fifo');
		execFileSync('mkfifo', [fifo]);
		const [created, status] = await Promise.all([opsdeck(['backup', 'create'], {SQLITE_PATH: fifo, BACKUP_DIR: path.join(temp.dir, 'fifo-backups')}), opsdeck(['status'], {SQLITE_PATH: fifo})]);
		expect(created.code, created.err).toBe(1);
		expect(created.err).toBe(`opsdeck: ${fifo} is a fifo, not an SQLite data file\n`);
		expect(status.code).toBe(2);
		expect(status.out).toContain(`${fifo} is a fifo, not an SQLite data file`);
	});
});
