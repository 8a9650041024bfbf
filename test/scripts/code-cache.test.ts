// build/bundle/bin.js runs the program with V8's code cache (scripts/code-cache-loader.cjs): the
// first run writes it under $XDG_CACHE_HOME/opsdeck (0600 in a 0700 folder), later runs read it, a
// damaged or foreign file is a normal start that writes a good one, OPSDECK_CODE_CACHE=0 none.
// Needs the build.
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {cliEnv} from '../helpers/health-env.js';
import {runPty} from '../helpers/pty.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'build/bundle/bin.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-code-cache-'));
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string}).version;
function run(cacheHome: string, extra: Record<string, string> = {}) {
	const result = spawnSync(process.execPath, [bin, '--version'], {env: {...process.env, XDG_CACHE_HOME: cacheHome, ...extra}, encoding: 'utf8'});
	expect(result.stderr).toBe('');
	expect(result.stdout).toBe(`${version}\n`);
	expect(result.status).toBe(0);
}
/** the build's id, as the cache files are named (code-ID-KIND-…) */
const buildIdOf = () => /const buildId = ["']([0-9a-f]+)["']/.exec(fs.readFileSync(bin, 'latin1'))![1]!;
const cacheFiles = (cacheHome: string) => (fs.existsSync(path.join(cacheHome, 'opsdeck')) ? fs.readdirSync(path.join(cacheHome, 'opsdeck')) : []);

describe('the bundle\'s code cache', () => {
	it('is written by the first run, read by the next, and replaced when damaged', () => {
		if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
		const home = path.join(dir, 'one');
		run(home);
		const [name] = cacheFiles(home);
		expect(name).toMatch(new RegExp(`^code-[0-9a-f]{16}-help-${process.version.replaceAll('.', '\\.')}-${process.arch}\\.v8$`));
		const file = path.join(home, 'opsdeck', name!);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
		const written = fs.statSync(file).mtimeMs;
		// read, not rewritten
		run(home);
		expect(fs.statSync(file).mtimeMs).toBe(written);
		// damaged: a normal start, and a good cache again (then read as it is)
		fs.writeFileSync(file, Buffer.alloc(4096, 7));
		run(home);
		const good = fs.readFileSync(file);
		expect(good.equals(Buffer.alloc(4096, 7))).toBe(false);
		run(home);
		expect(fs.readFileSync(file).equals(good)).toBe(true);
		expect(cacheFiles(home)).toEqual([name]);
	});

	it('keeps other builds\' caches only while recent, and at most 32 of them', () => {
		const home = path.join(dir, 'others');
		fs.mkdirSync(path.join(home, 'opsdeck'), {recursive: true, mode: 0o700});
		const now = Date.now() / 1000;
		const others = Array.from({length: 34}, (_, i) => `code-${String(i).padStart(16, '0')}-console-${process.version}-${process.arch}.v8`);
		// one a month and a day old, 33 written a minute apart
		for (const [i, name] of others.entries()) {
			const file = path.join(home, 'opsdeck', name);
			fs.writeFileSync(file, 'x');
			const at = i === 0 ? now - 31 * 86_400 : now - 60 * i;
			fs.utimesSync(file, at, at);
		}
		fs.writeFileSync(path.join(home, 'opsdeck', 'notes.txt'), 'not a cache');
		run(home);
		const kept = cacheFiles(home);
		// the month-old one and the oldest of the other 33 are gone; this build's cache and the note stay
		expect(kept.filter(name => others.includes(name)).sort()).toEqual(others.slice(1, 33).sort());
		expect(kept).toContain('notes.txt');
		expect(kept.filter(name => !others.includes(name) && name !== 'notes.txt')).toHaveLength(1);
	});

	it('made by the console is read by the next console (the program sets a V8 flag as it loads: the cache was refused and rewritten at every start)', async () => {
		const home = path.join(dir, 'console');
		fs.mkdirSync(home);
		// backends nobody answers at: the console still starts, draws and quits
		const env = cliEnv({REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', SQLITE_PATH: path.join(home, 'app.db'), BACKUP_DIR: path.join(home, 'backups'), OPSDECK_AUDIT_LOG: path.join(home, 'audit.log'), XDG_STATE_HOME: path.join(home, 'state'), XDG_CACHE_HOME: home});
		const consoleRun = async () => {
			const run = runPty('node', [bin], {cols: 100, rows: 30, env, cwd: home});
			await run.waitForText('1 Status', 15_000);
			// past the moment the loader writes what it owes (the first frame, or 1.5 s)
			await new Promise(resolve => setTimeout(resolve, 2000));
			run.press('q');
			expect((await run.waitForExit(10_000)).exitCode).toBe(0);
		};
		await consoleRun();
		const [name] = cacheFiles(home).filter(file => file.startsWith('code-'));
		expect(name).toMatch(/-console-/);
		const file = path.join(home, 'opsdeck', name!);
		const written = fs.statSync(file);
		await consoleRun();
		const after = fs.statSync(file);
		expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
	}, 60_000);

	it('is neither read nor written with OPSDECK_CODE_CACHE=0, and a cache folder it cannot make is no error', () => {
		const home = path.join(dir, 'off');
		run(home, {OPSDECK_CODE_CACHE: '0'});
		expect(cacheFiles(home)).toEqual([]);
		const blocked = path.join(dir, 'file-not-folder');
		fs.writeFileSync(blocked, '');
		run(blocked);
	});

	it('is one per kind of run (--version does not make the console\'s), and never read from a file others can write or a link', () => {
		const home = path.join(dir, 'kinds');
		run(home);
		expect(cacheFiles(home).map(name => name.split('-')[2])).toEqual(['help']);
		const [name] = cacheFiles(home);
		const file = path.join(home, 'opsdeck', name!);
		// writable by others: not read (V8 would refuse this one; a planted one it might take), and
		// replaced in our own folder by this run's, 0600
		const good = fs.readFileSync(file);
		fs.writeFileSync(file, good);
		fs.chmodSync(file, 0o666);
		const planted = fs.statSync(file).ino;
		run(home);
		expect(fs.statSync(file).ino).not.toBe(planted);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		// a link to a cache: not followed, neither read nor written through
		const elsewhere = path.join(dir, 'elsewhere.v8');
		fs.writeFileSync(elsewhere, good);
		fs.rmSync(file);
		fs.symlinkSync(elsewhere, file);
		run(home);
		expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
		expect(fs.readFileSync(elsewhere).equals(good)).toBe(true);
		// a cache folder others can write: not used at all
		const shared = path.join(dir, 'shared');
		fs.mkdirSync(path.join(shared, 'opsdeck'), {recursive: true});
		fs.chmodSync(path.join(shared, 'opsdeck'), 0o777);
		run(shared);
		expect(cacheFiles(shared)).toEqual([]);
	});

	it('is not written into a folder made by someone else after the start, nor through a link at its temp file\'s name (hostile: root wrote over a file of its own)', async () => {
		// the folder is not there when a run starts (so the run means to make it and write its cache
		// ~1.5 s in); while it follows a log, "someone" makes the folder and plants a link named as
		// the run's temp file, pointing at a victim file
		const victim = path.join(dir, 'victim');
		const log = path.join(dir, 'follow.log');
		fs.writeFileSync(log, 'one line\n');
		for (const [name, mode] of [['planted', 0o777], ['own', 0o700]] as const) {
			fs.writeFileSync(victim, 'precious\n', {mode: 0o600});
			const home = path.join(dir, `race-${name}`);
			fs.mkdirSync(home);
			const child = spawn(process.execPath, [bin, 'logs', log, '--follow'], {env: {...process.env, XDG_CACHE_HOME: home}, stdio: ['ignore', 'pipe', 'pipe']});
			try {
				// its first output: the start's check of the folder is behind it
				await new Promise(resolve => child.stdout.once('data', resolve));
				const folder = path.join(home, 'opsdeck');
				expect(fs.existsSync(folder), 'the run wrote its cache before the folder could be planted').toBe(false);
				fs.mkdirSync(folder);
				fs.chmodSync(folder, mode);
				// (the caches a `logs` line may write: its lean script's, and the main one's)
				const temps = ['logs', 'logs.lean'].map(kind => path.join(folder, `code-${buildIdOf()}-${kind}-${process.version}-${process.arch}.v8.${child.pid}.tmp`));
				for (const temp of temps) fs.symlinkSync(victim, temp);
				// past the run's save (1.5 s after it started)
				await new Promise(resolve => setTimeout(resolve, 2500));
				expect(fs.readFileSync(victim, 'utf8'), name).toBe('precious\n');
				// a folder others can write gets nothing; in an own folder the link stays (not ours to
				// remove) and no cache is written beside it
				expect(fs.readdirSync(folder).sort(), name).toEqual(temps.map(temp => path.basename(temp)).sort());
				for (const temp of temps) expect(fs.lstatSync(temp).isSymbolicLink()).toBe(true);
			} finally {
				child.kill('SIGTERM');
				await new Promise(resolve => child.once('exit', resolve));
			}
			expect(fs.readFileSync(victim, 'utf8'), name).toBe('precious\n');
		}
		// a home that is not there is not made (it made /nonexistent/x/.cache/opsdeck)
		const missing = path.join(dir, 'no-such-home', 'x');
		run(path.join(missing, '.cache'));
		expect(fs.existsSync(path.join(dir, 'no-such-home'))).toBe(false);
	});

	it('never hands V8 a damaged body (it crashed every start) nor a cache of the script before it was patched in place', () => {
		const home = path.join(dir, 'damaged');
		run(home);
		const [name] = cacheFiles(home);
		const file = path.join(home, 'opsdeck', name!);
		const good = fs.readFileSync(file);
		// the header V8 checks left whole, the body after it scrambled
		const damaged = Buffer.from(good);
		for (let i = 200; i < damaged.length; i++) damaged[i] = (damaged[i]! * 31 + i) & 0xff;
		fs.writeFileSync(file, damaged);
		run(home);
		expect(fs.readFileSync(file).equals(damaged)).toBe(false);
		// the build's script edited in place, its length kept: the new text runs, not the cached code
		const copy = path.join(dir, 'patched');
		fs.cpSync(path.dirname(bin), copy, {recursive: true});
		const patchedHome = path.join(dir, 'patched-home');
		const backupHelp = () => spawnSync(process.execPath, [path.join(copy, 'bin.js'), 'backup', '--help'], {env: {...process.env, XDG_CACHE_HOME: patchedHome}, encoding: 'utf8'}).stdout;
		expect(backupHelp()).toContain('a consistent backup now');
		expect(backupHelp()).toContain('a consistent backup now');
		const script = path.join(copy, 'opsdeck.script.js');
		fs.writeFileSync(script, fs.readFileSync(script, 'utf8').replace('a consistent backup now', 'A CONSISTENT BACKUP NOW'));
		expect(backupHelp()).toContain('A CONSISTENT BACKUP NOW');
	});
	it('refuses a body with a single byte changed anywhere (V8 crashed on such data or ran it), and writes a good one', () => {
		// the sha256 over the data (node:crypto, ~5 ms of every start) was replaced by a 64-bit sum in
		// WebAssembly (scripts/code-cache-sum.mjs): a byte changed at any place of V8's data, its header
		// or its body, must still be refused, the run normal, and a good cache written again
		const home = path.join(dir, 'one-byte');
		run(home);
		const [name] = cacheFiles(home);
		const file = path.join(home, 'opsdeck', name!);
		const good = fs.readFileSync(file);
		// (the file: our stamp line, padded, then V8's data: its header, then the body)
		const start = Math.ceil((good.indexOf('\n') + 1) / 8) * 8;
		expect(good.subarray(0, start).toString('latin1')).toMatch(/^opsdeck code cache 3 [0-9a-f]{16}:opsdeck\.script\.js:\d+:[\d.]+:\d+:\d+ [0-9a-f]{16}\n *$/);
		for (const at of [start, start + 8, start + 20, start + 100, Math.floor((start + good.length) / 2), good.length - 1]) {
			const damaged = Buffer.from(good);
			damaged[at] ^= 0x55;
			fs.writeFileSync(file, damaged);
			fs.chmodSync(file, 0o600);
			run(home);
			const after = fs.readFileSync(file);
			expect(after.equals(damaged), `byte ${at} changed: the cache is written again`).toBe(false);
		}
		// and what it wrote is read by the next run as it is
		const rewritten = fs.statSync(file).mtimeMs;
		run(home);
		expect(fs.statSync(file).mtimeMs).toBe(rewritten);
	});

	it('leaves Node\'s own built-ins their code cache: no V8 flag is set as a plain line starts (logs -n, keys, --version)', () => {
		// a V8 flag set at run time (the regex fallback's, set by bin.js first thing) made V8 refuse the
		// cache Node ships for every built-in loaded after it: 20-28 of them compiled from their source
		// at every start (~10 ms of CPU, bench P9). --profile-deserialization prints a line for each.
		const home = path.join(dir, 'builtins');
		const log = path.join(dir, 'builtins.log');
		fs.writeFileSync(log, 'one\ntwo\nthree\n');
		const lines = [['logs', log, '-n', '2'], ['keys', 'opsdeck-code-cache-test-none*', '--json'], ['--version']];
		for (const line of lines) {
			for (let i = 0; i < 2; i++) {
				const result = spawnSync(process.execPath, ['--profile-deserialization', bin, ...line], {env: cliEnv({XDG_CACHE_HOME: home}), encoding: 'utf8'});
				expect(result.status, `${line.join(' ')}: ${result.stderr}`).toBe(0);
				// (V8 prints these on stdout, among the command's own output)
				expect(result.stdout).toContain(line[0] === 'logs' ? 'three' : line[0] === 'keys' ? '[]' : `${version}\n`);
				expect(result.stdout).toContain('[Deserializing from');
				expect(result.stdout.split('\n').filter(text => text.includes('Cached code failed check')), line.join(' ')).toEqual([]);
			}
		}
	});

	it('made by a run that sets V8 flags (logs compiles a --grep pattern) is taken by the next, not refused and compiled again', () => {
		// V8 refuses a cache made under other flags than the run reading it: logs set its regex flag
		// after its script was compiled, so every logs run refused the cache the one before wrote
		const home = path.join(dir, 'flags');
		const log = path.join(dir, 'flags.log');
		fs.writeFileSync(log, 'one x\ntwo\nthree x\n');
		const logs = (...args: string[]) => {
			const result = spawnSync(process.execPath, [bin, 'logs', log, ...args], {env: {...process.env, XDG_CACHE_HOME: home}, encoding: 'utf8'});
			expect(result.stderr).toBe('');
			expect(result.status).toBe(0);
			return result.stdout;
		};
		const stamps = () => Object.fromEntries(cacheFiles(home).map(name => [name.split('-')[2], fs.statSync(path.join(home, 'opsdeck', name)).mtimeMs]));
		// a plain line (the lean script), then one the main script reads (--no-color is no plain form)
		expect(logs('--grep', 'x', '--count')).toBe('2\n');
		expect(Object.keys(stamps())).toEqual(['logs.lean']);
		expect(logs('--grep', 'x', '--count', '--no-color')).toBe('2\n');
		const written = stamps();
		expect(Object.keys(written).sort()).toEqual(['logs', 'logs.lean']);
		for (let i = 0; i < 2; i++) {
			expect(logs('--grep', 'x', '--count')).toBe('2\n');
			expect(logs('--grep', 'x', '--count', '--no-color')).toBe('2\n');
			expect(stamps()).toEqual(written);
		}
	});
});
