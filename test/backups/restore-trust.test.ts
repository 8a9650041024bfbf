// Issue 13 (Trust I), restore cases 5, 6, 7 and 9 on real files and real processes: the restored
// file keeps the live file's owner and mode, a writer in a transaction stops the restore, what is
// installed is what was checked, and the state before is a named backup before the swap.
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import Database from 'better-sqlite3';
import {build} from 'esbuild';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {sourceWorkerForEsbuild} from '../../scripts/backup-worker.mjs';
import {createBackup, listBackups} from '../../source/backups/backups.js';
import {scanHolders} from '../../source/backups/db-holders.js';
import {planRestore, restoreBackup, RestoreRefusedError} from '../../source/backups/restore.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {backupConfig, rowCount, sha256} from './backup-helpers.js';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');
const nobody = {uid: 65534, gid: 65534};
const isRoot = process.geteuid?.() === 0;

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

function setMarker(file: string, marker: string): void {
	const db = new Database(file);
	db.exec(`create table if not exists marker (v text); delete from marker; insert into marker values ('${marker}')`);
	db.close();
}

function marker(file: string): string {
	const db = new Database(file, {readonly: true});
	try {
		return db.prepare('select v from marker').pluck().get() as string;
	} finally {
		db.close();
	}
}

describe.runIf(isRoot)('restore keeps the app able to open its file (issue 13, case 5)', () => {
	it('the restored file keeps the owner, group and mode of the one it replaced, and the app (as nobody) writes to it', async () => {
		temp = tempSqlite({messages: 12});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		// the app runs as nobody: its folder and file are nobody's, the file group-writable
		fs.chownSync(temp.dir, nobody.uid, nobody.gid);
		fs.chownSync(temp.path, nobody.uid, nobody.gid);
		fs.chmodSync(temp.path, 0o664);
		const result = await restoreBackup(config, backup.name);
		const st = fs.statSync(temp.path);
		expect({uid: st.uid, gid: st.gid, mode: (st.mode & 0o777).toString(8)}).toEqual({uid: 65534, gid: 65534, mode: '664'});
		expect(result.owner).toBe('nobody:nogroup (65534:65534), mode 0664');
		// the app opens it (WAL mode: it creates its own -wal/-shm) and writes
		const app = spawnSync(process.execPath, ['-e', `
			const D = require(${JSON.stringify(driver)});
			const db = new D(${JSON.stringify(temp.path)});
			db.pragma('journal_mode = WAL');
			db.prepare("insert into messages (chat_code, username, content, created_at) values ('lobby', 'app', 'after restore', 0)").run();
			db.close();
		`], {...nobody, encoding: 'utf8'});
		expect(app.stderr).toBe('');
		expect(app.status).toBe(0);
		expect(rowCount(temp.path, 'messages')).toBe(13);
	});
});

describe('restore with a writer (issue 13, case 6)', () => {
	it('refuses while another connection holds a write transaction in WAL mode, even with --force; nothing changed', async () => {
		temp = tempSqlite({messages: 9});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const writer = spawn(process.execPath, ['-e', `
			const D = require(${JSON.stringify(driver)});
			const db = new D(${JSON.stringify(temp.path)});
			db.pragma('journal_mode = WAL');
			db.exec('BEGIN IMMEDIATE');
			db.prepare("insert into messages (chat_code, username, content, created_at) values ('lobby', 'w', 'pending', 0)").run();
			process.stdout.write('in transaction\\n');
			setInterval(() => {}, 1000);
		`], {stdio: ['ignore', 'pipe', 'inherit']});
		try {
			await new Promise<void>(resolve => writer.stdout.once('data', () => resolve()));
			const before = sha256(temp.path);
			// --force skips the holder check: the lock is what sees the writer
			const error = await restoreBackup(config, backup.name, {force: true}).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RestoreRefusedError);
			expect(String(error)).toMatch(/being written to .*nothing was changed/);
			expect(sha256(temp.path)).toBe(before);
			expect(fs.readdirSync(temp.dir).filter(f => f.includes('.restore-'))).toEqual([]);
			expect(fs.readdirSync(config.backupDir).filter(f => f.includes('safety_'))).toEqual([]);
			const audit = fs.readFileSync(config.auditLog, 'utf8').trim().split('\n').map(line => JSON.parse(line) as {action: string; result: string});
			expect(audit.at(-1)).toMatchObject({action: 'restore', result: 'refused'});
		} finally {
			writer.kill('SIGKILL');
		}
	});

	it('says the holders cannot be known when /proc cannot be read', async () => {
		temp = tempSqlite();
		const scan = await scanHolders(temp.path, {procRoot: path.join(temp.dir, 'no-proc')});
		expect(scan.holders).toEqual([]);
		expect(scan.unknown).toMatch(/cannot be read .*cannot be seen/);
	});
});

