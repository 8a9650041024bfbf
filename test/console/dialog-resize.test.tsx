// Hostile defect 2: a confirm dialog open while the pane shrinks from 80x24 to 40x10 lost lines,
// its `lines 1-N of M` indicator and its ↑, and left text behind. After the resize it must read as
// one opened at 40x10: the title, the first lines, the indicator, and PgDn/↑ scrolling.
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

function resize(app: Rendered, columns: number, rows: number): void {
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
}

function fitted(app: Rendered, columns: number, rows: number): string {
	const lines = stripAnsi(app.lastFrame() ?? '').split('\n');
	expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(rows - 1);
	for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
	return lines.join('\n');
}

describe('a confirm dialog across a resize (hostile defect 2)', () => {
	it('opened at 80x24 and shrunk to 40x10: it wraps and scrolls as one opened at 40x10', async () => {
		temp = tempSqlite({messages: 12});
		const config = loadConfig({
			env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: temp.path, BACKUP_DIR: path.join(temp.dir, 'backups'), POLL_INTERVAL_MS: '250'},
			flags: {auditLog: path.join(temp.dir, 'audit.log')},
			cwd: temp.dir,
		});
		const app = render(<App backends={createBackends(config)} startOnMount={false} initialTab={3} />);
		resize(app, 80, 24);
		await createBackup(config);
		await app.waitFor('manual_');
		await app.press(keys.enter);
		await app.waitFor('Type restore and press Enter');
		await settle(100);

		resize(app, 40, 10);
		await settle(200);
		const small = fitted(app, 40, 10);
		expect(small).toMatch(/Restore manual_/);
		expect(small).toMatch(/lines 1-\d+ of \d+/);
		expect(small).toContain('Type restore and press Enter');

		await app.press(keys.pageDown);
		await app.waitFor(s => !/lines 1-/.test(s) && /lines \d+-\d+ of \d+/.test(s));
		await app.press(keys.up);
		await app.waitFor(s => /lines \d+-\d+ of \d+/.test(s));
		fitted(app, 40, 10);

		// and back: the whole plan again, no indicator
		resize(app, 80, 24);
		await settle(200);
		const large = fitted(app, 80, 24);
		expect(large).toMatch(/Restore manual_/);
		expect(large).toContain('Type restore and press Enter');
		await app.press(keys.escape);
		await app.waitFor('cancelled: nothing was done');
	});
});
