// The Backups tab as an operator drives it, in a real pseudo-terminal (the bundled bin): `n` shows a
// progress bar and then the new row; the console answers keys while the backup runs; Enter opens
// the restore plan and only the typed word restores. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runPty} from '../helpers/pty.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {grow} from '../backups/backup-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'build/bundle/bin.js');
let temp: TempSqlite;

beforeAll(() => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	temp = tempSqlite({messages: 40});
	// big enough that the backup takes a visible while
	grow(temp.path, 150);
}, 60_000);
afterAll(() => temp?.cleanup());

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('Backups tab in a terminal', () => {
	it('creates with a progress bar while staying responsive, then restores only after the word', async () => {
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
		const run = runPty('node', [bin], {cols: 80, rows: 24, env, cwd: temp.dir});
		try {
			await run.waitForText('1 Status');
			run.press('4');
			await run.waitForText('no backups yet', 15_000);
			await pause(100);
			run.press('n');
			await run.waitForText(/backup .*\[[█░]+\] +\d+%/, 10_000);
			// keys still work while it runs: the help opens before the backup is done
			run.press('?');
			await run.waitForText('take a backup now');
			expect(run.screen()).not.toMatch(/created manual_/);
			run.press('\x1b');
			await run.waitForText(/manual_\S+\.db +manual +\d+ MB .* ok/, 30_000);
			expect(run.screen()).toMatch(/1 backup, keep 7/);

			// change the data, then restore
			const db = new Database(temp.path);
			db.exec('delete from messages');
			db.close();
			await pause(100);
			run.press('\r');
			await run.waitForText('Type restore and press Enter', 30_000);
			expect(run.screen()).toMatch(/messages: 0 rows now -> 40 in the backup/);
			await pause(100);
			run.press('x'); // not the word
			await pause(50);
			run.press('\r');
			await run.waitForText('That is not "restore". Nothing was done.');
			// one key per read, as a person types (keys in one read are a paste for Ink)
			await pause(100);
			run.press('\x7f');
			await pause(100);
			for (const ch of 'restore') {
				run.press(ch);
				await pause(40);
			}
			await pause(100);
			run.press('\r');
			await run.waitForText(/restored manual_/, 60_000);
			await run.waitForText(/safety_\S+ +safety/);
			const after = new Database(temp.path, {readonly: true});
			expect(after.prepare('select count(*) from messages').pluck().get()).toBe(40);
			after.close();
			run.press('q');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
		} finally {
			run.kill('SIGKILL');
		}
	}, 120_000);
});
