// The code cache (bin.js, scripts/code-cache-loader.cjs): anything wrong at the cache file's path means
// a plain compile, and nothing piles up in the cache folder. A FIFO there must not block the start
// (the cache is opened O_NONBLOCK and, not being a regular file, ignored); a folder there (the
// rename fails) must not leave the run's code-….v8.PID.tmp behind; temp files a dead run left are
// removed once older than an hour, not those another run may be writing now. Needs the build.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {bin, cliEnv, requireBuild} from '../helpers/health-env.js';

let dir: string;
let cacheDir: string;
let cacheFile: string;

beforeAll(() => {
	requireBuild();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-hostile-cache-'));
	fs.writeFileSync(path.join(dir, 'app.log'), '2026-11-30T10:00:00Z INFO hello\n');
	// the cache file's name as bin.js makes it: code-BUILD-logs.lean-NODEVERSION-ARCH.v8
	const buildId = /const buildId = "([0-9a-f]{16})"/.exec(fs.readFileSync(bin, 'utf8'))![1];
	cacheDir = path.join(dir, 'cache', 'opsdeck');
	fs.mkdirSync(cacheDir, {recursive: true, mode: 0o700});
	fs.chmodSync(path.join(dir, 'cache'), 0o700);
	cacheFile = path.join(cacheDir, `code-${buildId}-logs.lean-${process.version}-${process.arch}.v8`);
});

afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

const run = () => spawnSync(process.execPath, [bin, 'logs', 'app.log', '-n', '1'], {cwd: dir, env: cliEnv({XDG_CACHE_HOME: path.join(dir, 'cache')}), encoding: 'utf8', timeout: 15_000});

it('a FIFO at the cache path: the run still prints the log and exits', () => {
	fs.rmSync(cacheFile, {recursive: true, force: true});
	fs.mkdirSync(cacheDir, {recursive: true});
	spawnSync('mkfifo', [cacheFile]);
	const result = run();
	fs.rmSync(cacheFile, {force: true});
	expect(result.error).toBeUndefined();
	expect(result.status).toBe(0);
	expect(result.stdout).toContain('hello');
}, 30_000);

it('a directory at the cache path: runs leave no temp files piling up in the cache folder', () => {
	fs.rmSync(cacheFile, {recursive: true, force: true});
	fs.mkdirSync(cacheFile);
	for (let i = 0; i < 3; i++) expect(run().status).toBe(0);
	const temps = fs.readdirSync(cacheDir).filter(name => name.endsWith('.tmp'));
	fs.rmSync(cacheFile, {recursive: true, force: true});
	expect(temps).toEqual([]);
}, 60_000);

it('temp files a dead run left: removed once older than an hour, a fresh one kept', () => {
	fs.rmSync(cacheFile, {recursive: true, force: true});
	const stale = `${cacheFile}.999991.tmp`;
	const fresh = `${cacheFile}.999992.tmp`;
	fs.writeFileSync(stale, 'x');
	fs.writeFileSync(fresh, 'x');
	const old = new Date(Date.now() - 2 * 3_600_000);
	fs.utimesSync(stale, old, old);
	expect(run().status).toBe(0);
	expect(fs.existsSync(cacheFile)).toBe(true);
	expect(fs.existsSync(stale)).toBe(false);
	expect(fs.existsSync(fresh)).toBe(true);
	fs.rmSync(fresh, {force: true});
}, 30_000);
