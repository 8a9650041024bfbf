// Issue 7, case 11: a backup process killed half-way leaves no backup behind: the partial file is
// never listed (by the op, the command, or the Backups tab's list) and a later backup still works.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createBackup, listBackups, verifyBackup} from '../../source/backups/backups.js';
import {runCli} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';
import {backupConfig, grow} from '../backups/backup-helpers.js';

let sqlite: TempSqlite;
beforeAll(() => {
	sqlite = tempSqlite();
	grow(sqlite.path, 150);
});
afterAll(() => sqlite.cleanup());

describe('a backup killed half-way', () => {
	it('is never listed as a backup, only as a leftover with its size; the next backup works', async () => {
		const config = backupConfig(sqlite.dir, sqlite.path);
		const built = path.resolve('build/backups/backups.js');
		const code = `import {createBackup} from ${JSON.stringify(built)};
			await createBackup(${JSON.stringify(config)}, {onProgress: r => { if (r > 0) process.stdout.write('progress\\n'); }});`;
		const child = spawn(process.execPath, ['--input-type=module', '-e', code], {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		const closed = new Promise(resolve => child.once('close', resolve));
		// kill it once copying has started and the partial file exists
		await waitFor(() => out.includes('progress') && fs.readdirSync(config.backupDir).some(n => n.endsWith('.partial')), {timeout: 20_000, interval: 5});
		child.kill('SIGKILL');
		await closed;

		const leftovers = fs.readdirSync(config.backupDir);
		expect(leftovers.some(n => n.includes('partial'))).toBe(true);
		expect(await listBackups(config.backupDir)).toEqual([]);
		const listed = await runCli(['backup', 'list', '--json'], {cwd: sqlite.dir, env: {SQLITE_PATH: sqlite.path, BACKUP_DIR: config.backupDir}});
		expect(listed.code).toBe(0);
		const json = JSON.parse(listed.stdout) as {backups: unknown[]; leftovers: {name: string; sizeBytes: number}[]};
		expect(json.backups).toEqual([]);
		// issue 13, case 10: what a kill left is shown, with its size, for `backup prune` to remove
		expect(json.leftovers.map(l => l.name).filter(n => n.includes('partial')).length).toBeGreaterThan(0);

		const next = await createBackup(config);
		expect((await verifyBackup(config, next.name)).ok).toBe(true);
		expect((await listBackups(config.backupDir)).map(e => e.name)).toEqual([next.name]);
	});
});
