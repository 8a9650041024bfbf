// Issue 16, point 3, in Ink's own frame: a 40x10 terminal (ink-testing-library's stdout narrowed
// as a resize would) never gets a line wider than 40 cells or a frame over 9 lines; the restore
// dialog scrolls to its plan with PgDn while letters still type the word; the ? help scrolls to its
// last entry instead of saying "… N more".
import path from 'node:path';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {createBackends} from '../../source/backends/index.js';
import {createBackup} from '../../source/backups/backups.js';
import {loadConfig} from '../../source/config/config.js';
import {keys, render, settle, stripAnsi, type Rendered} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

const pane = {columns: 40, rows: 10};

function start(initialTab: number) {
	temp = tempSqlite({messages: 12});
	const config = loadConfig({
		env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: temp.path, BACKUP_DIR: path.join(temp.dir, 'backups'), POLL_INTERVAL_MS: '250'},
		flags: {auditLog: path.join(temp.dir, 'audit.log')},
		cwd: temp.dir,
	});
	const app = render(<App backends={createBackends(config)} startOnMount={false} initialTab={initialTab} />);
	// ink-testing-library's stdout is 100 columns and has no rows: make it the pane, as a resize would
	Object.defineProperty(app.stdout, 'columns', {value: pane.columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: pane.rows, configurable: true});
	app.stdout.emit('resize');
	return {app, config};
}

/** Ink's last frame, checked against the pane: no line over 40 cells, at most 9 lines. */
function fitted(app: Rendered): string {
	const lines = stripAnsi(app.lastFrame() ?? '').split('\n');
	expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(pane.rows - 1);
	for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(pane.columns);
	return lines.join('\n');
}

describe('a 40x10 pane (issue 16, point 3)', () => {
	it('lists backups with date and time; the restore dialog scrolls to its plan (PgDn), letters type the word', async () => {
		const {app, config} = start(3);
		const backup = await createBackup(config);
		await app.waitFor(s => !s.includes('2 Keys') && /\d\d-\d\d \d\d:\d\d:\d\d/.test(s));
		const list = fitted(app);
		const row = list.split('\n').find(l => l.startsWith('manual_'))!;
		// the date and time the backup was taken, to the second (UTC), beside the start of its name
		expect(row).toContain(new Date(backup.createdAt).toISOString().slice(5, 19).replace('T', ' '));

		await app.press(keys.enter);
		await app.waitFor('Type restore and press Enter');
		await settle(50);
		const top = fitted(app);
		expect(top).toMatch(/Restore manual_/);
		expect(top).not.toMatch(/rows now ->/);
		expect(top).toMatch(/lines 1-\d+ of \d+/);

		for (let i = 0; i < 5 && !/messages: 12 rows now -> 12/.test(app.screen()); i++) await app.press(keys.pageDown);
		expect(fitted(app)).toMatch(/messages: 12 rows now -> 12/);
		// j and k type (the word could hold them): the plan stays where PgDn put it
		await app.type('jk');
		await app.waitFor('Enter: jk');
		expect(fitted(app)).toMatch(/messages: 12 rows now -> 12/);
		await app.press(keys.escape);
		await app.waitFor('cancelled: nothing was done');
		fitted(app);
	});

	it('the ? help scrolls to its last entry (j k, G) instead of cutting it', async () => {
		const {app} = start(0);
		await app.waitFor(s => !s.includes('2 Keys') && s.includes('? help'));
		await app.press('?');
		await app.waitFor('Esc or ? closes this help');
		const first = fitted(app);
		expect(first).not.toContain('more (widen the terminal)');
		expect(first).toMatch(/lines 1-\d+ of \d+/);
		expect(first).toMatch(/j k scroll/);
		expect(first).not.toMatch(/^q +quit/m);
		await app.press('G');
		const last = await app.waitFor(/^q +quit/m);
		expect(last).toMatch(/^Ctrl-C +quit too/m);
		fitted(app);
		await app.press('g');
		await app.waitFor(s => !/^q +quit/m.test(s));
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('closes this help'));
	});
});
