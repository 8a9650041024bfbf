// The new-user tour, step 1: `opsdeck demo` on fresh backends, then `opsdeck` in a real terminal.
// The Status tab says every store is up and the verdict is healthy; `?` explains its keys; `q`
// gives the terminal back. Keys only in, screen only out. Needs `npm run build` first.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemoTour, typeKeys, waitForScreen, type DemoTour} from '../helpers/demo-tour.js';

let tour: DemoTour;
beforeAll(async () => {
	tour = await startDemoTour({prefix: 'opsdeck_tour_status'});
}, 60_000);
afterAll(async () => tour?.stop());

describe('tour: Status on the demo', () => {
	it('shows every store up and healthy, explains its keys, and quits cleanly', async () => {
		const run = tour.openConsole();
		try {
			// one frame with the verdict and a card per store, each up, with the demo's data in it
			const keyCount = tour.seed.redis.keys.toLocaleString('en-US');
			await waitForScreen(run, lines => {
				const screen = lines.join('\n');
				return /HEALTHY +every check passes/.test(screen)
					&& /PostgreSQL +up/.test(screen) && /Redis +up/.test(screen) && /SQLite +up/.test(screen)
					&& new RegExp(`keys db0 +${keyCount}\\b`).test(screen)
					&& /backup +newest .* ago \(1 kept\)/.test(screen)
					&& !/DOWN|unhealthy|degraded/i.test(screen)
					// the bottom bar names the keys that work here (part of the same wait: a frame can
					// reach the terminal in more than one chunk)
					&& /P reconnect PG .*F flush.*\? help.*q quit/.test(lines.filter(l => l.trim()).at(-1) ?? '');
			}, 'healthy, every store up, the demo data counted, the keys in the bottom bar');

			await typeKeys(run, '?');
			await run.waitForText('Esc or ? closes this help');
			expect(run.screen()).toMatch(/P +reconnect PostgreSQL/);
			expect(run.screen()).toMatch(/F +flush the Redis cache/);
			await typeKeys(run, '\x1b');
			await run.waitForText('HEALTHY');

			// P reconnects PostgreSQL and says how it went, still healthy afterwards
			await typeKeys(run, 'P');
			await run.waitForText(/PostgreSQL: reconnected in \d+ ms/, 15_000);
			await run.waitForText('HEALTHY');

			await typeKeys(run, 'q');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
			// the operator's own screen is back
			expect(run.isAlternateScreen()).toBe(false);
			expect(run.screen()).not.toContain('HEALTHY');
		} finally {
			run.kill('SIGKILL');
		}
	}, 90_000);
});
