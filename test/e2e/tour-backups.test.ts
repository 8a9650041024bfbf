// The new-user tour, step 4: the Backups tab on the demo. `n` takes a backup (the demo made one
// already), the app then loses rows, and Enter restores the new backup: the dialog shows the plan
// (rows now -> rows in the backup), a wrong word does nothing, the word `restore` does it, a
// safety backup appears and the rows are back. Keys only in, screen only out (the app's writes
// are done on the side with better-sqlite3, as the app would). Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemoTour, typeKeys, waitForScreen, type DemoTour} from '../helpers/demo-tour.js';
import {keys} from '../helpers/pty.js';

let tour: DemoTour;
beforeAll(async () => {
	tour = await startDemoTour({prefix: 'opsdeck_tour_backups'});
}, 60_000);
afterAll(async () => tour?.stop());

const backupRows = (lines: readonly string[]) => lines.filter(l => /^(manual|auto|safety)_\S+\.db\b/.test(l.trim()));
const playersLine = /players: ([\d,]+) rows now -> ([\d,]+) in the backup/;

describe('tour: Backups on the demo', () => {
	it('creates a backup, then restores it with the typed word', async () => {
		const live = path.join(tour.cwd, 'data', 'app.db');
		expect(fs.existsSync(live)).toBe(true);
		const run = tour.openConsole();
		try {
			await run.waitForText('1 Status', 15_000);
			await typeKeys(run, '4');
			// the demo's own backup, and where backups go
			await run.waitForText(/auto: off · 1 backup, keep 7 · free .* · .*backups/, 15_000);
			let lines = await waitForScreen(run, ls => backupRows(ls).length === 1, 'the demo backup');
			expect(backupRows(lines)[0]).toMatch(/^manual_\S+\.db +manual +[\d.]+ [KM]B /);

			await typeKeys(run, 'n');
			await run.waitForText(/created manual_\S+ \(.*verified\)/, 15_000);
			// newest first, verified
			lines = await waitForScreen(run, ls => backupRows(ls).length === 2 && / ok\s*$/.test(backupRows(ls)[0]!), 'two backups, the new one verified');
			const newest = /^(manual_\S+\.db)/.exec(backupRows(lines)[0]!.trim())![1]!;

			// the app loses some players after the backup
			const db = new Database(live);
			const before = (db.prepare('select count(*) as n from players').get() as {n: number}).n;
			db.prepare('delete from players where rowid in (select rowid from players limit 50)').run();
			db.close();

			// Enter on the newest backup: the plan, then the typed word
			await typeKeys(run, 'g', keys.enter);
			await run.waitForText(`Restore ${newest}`, 15_000);
			await run.waitForText('Type restore and press Enter', 15_000);
			const plan = playersLine.exec(run.screen());
			expect(plan?.[1]).toBe((before - 50).toLocaleString('en-US'));
			expect(plan?.[2]).toBe(before.toLocaleString('en-US'));

			await typeKeys(run, 'restor', keys.enter);
			await run.waitForText('That is not "restore". Nothing was done.');
			await typeKeys(run, 'e', keys.enter);
			await run.waitForText(new RegExp(`restored ${newest.replace(/\./g, '\\.')} in [\\d.]+m?s \\(quick_check ok\\)`), 15_000);
			lines = await waitForScreen(run, ls => backupRows(ls).length === 3, 'the safety backup listed');
			expect(backupRows(lines)[0]).toMatch(/^safety_\S+\.db +safety /);

			// the rows are back: the plan for the same backup (still highlighted: the safety backup
			// appeared above it) now shows no difference
			await typeKeys(run, keys.enter);
			await run.waitForText(`Restore ${newest}`, 15_000);
			await run.waitForText(playersLine, 15_000);
			const after = playersLine.exec(run.screen());
			expect(after?.[1]).toBe(before.toLocaleString('en-US'));
			await typeKeys(run, keys.escape);
			await run.waitForText('cancelled: nothing was done');

			await typeKeys(run, '?');
			await run.waitForText('Esc or ? closes this help');
			expect(run.screen()).toMatch(/Enter +restore the selected backup/);
			await typeKeys(run, keys.escape);
			await run.waitForNoText('closes this help');

			await typeKeys(run, 'q');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
			expect(run.isAlternateScreen()).toBe(false);
			// the restore is in the audit log
			expect(fs.readFileSync(tour.auditLog, 'utf8')).toMatch(/"action":"restore"/);
		} finally {
			run.kill('SIGKILL');
		}
	}, 90_000);
});
