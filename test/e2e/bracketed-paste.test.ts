// A paste into the console never runs its keys: the console switches bracketed paste on (ESC [?2004h)
// when it takes the terminal and off (ESC [?2004l) on every way out; a paste (ESC [200~ … ESC [201~)
// types into an open text field, its newline submitting nothing, and anywhere else is dropped with
// `paste ignored: …` in the bottom bar. Before, a paste of `x⏎q` on a list quit the console. The
// built console in a pty, each paste in ONE write as a terminal sends it. Needs `npm run build` first.
import {describe, expect, it} from 'vitest';
import {keysTab, redisConsoleFixture} from '../helpers/redis-console.js';
import {sleep} from '../helpers/wait.js';

const fx = redisConsoleFixture(async direct => {
	await direct.set('bp:only', 'v');
	await direct.set('pa:one', 'v');
});

const paste = (text: string) => `\x1b[200~${text}\x1b[201~`;

/** The bracketed-paste switches the console wrote, in order: 'h' on, 'l' off. */
const switches = (raw: string) => Array.from(raw.matchAll(/\x1b\[\?2004([hl])/g), m => m[1]).join('');

describe('a paste never runs console keys', () => {
	it('a paste of x⏎q2F on the Status tab is ignored and said so; the console stays on Status; ?2004h at start, ?2004l on q', async () => {
		const run = fx.start();
		try {
			await run.waitForText('Status');
			expect(switches(run.rawOutput())).toBe('h');
			run.press(paste('x\nq2F'));
			await run.waitForText('paste ignored: no text field');
			await sleep(500);
			await run.flush();
			expect(run.exit).toBeUndefined();
			// the tab bar's active tab is still Status, and F opened no flush dialog
			expect(run.inverseLines()[0]).toContain('Status');
			expect(run.screen()).not.toContain('press Enter');
			// a key typed (not pasted) still works
			run.press('q');
			expect((await run.waitForExit(10_000)).exitCode).toBe(0);
			expect(run.isAlternateScreen()).toBe(false);
			expect(switches(run.rawOutput())).toBe('hl');
		} finally {
			run.kill();
		}
	}, 60_000);

	it('a paste into the Keys pattern field types the text, and its newline does not submit', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'bp:*');
			await run.waitForText('bp:only');
			run.press('/');
			await run.waitForText('pattern: bp:*');
			run.press('\x15');
			await run.waitForNoText('pattern: bp:*');
			run.press(paste('pa:*\r'));
			await run.waitForText('pattern: pa:*');
			await sleep(500);
			await run.flush();
			// still the field, still the old scan's rows: nothing was submitted
			expect(run.screen()).toContain('pattern: pa:*');
			expect(run.screen()).toContain('bp:only');
			expect(run.screen()).not.toContain('pa:one');
			// Enter typed by the operator submits what was pasted
			run.press('\r');
			await run.waitForText('pa:one');
			await run.waitForText(/pattern pa:\* .* done/);
		} finally {
			run.kill();
		}
	}, 60_000);

	it('a confirm dialog refuses a paste of its word and says why; the word typed works', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'bp:*');
			await run.waitForText('bp:only');
			run.press('x');
			await run.waitForText('Type delete and press Enter');
			await sleep(200);
			run.press(paste('delete\r'));
			await run.waitForText('paste ignored: type the word');
			await sleep(300);
			await run.flush();
			expect(run.screen()).toMatch(/press Enter: +│$/m);
			expect(run.screen()).not.toContain('That is not');
			expect(await fx.direct.exists('bp:only')).toBe(1);
			run.press('delete');
			await run.waitForText(/press Enter: delete/);
			run.press('\r');
			await run.waitForText('deleted bp:only');
			expect(await fx.direct.exists('bp:only')).toBe(0);
		} finally {
			run.kill();
		}
	}, 60_000);

	it('a paste that never ends (no ESC [201~) does not lock the keyboard: keys work again after a quiet second; in a 40-column pane the message fits', async () => {
		const run = fx.start(40, 10);
		try {
			await run.waitForText('Status');
			run.press('\x1b[200~abc2');
			await run.waitForText('paste ignored: no text field');
			expect(run.inverseLines()[0]).toContain('Status');
			await sleep(1500);
			run.press('2');
			// (the tab bar names the active tab only, in a narrow pane)
			await run.waitForText('2 Keys', 3000);
			expect(run.inverseLines()[0]).toContain('Keys');
		} finally {
			run.kill();
		}
	}, 60_000);

	it('gives the terminal back with bracketed paste off on SIGTERM', async () => {
		const run = fx.start();
		try {
			await run.waitForText('Status');
			run.kill('SIGTERM');
			expect((await run.waitForExit(10_000)).exitCode).toBe(0);
			expect(switches(run.rawOutput())).toBe('hl');
		} finally {
			run.kill();
		}
	}, 60_000);
});