describe('restore installs only what it checked (issue 13, case 7)', () => {
	it('a backup corrupted after the plan was shown (same size, mtime put back) is refused; the live file is untouched', async () => {
		temp = tempSqlite({messages: 200});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const plan = await planRestore(config, backup.name);
		expect(plan.verify?.ok).toBe(true);
		// while the y/N prompt waits: bytes changed in the middle, size and mtime as they were
		const st = fs.statSync(backup.path);
		const fd = fs.openSync(backup.path, 'r+');
		fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096);
		fs.closeSync(fd);
		fs.utimesSync(backup.path, st.atime, st.mtime);
		expect(fs.statSync(backup.path).size).toBe(st.size);
		const before = sha256(temp.path);
		const error = await restoreBackup(config, backup.name).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RestoreRefusedError);
		expect(String(error)).toMatch(/does not match its recorded sha256 as copied.*nothing was changed/);
		expect(sha256(temp.path)).toBe(before);
		expect(fs.readdirSync(temp.dir).filter(f => f.includes('.restore-'))).toEqual([]);
		expect(fs.readdirSync(config.backupDir).filter(f => f.includes('safety_'))).toEqual([]);
	});

	it('a corrupt backup whose sidecar matches it is never swapped in, though its copy had begun: quick_check runs beside the copy, the swap waits for it', async () => {
		temp = tempSqlite({messages: 400});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const fd = fs.openSync(backup.path, 'r+');
		fs.writeSync(fd, Buffer.alloc(2048, 0xab), 0, 2048, 4096);
		fs.closeSync(fd);
		// its sidecar rewritten to the corrupt bytes: the sha256 as copied matches, only quick_check can tell
		const sidecar = path.join(config.backupDir, `${backup.name}.json`);
		fs.writeFileSync(sidecar, JSON.stringify({...JSON.parse(fs.readFileSync(sidecar, 'utf8')) as object, sha256: sha256(backup.path)}));
		const before = sha256(temp.path);
		// as `restore --yes` plans it: nothing verified before the restore
		const plan = await planRestore(config, backup.name, {verify: false});
		expect(plan.verify).toBeUndefined();
		const steps: string[] = [];
		const error = await restoreBackup(config, backup.name, {onStep: step => steps.push(step)}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RestoreRefusedError);
		expect(String(error)).toMatch(/(failed quick_check|cannot be read by SQLite) as copied.*nothing was changed/);
		// the whole copy was made (and hashed) before the verdict; nothing after it happened
		expect(steps).toEqual(['copy', 'verify']);
		expect(sha256(temp.path)).toBe(before);
		expect(fs.readdirSync(temp.dir).filter(f => f.includes('.restore-'))).toEqual([]);
		expect(fs.readdirSync(config.backupDir).filter(f => f.includes('safety_'))).toEqual([]);
		// the verdict is recorded, as backup verify records it
		expect((JSON.parse(fs.readFileSync(sidecar, 'utf8')) as {verified: {ok: boolean}}).verified.ok).toBe(false);
	});

	it('a backup without a recorded sha256 is quick_checked as copied', async () => {
		temp = tempSqlite({messages: 200});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const byHand = path.join(config.backupDir, 'by-hand.db');
		fs.copyFileSync(backup.path, byHand);
		const fd = fs.openSync(byHand, 'r+');
		fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096);
		fs.closeSync(fd);
		const before = sha256(temp.path);
		await expect(restoreBackup(config, 'by-hand.db')).rejects.toThrow(/(failed quick_check|cannot be read by SQLite) as copied.*nothing was changed/);
		expect(sha256(temp.path)).toBe(before);
	});
});

