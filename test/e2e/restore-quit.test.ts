// Issue 13, case 8: quitting the console while a restore runs never drops it half-way. `q` asks
// (finish / abandon) and the restore waits before touching the live file meanwhile; abandon leaves
// the live file as it was, no temp file, an audit line; finish restores, then quits. A signal
// abandons it cleanly. The bundled bin in a real pseudo-terminal (`npm run build` first).
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createBackup} from '../../source/backups/backups.js';
import {runPty, type PtyRun} from '../helpers/pty.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {grow, rowCount, sha256} from '../backups/backup-helpers.js';
import {waitFor} from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'build/bundle/bin.js');
let temp: TempSqlite;
let backupName: string;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	temp = tempSqlite({messages: 40});
	// big enough that the restore's copy takes a visible while
	grow(temp.path, 150);
	backupName = (await createBackup({sqlitePath: temp.path, backupDir: path.join(temp.dir, 'backups')})).name;
}, 120_000);
afterAll(() => temp?.cleanup());

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function emptyMessages(): void {
	const db = new Database(temp.path);
	db.exec('delete from messages');
	db.close();
}

type AuditLine = {action: string; result: string; error?: string};
function lastAudit(): AuditLine | undefined {
	const file = path.join(temp.dir, 'audit.log');
	if (!fs.existsSync(file)) return undefined;
	return fs.readFileSync(file, 'utf8').trim().split('\n').map(line => JSON.parse(line) as AuditLine).at(-1);
}

/** Whether the process has `file` open (its worker threads included). */
function opened(pid: number, file: string): boolean {
	const dir = `/proc/${pid}/fd`;
	return fs.readdirSync(dir).some(fd => {
		try {
			return fs.readlinkSync(path.join(dir, fd)) === file;
		} catch {
			return false;
		}
	});
}

function leftovers(): string[] {
	return fs.readdirSync(temp.dir).filter(f => f.includes('.restore-'));
}

/** The console on the Backups tab with a restore of the backup under way (its copy running). */
async function startRestore(): Promise<PtyRun> {
	const env: Record<string, string | undefined> = {
		...process.env,
		SQLITE_PATH: temp.path,
		BACKUP_DIR: path.join(temp.dir, 'backups'),
		OPSDECK_AUDIT_LOG: path.join(temp.dir, 'audit.log'),
		REDIS_URL: 'redis://127.0.0.1:1/0',
		DATABASE_URL: 'postgres://127.0.0.1:1/x',
	};
	delete env.OPSDECK_READ_ONLY;
	delete env.BACKUP_ENABLED;
	const run = runPty('node', [bin], {cols: 100, rows: 24, env, cwd: temp.dir});
	await run.waitForText('1 Status');
	run.press('4');
	await run.waitForText(backupName, 15_000);
	await pause(100);
	run.press('\r');
	await run.waitForText('Type restore and press Enter', 60_000);
	await pause(100);
	// one key per read, as a person types
	for (const ch of 'restore') {
		run.press(ch);
		await pause(40);
	}
	await pause(100);
	run.press('\r');
	await run.waitForText(/restore \(copy\)/, 30_000);
	return run;
}

