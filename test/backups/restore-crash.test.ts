// A restore killed (SIGKILL) at random moments: the live file must always open and pass
// quick_check, and hold either the old data or the new, never a mix. The restore runs in a child
// process built from the sources with esbuild (the child cannot load TypeScript by itself).
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {build} from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sourceWorkerForEsbuild} from '../../scripts/backup-worker.mjs';
import {createBackup} from '../../source/backups/backups.js';
import {restoreBackup} from '../../source/backups/restore.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {backupConfig, grow} from './backup-helpers.js';

let temp: TempSqlite;
let script: string;

function setMarker(file: string, marker: string): void {
	const db = new Database(file);
	db.exec(`create table if not exists marker (v text); delete from marker; insert into marker values ('${marker}')`);
	db.close();
}

beforeAll(async () => {
	temp = tempSqlite({messages: 100});
	// inside the repository, so the bundle finds better-sqlite3 in node_modules
	const out = fs.mkdtempSync(path.join(process.cwd(), 'node_modules', '.opsdeck-restore-crash-'));
	script = path.join(out, 'child.mjs');
	fs.writeFileSync(path.join(out, 'entry.ts'), `
		import {restoreBackup} from ${JSON.stringify(path.resolve('source/backups/restore.js'))};
		const [config, a, b] = JSON.parse(process.argv[2]);
		process.stdout.write('go\\n');
		for (let i = 0; ; i++) await restoreBackup(config, i % 2 ? b : a, {onStep: step => process.stdout.write(step + '\\n')});
	`);
	await build({entryPoints: [path.join(out, 'entry.ts')], bundle: true, platform: 'node', format: 'esm', external: ['better-sqlite3'], outfile: script, logLevel: 'error', plugins: [sourceWorkerForEsbuild()]});
});

afterAll(() => {
	temp?.cleanup();
	if (script) fs.rmSync(path.dirname(script), {recursive: true, force: true});
});

describe('restore killed at random moments', () => {
	it('leaves the live file old or new, never broken', async () => {
		const config = backupConfig(temp.dir, temp.path);
		grow(temp.path, 8);
		setMarker(temp.path, 'A');
		const a = (await createBackup(config)).name;
		setMarker(temp.path, 'B');
		const b = (await createBackup(config, {now: new Date(Date.now() + 1000)})).name;
		const seen = new Set<string>();
		// Each round aims the kill at one step of the restore (a few ms after the child reports it),
		// so the dangerous moments (the swap above all) are hit every time, not by luck.
		const steps = ['copy', 'verify', 'safety', 'swap', 'check'];
		for (let round = 0; round < 10; round++) {
			const child = spawn(process.execPath, [script, JSON.stringify([config, a, b])], {stdio: ['ignore', 'pipe', 'pipe']});
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
			const target = steps[round % steps.length]!;
			// from the second round on, let one restore finish first, so both A and B get installed
			let skip = round % 2;
			await new Promise<void>(resolve => {
				let buffered = '';
				child.stdout.on('data', (chunk: Buffer) => {
					buffered += chunk.toString();
					const lines = buffered.split('\n');
					buffered = lines.pop()!;
					for (const line of lines) {
						if (line !== target) continue;
						if (skip-- > 0) continue;
						resolve();
					}
				});
			});
			await new Promise(resolve => setTimeout(resolve, Math.random() * 12));
			const exited = new Promise(resolve => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
			expect(stderr).toBe('');
			const db = new Database(temp.path);
			try {
				expect(db.pragma('quick_check', {simple: true})).toBe('ok');
				const marker = db.prepare('select v from marker').pluck().get() as string;
				expect(['A', 'B']).toContain(marker);
				expect(db.prepare('select count(*) from filler').pluck().get()).toBeGreaterThan(0);
				seen.add(marker);
			} finally {
				db.close();
			}
		}
		// the kills landed in different restores, not always before the first one finished
		expect(seen.size).toBe(2);
		// the next restore clears the temp copies the killed ones left behind
		await restoreBackup(config, a);
		expect(fs.readdirSync(temp.dir).filter(f => f.includes('.restore-'))).toEqual([]);
	}, 60_000);
});
