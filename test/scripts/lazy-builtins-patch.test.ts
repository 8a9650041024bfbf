// Built-ins the console's first frame never uses are not loaded before it (scripts/patches.mjs:
// terminal-size's child_process, signal-exit's assert; source/backups/worker.ts's worker_threads):
// the built console, in a real pty, records the Node built-ins loaded when its first full frame is
// written. And the patched files still do their work: signal-exit refuses a callback that is not a
// function with assert's own error, terminal-size still gives a size.
// Needs the build.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {signalExitText, terminalSizeText} from '../../scripts/patches.mjs';
import {ptyEnv, runPty} from '../helpers/pty.js';

const root = path.resolve(import.meta.dirname, '../..');
const modules = path.join(root, 'node_modules');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-lazy-builtins-'));
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('built-ins on first need', () => {
	it('the console\'s first frame is drawn without child_process, dgram, assert or worker_threads loaded', async () => {
		const bin = path.join(root, 'build/bundle/bin.js');
		if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
		const out = path.join(dir, 'loaded.txt');
		// at the first stdout write holding the tab bar and the key hints: the built-ins loaded so far
		const preload = path.join(dir, 'preload.cjs');
		fs.writeFileSync(preload, `let seen = ''; const write = process.stdout.write;
process.stdout.write = function (chunk, ...rest) {
	seen += String(chunk);
	if (seen.includes('4 Backups') && seen.includes('quit') && !require('fs').existsSync(${JSON.stringify(out)})) require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n'));
	return write.call(this, chunk, ...rest);
};`);
		const run = runPty('node', ['-r', preload, bin, '--sqlite', path.join(dir, 'app.db'), '--backup-dir', path.join(dir, 'backups'), '--redis-url', 'redis://127.0.0.1:6379/0'], {cols: 100, rows: 30, env: ptyEnv({...process.env, XDG_CACHE_HOME: path.join(dir, 'cache'), XDG_STATE_HOME: path.join(dir, 'state')}), cwd: dir});
		try {
			await run.waitForText('4 Backups', 20_000);
			await expect.poll(() => fs.existsSync(out), {timeout: 10_000}).toBe(true);
		} finally {
			run.kill('SIGKILL');
		}
		const loaded = new Set(fs.readFileSync(out, 'utf8').split('\n'));
		// the list is the real one (the console has loaded what it draws with)
		expect(loaded.has('NativeModule tty')).toBe(true);
		for (const name of ['child_process', 'dgram', 'assert', 'worker_threads']) expect(loaded.has(`NativeModule ${name}`), name).toBe(false);
	}, 60_000);

	it('signal-exit, patched, still refuses a callback that is not a function, with assert\'s error', () => {
		const file = path.join(modules, 'signal-exit/index.js');
		const load = (text: string) => {
			const module = {exports: {} as unknown};
			new Function('module', 'exports', 'require', text)(module, module.exports, createRequire(file));
			return module.exports as (cb: unknown) => () => void;
		};
		const original = load(fs.readFileSync(file, 'utf8'));
		const patched = load(signalExitText(fs.readFileSync(file, 'utf8'), file));
		const thrown = (onExit: (cb: unknown) => unknown) => {
			try {
				onExit('not a function');
			} catch (error) {
				return {name: (error as Error).name, message: (error as Error).message, code: (error as {code?: string}).code};
			}
			return undefined;
		};
		expect(thrown(patched)).toEqual({name: 'AssertionError', message: 'a callback must be provided for exit handler', code: 'ERR_ASSERTION'});
		expect(thrown(patched)).toEqual(thrown(original));
	});

	it('terminal-size, patched, loads no child_process and still gives a size', async () => {
		const file = path.join(modules, 'terminal-size/index.js');
		// (it imports Node built-ins only: a copy runs from anywhere)
		const copy = path.join(dir, 'terminal-size.mjs');
		fs.writeFileSync(copy, terminalSizeText(fs.readFileSync(file, 'utf8'), file));
		try {
			expect(fs.readFileSync(copy, 'utf8')).not.toMatch(/^import .* from 'node:child_process'/m);
		// what it calls when it asks tput or stty
		expect(typeof process.getBuiltinModule('node:child_process').execFileSync).toBe('function');
			const {default: terminalSize} = (await import(pathToFileURL(copy).href)) as {default: () => {columns: number; rows: number}};
			// (vitest's worker: no tty streams; COLUMNS/LINES set, which terminal-size reads after the streams)
			const before = {columns: process.env.COLUMNS, lines: process.env.LINES};
			process.env.COLUMNS = '123';
			process.env.LINES = '45';
			try {
				expect(terminalSize()).toEqual({columns: 123, rows: 45});
			} finally {
				for (const [key, value] of [['COLUMNS', before.columns], ['LINES', before.lines]] as const) {
					if (value === undefined) delete process.env[key];
					else process.env[key] = value;
				}
			}
		} finally {
			fs.rmSync(copy, {force: true});
		}
	});
});
