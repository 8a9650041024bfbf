// The new-user tour, step 2: the Keys tab on the demo. Filter with `/` to one of the chats the demo
// put out of sync on purpose, open it (its messages, pinned, backroom and reactions), compare it
// with PostgreSQL (`c`) and see exactly what the demo said was missing and extra. Keys only in,
// screen only out. Needs `npm run build` first.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemoTour, typeKeys, waitForScreen, type DemoTour} from '../helpers/demo-tour.js';
import {keys} from '../helpers/pty.js';

let tour: DemoTour;
beforeAll(async () => {
	tour = await startDemoTour({prefix: 'opsdeck_tour_keys'});
}, 60_000);
afterAll(async () => tour?.stop());

describe('tour: Keys on the demo', () => {
	it('filters, opens a chat, compares it with PostgreSQL, shows help, quits', async () => {
		// the demo's own summary names the chats to try compare on
		const target = tour.seed.outOfSync.find(o => o.missing.length > 0 && o.extra.length > 0) ?? tour.seed.outOfSync[0]!;
		const code = target.chat;
		const run = tour.openConsole();
		try {
			await run.waitForText('1 Status', 15_000);
			await typeKeys(run, '2');
			const total = tour.seed.redis.keys.toLocaleString('en-US');
			await run.waitForText(new RegExp(`all keys · ${total} keys · scanned ${total} of ${total} · done`), 15_000);
			await run.waitForText(/^chat:\S+ +zset/m);

			await typeKeys(run, '/');
			await run.waitForText('pattern:');
			await typeKeys(run, `chat:${code}:*`, keys.enter);
			await run.waitForText(new RegExp(`pattern chat:${code}:\\* · \\d+ keys · .* · done`), 15_000);
			// only that chat's keys are listed (once the new scan has replaced the old list)
			const lines = await waitForScreen(run, ls => {
				const rows = ls.filter(l => /^chat:/.test(l));
				const hints = ls.filter(l => l.trim()).at(-1) ?? '';
				// and the row details (type, TTL, size) have arrived for the messages key
				const messages = rows.find(r => r.startsWith(`chat:${code}:messages `));
				return rows.length > 0 && rows.every(r => r.startsWith(`chat:${code}:`)) && /Enter open/.test(hints) && / zset +\S+ +[\d.]+ [KM]?B/.test(messages ?? '');
			}, `only chat:${code}:* keys listed`);
			expect(lines.filter(l => l.trim()).at(-1)).toMatch(/\/ pattern .*Enter open .*c compare/);

			// Enter on a cache key opens its chat
			await typeKeys(run, keys.enter);
			await run.waitForText(`chat ${code}`, 15_000);
			await run.waitForText(/messages \d+ \(ttl .*\) +pinned \d+ +backroom \d+ +reactions \d+/, 15_000);
			await run.waitForText(/^newest +\d{4}-\d\d-\d\d /m);
			expect(run.screen()).toMatch(/Esc back +c compare/);

			// c: the cache against PostgreSQL, with the numbers the demo reported
			await typeKeys(run, 'c');
			await run.waitForText(`compare ${code} with postgres`, 15_000);
			await run.waitForText(`OUT OF SYNC: ${target.missing.length} missing in redis, ${target.extra.length} extra in redis`, 15_000);
			for (const id of [...target.missing.slice(0, 3), ...target.extra.slice(0, 2)]) expect(run.screen()).toContain(id);

			await typeKeys(run, '?');
			await run.waitForText('Esc or ? closes this help');
			expect(run.screen()).toMatch(/c +compare a chat cache with PostgreSQL/);
			await typeKeys(run, '?');
			await run.waitForNoText('closes this help');
			await run.waitForText(`compare ${code} with postgres`);

			// Esc walks back: the chat, then the filtered list
			await typeKeys(run, keys.escape);
			await run.waitForText(`chat ${code}`);
			await typeKeys(run, keys.escape);
			await run.waitForText(`pattern chat:${code}:*`);

			await typeKeys(run, 'q');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
			expect(run.isAlternateScreen()).toBe(false);
		} finally {
			run.kill('SIGKILL');
		}
	}, 90_000);
});
