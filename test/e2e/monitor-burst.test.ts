// A burst of keys on a long Monitor list (defect 1 of the hostile report): 60 `j` in one read once
// crashed the console with React's "Maximum update depth exceeded" (#185). Every key is handled:
// the highlight ends 60 rows down (then 45 PgDn: the last page), the console still running. Needs `npm run build` first.
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {keys, runPty} from '../helpers/pty.js';
import {redisConsoleFixture} from '../helpers/redis-console.js';
import {binPath} from '../helpers/run-cli.js';
import {waitFor} from '../helpers/wait.js';

const fx = redisConsoleFixture(async direct => {
	const p = direct.pipeline();
	for (let i = 0; i < 700; i++) p.zadd(`chat:Q${String(i).padStart(3, '0')}:messages`, 1, 'm');
	await p.exec();
});

describe('Monitor under a burst of keys', () => {
	// each key is one commit of a 700-row Monitor (React's development build under vitest): seconds on a loaded machine
	it('handles 60 j in one read without crashing and ends on the 61st row', {timeout: 90_000}, async () => {
		const args = [binPath, '--redis-url', fx.server.url, '--database-url', 'postgres://127.0.0.1:1/none', '--sqlite', path.join(fx.cwd, 'none.db')];
		const run = runPty(process.execPath, args, {cols: 80, rows: 24, cwd: fx.cwd, env: {...process.env, XDG_STATE_HOME: path.join(fx.cwd, 'state')}});
		try {
			await run.waitForText('Status');
			run.press('3');
			await run.waitForText(/rows 1–\d+ of 700/);
			run.press('j'.repeat(60));
			await waitFor(async () => {
				await run.flush();
				return run.exit !== undefined || run.inverseLines().some(line => line.includes('chat:Q060:messages'));
			}, {timeout: 30_000, message: 'the highlight on chat:Q060:messages'});
			expect(run.exit).toBeUndefined();
			// every key moved it: the 61st row is highlighted and in the shown range
			expect(run.inverseLines().some(line => line.includes('chat:Q060:messages'))).toBe(true);
			const [, first, last] = /rows (\d+)–(\d+) of 700/.exec(run.screen()) ?? [];
			expect(Number(first)).toBeLessThanOrEqual(61);
			expect(Number(last)).toBeGreaterThanOrEqual(61);
			// a burst of page moves too: 45 PgDn in one read reach the last page
			run.press(keys.pageDown.repeat(45));
			await waitFor(async () => {
				await run.flush();
				return run.exit !== undefined || /rows [\d,]+–700 of 700/.test(run.screen());
			}, {timeout: 30_000, message: 'the last page after 45 PgDn'});
			expect(run.exit).toBeUndefined();
		} finally {
			run.kill();
		}
	});
});
