// issue 13, case 10: a signal while the console's `n` backup runs abandons it and leaves no
// `.partial` file behind, and says so once the screen is back. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
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
	grow(temp.path, 150); // the copy takes a moment: the signal lands while it runs
}, 60_000);
afterAll(() => temp?.cleanup());

describe('the console interrupted during n', () => {
	it('SIGTERM while the backup runs: the partial file is removed, nothing is left, and it says so', async () => {
		const backupDir = path.join(temp.dir, 'backups');
		const env: Record<string, string | undefined> = {
			...process.env,
			SQLITE_PATH: temp.path,
			BACKUP_DIR: backupDir,
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
			run.press('n');
			// the signal as soon as the partial file exists
			const started = Date.now();
			while (!(fs.existsSync(backupDir) && fs.readdirSync(backupDir).some(name => name.endsWith('.partial')))) {
				if (Date.now() - started > 15_000) throw new Error(`no partial appeared: ${run.screen()}`);
				await new Promise(resolve => setTimeout(resolve, 2));
			}
			run.kill('SIGTERM');
			await run.waitForExit(20_000);
			expect(fs.readdirSync(backupDir)).toEqual([]);
			expect(run.rawOutput()).toContain('opsdeck: interrupted: an unfinished backup or export was abandoned and its temp file removed; nothing was changed');
		} finally {
			if (!run.exit) run.kill('SIGKILL');
		}
	}, 60_000);
});
