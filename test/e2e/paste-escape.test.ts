// Two ways a paste got past the bracketed-paste guard (a hostile tester's findings):
// 1. a paste holding ESC [201~ itself: terminals and tmux (paste-buffer -p) pass it through raw, so
//    it ended the paste early and the rest ran as typed keys (deleted a key, ran FLUSHDB, quit). The
//    console now treats everything that arrives in the same burst after an end marker (before the
//    input is quiet for 50 ms) as pasted too.
// 2. a 1 MB paste went through the key queue one key per React commit (minutes, q and Ctrl-C stuck
//    behind it): a paste is now one piece, cut to what the field holds.
// The built console in a pty. Needs `npm run build` first.
import {describe, expect, it} from 'vitest';
import {keysTab, redisConsoleFixture} from '../helpers/redis-console.js';
import {sleep} from '../helpers/wait.js';

const fx = redisConsoleFixture(async direct => {
	await direct.set('pe:one', 'v');
	await direct.set('pe:two', 'v');
});

const start = '\x1b[200~';
const end = '\x1b[201~';

describe('a paste holding ESC [201~ runs nothing after it', () => {
	it('into an open Delete dialog: "ESC[201~delete⏎" deletes nothing; the word typed later works', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'pe:one');
			await run.waitForText('pe:one');
			run.press('x');
			await run.waitForText('Type delete and press Enter');
			await sleep(200);
			run.press(`${start}${end}delete\r${end}`);
			await run.waitForText('paste ignored: type the word');
			await sleep(500);
			await run.flush();
			expect(await fx.direct.exists('pe:one')).toBe(1);
			expect(run.screen()).not.toContain('deleted pe:one');
			// typed by hand after the burst: works
			run.press('delete');
			await run.waitForText(/press Enter: delete/);
			run.press('\r');
			await run.waitForText('deleted pe:one');
			expect(await fx.direct.exists('pe:one')).toBe(0);
			await fx.direct.set('pe:one', 'v');
		} finally {
			run.kill();
		}
	}, 60_000);

	it('from the Keys list: "ESC[201~x" + 30,000 DEL + "delete⏎" deletes nothing', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'pe:two');
			await run.waitForText('pe:two');
			run.press(`${start}ok${end}x${'\x7f'.repeat(30_000)}delete\r${end}`);
			await run.waitForText('paste ignored: no text field');
			await sleep(1000);
			await run.flush();
			expect(await fx.direct.exists('pe:two')).toBe(1);
			expect(run.screen()).not.toContain('deleted pe:two');
		} finally {
			run.kill();
		}
	}, 60_000);

	it('on Status: "ls -la⏎ESC[201~q" does not quit, nor does F + 200,000 DEL + "flush⏎" flush; q typed after a pause quits', async () => {
		const run = fx.start();
		try {
			await run.waitForText('Status');
			run.press(`${start}ls -la\n${end}q`);
			await run.waitForText('paste ignored: no text field');
			run.press(`${start}x\n${end}F${'\x7f'.repeat(200_000)}flush\r`);
			// (the pty takes a while to pass 200 KB on: q pressed while it still does is part of the paste)
			await sleep(4000);
			await run.flush();
			expect(run.exit).toBeUndefined();
			expect(await fx.direct.dbsize()).toBeGreaterThan(0);
			expect(run.screen()).not.toContain('press Enter');
			expect(run.inverseLines()[0]).toContain('Status');
			// q once the burst is over (on a slow machine the pty may still be passing the 200 KB on,
			// and a q inside the burst is pasted: pressed again every half second until it quits)
			for (let i = 0; i < 40 && run.exit === undefined; i++) {
				run.press('q');
				await sleep(500);
			}
			expect((await run.waitForExit(10_000)).exitCode).toBe(0);
		} finally {
			run.kill();
		}
	}, 60_000);

	it('a normal paste into the pattern field, then keys typed after a pause, still work', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'pe:one');
			run.press('/');
			await run.waitForText('pattern: pe:one');
			run.press('\x15');
			await run.waitForNoText('pattern: pe:one');
			run.press(`${start}pe:t${end}`);
			await run.waitForText('pattern: pe:t');
			await sleep(300);
			run.press('wo\r');
			await run.waitForText(/pattern pe:two .* done/);
		} finally {
			run.kill();
		}
	}, 60_000);
});

describe('a 1 MB paste is handled at once', () => {
	it('into the Keys pattern field: cut to the field and said so; Ctrl-C then quits at once', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'pe:one');
			run.press('/');
			await run.waitForText('pattern: pe:one');
			run.press('\x15');
			await run.waitForNoText('pattern: pe:one');
			run.press(`${start}${'a'.repeat(1_000_000)}${end}`);
			await run.waitForText('pattern cut at 4,096 characters', 15_000);
			// the field holds its first 4,096 characters
			await sleep(1000);
			await run.flush();
			expect(run.screen()).toMatch(/pattern: …a+ *$/m);
			// a Ctrl-C typed once the paste is in (not in its burst: that would be pasted)
			const pressed = Date.now();
			run.press('\x03');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
			expect(Date.now() - pressed).toBeLessThan(5000);
		} finally {
			run.kill();
		}
	}, 60_000);

	it('outside a text field: dropped quickly, and ? still answers', async () => {
		const run = fx.start();
		try {
			await run.waitForText('Status');
			run.press(`${start}${'b'.repeat(1_000_000)}${end}`);
			await run.waitForText('paste ignored: no text field', 15_000);
			await sleep(1000);
			run.press('?');
			await run.waitForText('Everywhere', 15_000);
			run.press('\x03');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
		} finally {
			run.kill();
		}
	}, 60_000);
});