describe('quitting the console during a restore (issue 13, case 8)', () => {
	it('q asks; abandon: the live file as it was, no temp file, an audit line, then it quits', async () => {
		emptyMessages();
		const before = sha256(temp.path);
		const run = await startRestore();
		try {
			run.press('q');
			await run.waitForText('Quit now?');
			expect(run.screen()).toMatch(/f +finish it, then quit/);
			expect(run.screen()).toMatch(/a +abandon it \(nothing is changed\), then quit/);
			// it waits while asked: nothing is replaced meanwhile. It goes on up to its point of no
			// return: the copy made in full and checked (the console no longer has it open, 100 ms
			// apart ten times), then waits there; 300 ms more is when a restore that did not wait
			// would be keeping the safety copy or swapping
			// (the backup's own -wal/-shm, made by SQLite while the restore quick_checks the backup in
			// place, come and go: what must not appear is a new backup, e.g. the safety backup)
			const backups = () => fs.readdirSync(path.join(temp.dir, 'backups')).filter(name => !/-(wal|shm)$/.test(name)).sort();
			const backupsBefore = backups();
			const full = fs.statSync(path.join(temp.dir, 'backups', backupName)).size;
			let quiet = 0;
			let seen = false;
			await waitFor(async () => {
				// a restore that did not wait ends this at once (the checks below say what it did)
				if (run.exit || backups().length !== backupsBefore.length) return true;
				const copy = leftovers().find(f => f.endsWith('.tmp'));
				if (copy) seen = true;
				else if (seen) return true;
				// (the live file is read beside the copy, for the safety backup's sidecar: done by then too)
				const copied = copy !== undefined && fs.statSync(path.join(temp.dir, copy)).size === full && !opened(run.pid, path.join(temp.dir, copy)) && !opened(run.pid, temp.path);
				quiet = copied ? quiet + 1 : 0;
				// a second of neither open: the steps before the wait point (the copy, its check, the live
				// file read for the safety sidecar) each open a file, with short gaps between them
				return quiet >= 10;
			}, {timeout: 60_000, interval: 100, message: 'the copy made in full and checked'});
			await pause(300);
			expect(run.exit).toBeUndefined();
			expect(opened(run.pid, temp.path)).toBe(false);
			expect(backups()).toEqual(backupsBefore);
			expect(sha256(temp.path)).toBe(before);
			run.press('a');
			expect((await run.waitForExit(30_000)).exitCode).toBe(0);
			expect(run.rawOutput()).toContain('interrupted (abandoned): nothing was changed');
		} finally {
			run.kill('SIGKILL');
		}
		expect(sha256(temp.path)).toBe(before);
		expect(rowCount(temp.path, 'messages')).toBe(0);
		expect(leftovers()).toEqual([]);
		expect(lastAudit()).toMatchObject({action: 'restore', result: 'failed', error: 'interrupted (abandoned): nothing was changed'});
	}, 180_000);

	it('q, then finish: the restore is done, then it quits', async () => {
		emptyMessages();
		const run = await startRestore();
		try {
			run.press('q');
			await run.waitForText('Quit now?');
			run.press('f');
			expect((await run.waitForExit(60_000)).exitCode).toBe(0);
			expect(run.rawOutput()).toMatch(/restored manual_\S+ in /);
		} finally {
			run.kill('SIGKILL');
		}
		expect(rowCount(temp.path, 'messages')).toBe(40);
		expect(leftovers()).toEqual([]);
		expect(lastAudit()).toMatchObject({action: 'restore', result: 'ok'});
	}, 180_000);

	it('Ctrl-C asks the same question; a second Ctrl-C abandons', async () => {
		emptyMessages();
		const before = sha256(temp.path);
		const run = await startRestore();
		try {
			run.press('\x03');
			await run.waitForText('Quit now?');
			await pause(100);
			run.press('\x03');
			expect((await run.waitForExit(30_000)).exitCode).toBe(0);
			expect(run.rawOutput()).toContain('interrupted (abandoned): nothing was changed');
		} finally {
			run.kill('SIGKILL');
		}
		expect(sha256(temp.path)).toBe(before);
		expect(leftovers()).toEqual([]);
		expect(lastAudit()).toMatchObject({action: 'restore', result: 'failed', error: 'interrupted (abandoned): nothing was changed'});
	}, 180_000);

	it('SIGTERM during a restore: abandoned cleanly (temp removed, audited), then it quits', async () => {
		emptyMessages();
		const before = sha256(temp.path);
		const run = await startRestore();
		try {
			run.kill('SIGTERM');
			await run.waitForExit(30_000);
			expect(run.rawOutput()).toContain('interrupted (SIGTERM): nothing was changed');
		} finally {
			run.kill('SIGKILL');
		}
		expect(sha256(temp.path)).toBe(before);
		expect(leftovers()).toEqual([]);
		expect(lastAudit()).toMatchObject({action: 'restore', result: 'failed', error: 'interrupted (SIGTERM): nothing was changed'});
	}, 180_000);
});
