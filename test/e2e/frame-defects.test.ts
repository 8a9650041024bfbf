// The hostile tester's defects 2 and 5 (t/hostile, test/hostile-repro), end to end in a pty: a
// confirm dialog open across a resize to 40x10 reads as one opened there; a message in the bottom
// bar leaves `? help` in it.
import {beforeEach, describe, expect, it} from 'vitest';
import {keysTab, redisConsoleFixture} from '../helpers/redis-console.js';
import {sleep} from '../helpers/wait.js';

const fx = redisConsoleFixture();

beforeEach(async () => {
	await fx.direct.flushdb();
	const p = fx.direct.pipeline();
	for (const k of ['cur:a', 'cur:b', 'cur:c', 'cur:d', 'cur:e']) p.set(k, 'v');
	p.zadd('chat:ABCDE123:messages', 1, 'm1');
	p.zadd('chat:ABCDE123:pinned', 1, 'p1');
	for (let i = 0; i < 20; i++) p.zadd(`chat:QQQQQ${String(i).padStart(3, '0')}:messages`, 1, 'm');
	for (let i = 0; i < 6; i++) p.hset(`chat:ABCDE123:reactions:0000000${i}-aaaa-bbbb-cccc-dddddddddddd`, 'x', '1');
	await p.exec();
});

describe('the frame (hostile defects 2 and 5)', () => {
	it('defect 2: a dialog open while the pane shrinks to 40x10 keeps its first line and its scroll indicator', async () => {
		const run = fx.start(80, 24);
		try {
			await keysTab(run, 'chat:*:messages');
			run.press('X');
			await run.waitForText('Type clear');
			run.resize(40, 10);
			// the dialog redrawn for 40x10 (only there does it scroll: its indicator), and a moment for
			// any later frame of the resize to land
			await run.waitForText(/lines \d+-\d+ of \d+/);
			await sleep(200);
			await run.flush();
			const screen = run.screen();
			expect(screen).toContain('DEL the 8 cache keys');
			expect(screen).toMatch(/lines \d+-\d+ of \d+/);
			expect(screen).toContain('Type clear and press Enter');
		} finally {
			run.kill();
		}
	});

	it('defect 5: the bottom bar keeps "? help" while a message is shown (PRODUCT: a bottom bar always shows the keys)', async () => {
		const run = fx.start();
		try {
			await keysTab(run, 'cur:*');
			run.press('r');
			await run.waitForText('rescanning cur:');
			await run.flush();
			const bar = run.screen().split('\n').filter(line => line.trim()).at(-1) ?? '';
			expect(bar).toMatch(/^\d\d:\d\d:\d\d rescanning cur:.* \? help/);
		} finally {
			run.kill();
		}
	});

	it('defect 16: the Keys list in a 40x10 pane says which rows are on screen', async () => {
		const run = fx.start(40, 10);
		try {
			await run.waitForText('Status');
			run.press('2');
			await run.waitForText('pattern');
			run.press('/');
			await sleep(200);
			run.press('\x15chat:*:messages\r');
			await run.waitForText(/21 keys · done .*rows 1–\d of 21/);
			run.press('G');
			await run.waitForText(/rows \d+–21 of 21/);
		} finally {
			run.kill();
		}
	});
});
