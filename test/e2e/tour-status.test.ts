// The new-user tour, step 1: `opsdeck demo` on fresh backends, then `opsdeck` in a real terminal.
// The Status tab says every store is up and the verdict is healthy; `?` explains its keys; `q`
// gives the terminal back. Keys only in, screen only out. Needs `npm run build` first.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemoTour, typeKeys, type DemoTour} from '../helpers/demo-tour.js';

let tour: DemoTour;
beforeAll(async () => {
	tour = await startDemoTour({prefix: 'opsdeck_tour_status'});
}, 60_000);
afterAll(async () => tour?.stop());

describe('tour: Status on the demo', () => {
	it('shows every store up and healthy, explains its keys, and quits cleanly', async () => {
		const run = tour.openConsole();
		try {
			await run.waitForText('HEALTHY', 15_000);
			await run.waitForText('every check passes', 15_000);
			// a card per store, each up, with the demo's data in it
			await run.waitForText(/PostgreSQL +up/, 15_000);
			await run.waitForText(/Redis +up/, 15_000);
			await run.waitForText(/SQLite +up/, 15_000);
			await run.waitForText(new RegExp(`keys db0 +${tour.seed.redis.keys.toLocaleString('en-US')}\\b`), 15_000);
			await run.waitForText(/backup +newest .* ago \(1 kept\)/, 15_000);
			expect(run.screen()).not.toMatch(/DOWN|unhealthy|degraded/i);
			// the bottom bar names the keys that work here
			expect(run.lines().filter(l => l.trim()).at(-1)).toMatch(/P reconnect PG .*F flush.*\? help.*q quit/);

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
	});
});
