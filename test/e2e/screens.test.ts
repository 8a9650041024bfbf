// Issue 16, point 3: every tab and dialog at 40x10 and 80x24, drawn by the built console on the demo
// and visited exactly as `npm run media` visits them (media/screens.mjs): nothing is drawn wider
// than the pane (no line over the width in cells, no row the terminal had to wrap), the frame leaves
// the last row free, and in a 40x10 pane the rows an operator acts on stay distinct: reaction keys
// keep their ends, backups their date and time, the restore dialog scrolls to its plan, a chat shows
// its messages. Needs `npm run build` first.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {backupTime, paneProblems, paneSizes, visitScreens} from '../../media/screens.mjs';
import {pause, startDemoTour, typeKeys, waitForScreen, type DemoTour} from '../helpers/demo-tour.js';

let tour: DemoTour;
beforeAll(async () => {
	tour = await startDemoTour({prefix: 'opsdeck_screens'});
}, 60_000);
afterAll(async () => tour?.stop());

const screens = ['status', 'flush', 'keys', 'delete-key', 'chat', 'compare', 'value', 'help', 'monitor', 'backups', 'restore', 'delete-backup', 'redis', 'redis-memory', 'logs'];

/** Visits every screen at this size; each is checked as it is shot. Returns the screens by name. */
async function visit(size: {cols: number; rows: number}): Promise<Map<string, string[]>> {
	// each screen is shot with its keys back in the bar: the message the step before left there (a
	// cancelled dialog, a new backup) fades after 2.5 s instead of 10 s (in a 40-column pane a
	// message leaves the keys no room for their words, so every shot after one waited it out)
	const run = tour.openConsole({...size, env: {OPSDECK_FLASH_FADE_MS: '2500'}});
	const shots = new Map<string, string[]>();
	try {
		await run.waitForText('1', 15_000);
		await visitScreens({
			type: (...keys) => typeKeys(run, ...keys),
			waitFor: (check, what) => waitForScreen(run, check, what, 20_000),
			lines: () => run.lines(),
			pause,
		}, {
			...size,
			shot: (name, _title, lines) => {
				expect(paneProblems(lines, run.wrappedRows(), size), `${name} at ${size.cols}x${size.rows}:\n${lines.join('\n')}`).toEqual([]);
				shots.set(name, lines);
			},
		});
		run.press('q');
		expect((await run.waitForExit(15_000)).exitCode).toBe(0);
	} finally {
		run.kill('SIGKILL');
	}
	return shots;
}

describe('every tab and dialog fits its pane (issue 16, point 3)', () => {
	for (const size of paneSizes) {
		it(`at ${size.cols}x${size.rows}: nothing wider than the pane, the last row free`, async () => {
			const shots = await visit(size);
			for (const name of screens) expect(shots.has(name), name).toBe(true);
			if (size.cols !== 40) return;

			// the reaction keys of one chat: each row its own, the chat and the end of the message id kept
			const keyRows = shots.get('keys')!.filter(l => l.startsWith('chat:'));
			expect(keyRows.length).toBeGreaterThanOrEqual(3);
			for (const row of keyRows) expect(row).toMatch(/^chat:[A-Z]{5}\d{3}:…-[0-9a-f]{4}-[0-9a-f]{12} +hash\s*$/);
			expect(new Set(keyRows.map(row => row.split(' ')[0])).size).toBe(keyRows.length);

			// every backup with its date and time, to the second, beside the start of its name
			const backupRows = shots.get('backups')!.filter(l => /^(manual|safety|auto)_/.test(l));
			expect(backupRows.length).toBeGreaterThanOrEqual(2);
			for (const row of backupRows) expect(row).toMatch(/^(manual|safety|auto)_\S*\.db +\d\d-\d\d \d\d:\d\d:\d\d +(ok|-|FAILED|claim\?)\s*$/);
			expect(backupRows.every(row => backupTime.test(row))).toBe(true);

			// the restore dialog opens on what it replaces and scrolls (PgDn) to the rows now -> in the backup
			expect(shots.get('restore')!.join('\n')).toMatch(/Restore manual_\S+\.db/);
			expect(shots.get('restore')!.join('\n')).not.toMatch(/rows now -> /);
			expect(shots.get('restore')!.join('\n')).toMatch(/lines 1-\d+ of \d+/);
			expect(shots.get('restore-plan')!.join('\n')).toMatch(/\w+: [\d,]+ rows now -> [\d,]+/);

			// a chat shows messages under its counts
			expect(shots.get('chat')!.filter(l => /^\d\d-\d\d \d\d:\d\d:\d\d \S+/.test(l)).length).toBeGreaterThanOrEqual(3);
		}, 240_000);
	}
});
