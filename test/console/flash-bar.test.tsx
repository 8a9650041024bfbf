// Hostile defect 5: a message in the bottom bar took the whole bar, `? help` included (PRODUCT: a
// bottom bar always shows the keys that work here; issue 15: `? help` always visible). Now the
// message takes the bar's left part with its time, and the keys stay at its right end: `? help`
// on a tab, the answer keys in a dialog — at 80 columns and in a 40x10 pane.
import path from 'node:path';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {createBackends} from '../../source/backends/index.js';
import {createBackup} from '../../source/backups/backups.js';
import {loadConfig} from '../../source/config/config.js';
import {keys, render, settle, stripAnsi} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

function start(columns: number, rows: number) {
	temp = tempSqlite({messages: 3});
	const config = loadConfig({
		env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: temp.path, BACKUP_DIR: path.join(temp.dir, 'backups'), POLL_INTERVAL_MS: '250'},
		flags: {auditLog: path.join(temp.dir, 'audit.log')},
		cwd: temp.dir,
	});
	const app = render(<App backends={createBackends(config)} startOnMount={false} initialTab={3} />);
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
	return {app, config};
}

/** The frame's last line: the bottom bar (checked to fit the width). */
function bar(screen: string, columns: number): string {
	const line = screen.split('\n').filter(l => l.trim()).at(-1) ?? '';
	expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
	return line;
}

describe('a message in the bottom bar keeps the keys beside it (hostile defect 5)', () => {
	for (const [columns, rows] of [[80, 24], [40, 10]] as const) {
		it(`${columns}x${rows}: on a tab, the message with its time and ? help; in a dialog, its answer keys`, async () => {
			const {app, config} = start(columns, rows);
			await createBackup(config);
			await app.waitFor(s => s.includes('manual_') && bar(s, columns).includes('? help'));
			await settle(50);

			await app.press('r');
			const onTab = bar(await app.waitFor(s => bar(s, columns).includes('refreshed')), columns);
			expect(onTab).toMatch(/^\d\d:\d\d(:\d\d)? refreshed/);
			expect(onTab).toContain('? help');
			if (columns >= 80) expect(onTab).toMatch(/^\d\d:\d\d:\d\d refreshed the backup list +.*\? help/);

			// the restore dialog says what its check found in the bar: Enter and Esc stay listed beside it
			await app.press(keys.enter);
			const inDialog = bar(await app.waitFor(s => s.includes('Type restore and press Enter') && bar(s, columns).includes('manual_')), columns);
			expect(inDialog).toMatch(/^\d\d:\d\d(:\d\d)? manual_/);
			expect(inDialog).toMatch(columns >= 80 ? /Enter confirm {2}Esc cancel/ : /Enter {2}Esc/);
			await app.press(keys.escape);
			const cancelled = bar(await app.waitFor('cancelled: nothing was done'), columns);
			expect(cancelled).toContain('? help');
			expect(stripAnsi(app.lastFrame() ?? '').split('\n').length).toBeLessThanOrEqual(rows - 1);
		});
	}
});

describe('the Backups list in a 40x10 pane (hostile defect 16)', () => {
	it('says which rows are on screen on the line under its header (no blank line), and the count and the rule apart', async () => {
		const {app, config} = start(40, 10);
		for (let i = 0; i < 6; i++) await createBackup(config);
		// the cursor keeps the row it was on while backups arrive above it (a slow machine lists them one by one): to the top
		await app.waitFor(s => / of 6$/m.test(s));
		await app.press('g');
		const first = await app.waitFor(s => /rows 1–\d of 6/.test(s));
		const lines = first.split('\n');
		expect(lines[1]).toMatch(/^auto: off · 6 backups, keep 7/);
		expect(lines[2]).toMatch(/^rows 1–\d of 6$/);
		await app.press('G');
		await app.waitFor(/rows \d–6 of 6/);
	});
});

