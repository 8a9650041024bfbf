// The console as a person drives it, in a real pseudo-terminal: open, switch tab, help, quit; the
// normal screen comes back. Both the bundled bin (what `opsdeck` runs) and the plain tsc build.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {runPty} from '../helpers/pty.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const builds = {bundle: path.join(root, 'build/bundle/bin.js'), tsc: path.join(root, 'build/bin.js')};
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-e2e-'));
afterAll(() => fs.rmSync(cwd, {recursive: true, force: true}));
const env = {...process.env, OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log')};

describe.each(Object.entries(builds))('console (%s build)', (_name, bin) => {
	it('opens, switches tab, shows help, quits and restores the screen', async () => {
		const run = runPty('node', [bin], {cols: 80, rows: 24, env, cwd});
		await run.waitForText('1 Status');
		expect(run.isAlternateScreen()).toBe(true);
		run.press('2');
		await run.waitForText(/2 Keys/);
		// keys arrive one by one, as typed (a burst in one read is a paste for Ink)
		await new Promise(resolve => setTimeout(resolve, 100));
		run.press('?');
		await run.waitForText('Esc or ? closes this help');
		// the help of the active tab comes first: Keys
		expect(run.lines()[1]?.trim()).toBe('Keys');
		run.press('\x1b');
		await run.waitForNoText('closes this help');
		run.press('q');
		const exit = await run.waitForExit(10_000);
		expect(exit.exitCode).toBe(0);
		expect(run.isAlternateScreen()).toBe(false);
		expect(run.rawOutput()).toContain('\x1b[?1049l');
		// bracketed paste on while it ran (a paste is never keys there), off with the screen
		expect(run.rawOutput().indexOf('\x1b[?2004h')).toBeGreaterThanOrEqual(0);
		expect(run.rawOutput().lastIndexOf('\x1b[?2004l')).toBeGreaterThan(run.rawOutput().lastIndexOf('\x1b[?2004h'));
	});
});

describe('console lifecycle', () => {
	for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
		it(`exits 0 and restores the terminal on ${signal}`, async () => {
			const run = runPty('node', [builds.bundle], {cols: 80, rows: 24, env, cwd});
			await run.waitForText('1 Status');
			run.kill(signal);
			const exit = await run.waitForExit(10_000);
			expect(exit.exitCode).toBe(0);
			expect(run.isAlternateScreen()).toBe(false);
			expect(run.rawOutput().lastIndexOf('\x1b[?2004l')).toBeGreaterThan(run.rawOutput().lastIndexOf('\x1b[?2004h'));
		});
	}

	it('refuses to draw without a terminal and points at `opsdeck status`', () => {
		const result = spawnSync('node', [builds.bundle], {cwd, env, input: '', encoding: 'utf8', timeout: 10_000});
		expect(result.status).toBe(2);
		expect(result.stderr.trim()).toBe('opsdeck: the console needs a terminal; try `opsdeck status`');
	});

	it('says the terminal is too small instead of drawing a broken frame', async () => {
		const run = runPty('node', [builds.bundle], {cols: 20, rows: 5, env, cwd});
		await run.waitForText('opsdeck needs');
		run.resize(80, 24);
		await run.waitForText('1 Status');
		run.press('q');
		expect((await run.waitForExit(10_000)).exitCode).toBe(0);
	});
});
