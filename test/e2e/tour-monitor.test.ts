// The new-user tour, step 3: the Monitor tab on the demo while a second process runs
// `opsdeck demo --traffic` (writes like the live app). The counters move by themselves: the total
// grows, +N and a rate show up. Keys only in, screen only out. Needs `npm run build` first.
import type {ChildProcess} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemoTour, typeKeys, waitForScreen, type DemoTour} from '../helpers/demo-tour.js';

let tour: DemoTour;
let traffic: ChildProcess | undefined;
beforeAll(async () => {
	tour = await startDemoTour({prefix: 'opsdeck_tour_monitor'});
}, 60_000);
afterAll(async () => {
	traffic?.kill('SIGKILL');
	await tour?.stop();
});

const totalLine = (lines: readonly string[]) => lines.find(l => /^total \(\d+ keys\)/.test(l));
const totalCount = (line: string | undefined) => Number(/^total \(\d+ keys\) +([\d,]+)/.exec(line ?? '')?.[1]?.replace(/,/g, '') ?? Number.NaN);

describe('tour: Monitor on the demo', () => {
	it('shows every chat and its counters move while demo --traffic writes', async () => {
		const chats = tour.seed.redis.messageKeys;
		const cached = tour.seed.chats.reduce((n, c) => n + c.cached, 0);
		const run = tour.openConsole();
		try {
			await run.waitForText('1 Status', 15_000);
			await typeKeys(run, '3');
			// default watch: every chat's messages, with the demo's cached counts
			await run.waitForText(`chat:*:messages · ${chats} keys`, 15_000);
			let lines = await waitForScreen(run, ls => totalCount(totalLine(ls)) === cached, `total of ${cached} cached messages`);
			expect(totalLine(lines)).toMatch(new RegExp(`^total \\(${chats} keys\\)`));
			expect(lines.filter(l => /^chat:\S+:messages +\d/.test(l)).length).toBeGreaterThan(3);

			// a second terminal: the demo keeps writing like the live app
			traffic = tour.spawnCli(['demo', '--traffic', '--rate', '20']);
			let out = '';
			traffic.stdout!.on('data', (d: Buffer) => (out += d.toString()));
			traffic.stderr!.on('data', (d: Buffer) => (out += d.toString()));
			// a second process has to start and connect first: allow it more time on a loaded machine
			lines = await waitForScreen(run, ls => {
				const line = totalLine(ls);
				return totalCount(line) !== cached && /\s\+\d+\s/.test(line ?? '') && /\d\/s/.test(line ?? '');
			}, 'the total moving with +N and a rate', 30_000).catch((error: Error) => {
				throw new Error(`${error.message}\ndemo --traffic said:\n${out}`);
			});
			// and so do the rows of the chats written to
			expect(lines.some(l => /^chat:\S+:messages +[\d,]+ +\+\d+ +[\d.]+\/s/.test(l))).toBe(true);
			const first = totalCount(totalLine(lines));
			await waitForScreen(run, ls => totalCount(totalLine(ls)) !== first, 'a later tick moving the total again');

			// space pauses: the header says so
			await typeKeys(run, ' ');
			await run.waitForText(/paused/i);
			await typeKeys(run, ' ');
			await run.waitForNoText(/paused/i);

			await typeKeys(run, '?');
			await run.waitForText('Esc or ? closes this help');
			expect(run.lines()[1]?.trim()).toBe('Monitor');
			await typeKeys(run, '\x1b');
			await run.waitForNoText('closes this help');

			const stopped = new Promise<number | null>(resolve => traffic!.on('exit', code => resolve(code)));
			traffic.kill('SIGINT');
			expect(await stopped).toBe(0);
			expect(out).toMatch(/stopped: wrote [\d,]+ messages/);

			await typeKeys(run, 'q');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
			expect(run.isAlternateScreen()).toBe(false);
		} finally {
			run.kill('SIGKILL');
		}
	}, 90_000);
});
