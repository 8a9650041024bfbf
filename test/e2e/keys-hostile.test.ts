// The hostile tester's Keys-tab defects 3, 4 and 8 (t/hostile test/hostile-repro), kept as
// regression tests in a real terminal: a flush by this console empties the Keys list, `r` keeps the
// highlighted key, and the bar offers `c compare` only on a chat's key.
import {beforeEach, describe, expect, it} from 'vitest';
import type {PtyRun} from '../helpers/pty.js';
import {keysTab, redisConsoleFixture} from '../helpers/redis-console.js';
import {waitFor} from '../helpers/wait.js';

const fx = redisConsoleFixture();

beforeEach(async () => {
	await fx.direct.flushdb();
	const p = fx.direct.pipeline();
	for (const k of ['cur:a', 'cur:b', 'cur:c', 'cur:d', 'cur:e']) p.set(k, 'v');
	p.zadd('chat:ABCDE123:messages', 1, 'm1');
	p.zadd('chat:ABCDE123:pinned', 1, 'p1');
	await p.exec();
});

/** the terminal's output without its escape sequences */
const plain = (raw: string) => raw.replace(/\x1b\[[\d;?]*[A-Za-z]/g, '');

const highlighted = (run: PtyRun) => run.inverseLines().filter(line => !line.includes(' 1 ')).map(line => line.trim().split(/\s+/)[0]);

describe('Keys tab, hostile defects 3, 4, 8', () => {
	it('defect 3: after this console flushes Redis (F on Status), the Keys tab no longer lists the flushed keys', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'cur:*');
			await run.waitForText('cur:e');
			run.press('1');
			await run.waitForText(/HEALTHY|DEGRADED|UNHEALTHY/);
			run.press('F');
			await run.waitForText('Type flush');
			run.press('flush\r');
			await run.waitForText('flushed');
			run.press('2');
			// the Keys tab drawn with a finished scan (of whatever it lists)
			await run.waitForText(/pattern cur:\* · \d+ keys · (scanned \d+ of \d+ · )?done/);
			await run.flush();
			// the keys are gone from Redis: the list must not offer them
			expect(run.screen()).not.toContain('cur:e');
		} finally {
			run.kill();
		}
	});

	it('defect 4: r (rescan) keeps the cursor on the highlighted key (issue 16.1: follows across rescans)', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'cur:*');
			run.press('jjj');
			await waitFor(async () => {
				await run.flush();
				return highlighted(run).includes('cur:d');
			}, {timeout: 5000, message: 'cursor on cur:d'});
			const mark = run.rawOutput().length;
			run.press('r');
			// the rescan drawn from its start to its end (what was written since the key), then its rows
			// with their types: the cursor is where the rescan left it
			await waitFor(() => /scanning[\s\S]*scanned 7 of 7 · done/.test(plain(run.rawOutput().slice(mark))), {timeout: 10_000, message: 'the rescan drawn, scanning then done'});
			await run.waitForText(/cur:e +string/);
			await run.flush();
			expect(highlighted(run)).toContain('cur:d');
		} finally {
			run.kill();
		}
	});

	it('defect 8: the bar does not offer "c compare" on a key that is not a chat cache key', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'cur:*');
			await run.flush();
			expect(run.screen()).not.toContain('c compare');
		} finally {
			run.kill();
		}
	});
});
