import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {App, tabs} from '../../source/console/app.js';
import {createBackends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {keys, render} from '../helpers/render.js';

function backends(extra: Record<string, string> = {}) {
	return createBackends(loadConfig({env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x', ...extra}, cwd: '/nonexistent'}));
}

describe('console frame', () => {
	it('switches tabs with number keys, Tab and Shift-Tab', async () => {
		const app = render(<App backends={backends()} startOnMount={false} />);
		// The help overlay names the active tab first: a way to read which tab is active.
		const activeTab = async () => {
			await app.press('?');
			const screen = await app.waitFor('Esc or ? closes this help');
			await app.press(keys.escape);
			await app.waitFor(s => !s.includes('closes this help'));
			return screen.split('\n')[1]!.trim();
		};
		expect(await activeTab()).toBe('Status');
		await app.press('2');
		expect(await activeTab()).toBe('Keys');
		await app.press(keys.tab);
		expect(await activeTab()).toBe('Monitor');
		// back past the first tab: the last one, however many there are
		const last = tabs.at(-1)!.title;
		await app.press(keys.shiftTab, keys.shiftTab, keys.shiftTab);
		expect(await activeTab()).toBe(last);
		await app.press('1');
		expect(await activeTab()).toBe('Status');
		// every tab has its digit, the last one included
		await app.press(String(tabs.length));
		expect(await activeTab()).toBe(last);
		await app.press('1');
		expect(await activeTab()).toBe('Status');
	});

	it('opens and closes the help overlay with ? and Esc', async () => {
		const app = render(<App backends={backends()} startOnMount={false} />);
		await app.press('?');
		const help = await app.waitFor('Esc or ? closes this help');
		expect(help).toContain('next / previous tab');
		expect(help).toContain('quit');
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('closes this help'));
	});

	it('P with no config file says there is none and where it looked (not that it "defines none")', async () => {
		const app = render(<App backends={backends()} startOnMount={false} />);
		await app.press('2', 'P');
		await app.waitFor('no profiles to switch to: there is no config file (/nonexistent/opsdeck.config');
	});

	it('the profile picker at 40x10: g and G go to the first and last profile; the rows line up (hostile defects)', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-picker-'));
		const down = {redisUrl: 'redis://127.0.0.1:1/0', databaseUrl: 'postgres://127.0.0.1:1/x'};
		fs.writeFileSync(path.join(dir, 'opsdeck.config.json'), JSON.stringify({profiles: {a: {...down, description: 'desc-a'}, staging: {...down, description: 'desc-s'}, 'eu-prod-long': {...down, description: 'desc-e'}}}));
		try {
			const app = render(<App backends={createBackends(loadConfig({flags: {config: path.join(dir, 'opsdeck.config.json')}, profile: 'a', cwd: dir}))} startOnMount={false} />);
			Object.defineProperty(app.stdout, 'columns', {value: 40, configurable: true});
			Object.defineProperty(app.stdout, 'rows', {value: 10, configurable: true});
			app.stdout.emit('resize');
			await app.press('2', 'P');
			await app.waitFor('Switch environment (3 profiles)');
			const selected = () => app.screen().split('\n').find(line => line.includes('❯'));
			expect(selected()).toContain('desc-a');
			await app.press('G');
			expect(selected()).toContain('desc-e');
			await app.press('g');
			expect(selected()).toContain('desc-a');
			const rows = app.screen().split('\n').filter(line => line.includes('desc-'));
			expect(rows).toHaveLength(3);
			expect(new Set(rows.map(line => line.indexOf('desc-'))).size).toBe(1);
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('marks read-only mode in the tab bar', async () => {
		const app = render(<App backends={backends({OPSDECK_READ_ONLY: '1'})} startOnMount={false} />);
		await app.waitFor('read-only');
	});

	it('a tab bar too wide for the terminal keeps only the active title, and the read-only mark', async () => {
		const app = render(<App backends={backends({OPSDECK_READ_ONLY: '1'})} startOnMount={false} />);
		const titles = tabs.reduce((n, t, i) => n + ` ${i + 1} ${t.title} `.length, 0);
		Object.defineProperty(app.stdout, 'rows', {value: 24, configurable: true});
		// 80 columns: every title shows (the name "opsdeck" gives way first; hostile defect W3)
		Object.defineProperty(app.stdout, 'columns', {value: 80, configurable: true});
		app.stdout.emit('resize');
		const wide = (await app.waitFor(s => s.startsWith(' 1 Status') && s.includes(' 7 Logs '))).split('\n')[0]!;
		expect(wide).toMatch(/^ 1 Status {2}2 Keys {2}3 Monitor .* 7 Logs +(read-only|RO)\s*$/);
		// a terminal one column short of the titles and RO (and at least 60, where it was cut before)
		Object.defineProperty(app.stdout, 'columns', {value: Math.max(60, titles + ' RO'.length - 1), configurable: true});
		app.stdout.emit('resize');
		const bar = (await app.waitFor(s => / RO/.test(s) && !s.includes('2 Keys'))).split('\n')[0]!;
		expect(bar).toMatch(/^ 1 Status {2}2 {2}3 /);
		expect(bar).toMatch(/ RO\s*$/);
		// and within a 40-column pane, the last tab's title and the mark included
		Object.defineProperty(app.stdout, 'columns', {value: 40, configurable: true});
		app.stdout.emit('resize');
		await app.press(String(tabs.length));
		const top = () => app.screen().split('\n')[0]!;
		await app.waitFor(() => top().includes(tabs.at(-1)!.title));
		expect(top()).toMatch(/ RO\s*$/);
		expect(Array.from(top().trimEnd()).length).toBeLessThanOrEqual(40);
	});
});