describe('the state before a restore is a named backup before the swap (issue 13, case 9)', () => {
	let script: string;
	beforeAll(async () => {
		// inside the repository, so the bundle finds better-sqlite3 in node_modules
		const out = fs.mkdtempSync(path.join(process.cwd(), 'node_modules', '.opsdeck-restore-steps-'));
		script = path.join(out, 'child.mjs');
		// each step is reported, then the child waits for a line on stdin: the test kills it right there
		fs.writeFileSync(path.join(out, 'entry.ts'), `
			import fs from 'node:fs';
			import {restoreBackup} from ${JSON.stringify(path.resolve('source/backups/restore.js'))};
			const [config, name] = JSON.parse(process.argv[2]);
			const line = Buffer.alloc(1);
			await restoreBackup(config, name, {onStep: step => {
				process.stdout.write(step + '\\n');
				fs.readSync(0, line, 0, 1, null);
			}});
			process.stdout.write('done\\n');
		`);
		await build({entryPoints: [path.join(out, 'entry.ts')], bundle: true, platform: 'node', format: 'esm', external: ['better-sqlite3'], outfile: script, logLevel: 'error', plugins: [sourceWorkerForEsbuild()]});
	});
	afterAll(() => {
		if (script) fs.rmSync(path.dirname(script), {recursive: true, force: true});
	});

	it('killed at each step: the live file is the old state, or the old state is a listed safety_ backup; no hidden safety file', async () => {
		temp = tempSqlite({messages: 30});
		const config = backupConfig(temp.dir, temp.path);
		setMarker(temp.path, 'A');
		const backup = (await createBackup(config)).name;
		for (const target of ['copy', 'verify', 'safety', 'swap', 'check']) {
			setMarker(temp.path, `old-${target}`);
			const child = spawn(process.execPath, [script, JSON.stringify([config, backup])], {stdio: ['pipe', 'pipe', 'pipe']});
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
			await new Promise<void>((resolve, reject) => {
				let buffered = '';
				child.stdout.on('data', (chunk: Buffer) => {
					buffered += chunk.toString();
					const lines = buffered.split('\n');
					buffered = lines.pop()!;
					for (const step of lines) {
						if (step === target) return resolve();
						child.stdin.write('\n');
					}
				});
				child.once('exit', code => reject(new Error(`child exited (${code}) before ${target}: ${stderr}`)));
			});
			const exited = new Promise(resolve => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
			const now = marker(temp.path);
			expect(['A', `old-${target}`], target).toContain(now);
			const safeties = (await listBackups(config.backupDir)).filter(e => e.kind === 'safety');
			const kept = safeties.filter(e => marker(e.path) === `old-${target}`);
			// from the moment the live file may be replaced, the state before is a backup with a name
			if (target === 'swap' || target === 'check') expect(kept.length, `killed at ${target}`).toBe(1);
			if (now === 'A') expect(kept.length, `killed at ${target}`).toBe(1);
			// nothing hidden holds the only copy of anything
			expect(fs.readdirSync(config.backupDir).filter(f => f.startsWith('.safety_')), `killed at ${target}`).toEqual([]);
		}
	}, 60_000);

	it('a backup never removes a hidden safety partial; it stays for the operator to see', async () => {
		temp = tempSqlite({messages: 5});
		const config = backupConfig(temp.dir, temp.path);
		await createBackup(config);
		const partial = path.join(config.backupDir, '.safety_2020-01-01T00-00-00.db.partial');
		fs.copyFileSync(temp.path, partial);
		// two hours on: stale by the partial rule
		await createBackup(config, {now: new Date(Date.now() + 2 * 3_600_000)});
		expect(fs.existsSync(partial)).toBe(true);
	});
});
