// Hostile defect: keys pasted after a prompt's Enter leaked into a destructive dialog (`x` opened
// "Delete key" and `delete` was typed into its word field). A confirm dialog drops every key typed
// ahead of it when it opens: its word is typed once it is on screen. The built console in a pty,
// each burst in ONE write. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {keysTab, redisConsoleFixture} from '../helpers/redis-console.js';
import {sleep, waitFor} from '../helpers/wait.js';

const fx = redisConsoleFixture(async direct => {
	await direct.set('ta:only', 'v');
});

describe('a confirm dialog drops the keys typed ahead of it', () => {
	it('x + delete⏎ in one write opens the dialog with an empty field; delete⏎ typed after deletes', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'ta:*');
			await run.waitForText('ta:only');
			run.press('xdelete\r');
			await run.waitForText('Type delete and press Enter');
			await run.waitForText('7 keys typed ahead were dropped');
			await sleep(500);
			await run.flush();
			expect(run.screen()).toMatch(/press Enter: +│$/m);
			expect(run.screen()).not.toContain('That is not');
			expect(await fx.direct.exists('ta:only')).toBe(1);
			// typed once the dialog is on screen, in separate writes: the operator's answer
			run.press('delete');
			await run.waitForText(/press Enter: delete/);
			run.press('\r');
			await run.waitForText('deleted ta:only');
			expect(await fx.direct.exists('ta:only')).toBe(0);
		} finally {
			run.kill();
		}
	}, 60_000);

	it('the export repro: E, a path, ⏎ and xdelete⏎ in one write writes the file and leaves the dialog empty', async () => {
		await fx.direct.set('ta:only', 'v');
		const run = fx.start();
		const file = path.join(fx.cwd, 'x', 'p.csv');
		fs.mkdirSync(path.dirname(file), {recursive: true});
		try {
			await keysTab(run, 'ta:*');
			await run.waitForText('ta:only');
			run.press('E');
			await run.waitForText('export to:');
			await sleep(200);
			run.press(`\x15${file}\rxdelete\r`);
			await run.waitForText('Type delete and press Enter');
			await waitFor(() => fs.existsSync(file));
			expect(fs.readFileSync(file, 'utf8')).toContain('ta:only');
			await sleep(500);
			await run.flush();
			expect(run.screen()).toMatch(/press Enter: +│$/m);
			expect(await fx.direct.exists('ta:only')).toBe(1);
			// one more Enter (the defect's last step) is a wrong word: nothing is deleted
			run.press('\r');
			await run.waitForText('That is not "delete"');
			expect(await fx.direct.exists('ta:only')).toBe(1);
		} finally {
			run.kill();
		}
	}, 60_000);
});
