// The lean scripts (build/bundle/opsdeck.logs.js, opsdeck.keys.js; source/cli/lean.ts): bin.js runs a
// plain `logs` or `keys` line through the command's own small script, any other line through the
// main script. Each line below is run twice, by the real bin.js and by the same bin.js in a folder
// without the lean scripts (the main script for every line), and must give the same stdout, stderr
// and exit code; which script ran is told by the code cache each run leaves (a `-logs.lean-` cache:
// the lean script ran, a `-logs-` one: the main script did). Real Redis on 127.0.0.1:6379 for keys.
// Needs the build.
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Redis} from 'ioredis';
import {cliEnv} from '../helpers/health-env.js';

const root = path.resolve(import.meta.dirname, '../..');
const bundle = path.join(root, 'build/bundle');
const bin = path.join(bundle, 'bin.js');
let dir: string;
// bin.js copied beside links to the bundle's files but not the lean scripts (inside build/, so that
// the main script finds node_modules as it does from build/bundle)
let mainOnly: string;
let mainOnlyDir: string;
const prefix = `lean-test-${process.pid}:`;
let redis: Redis;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-lean-'));
	mainOnlyDir = fs.mkdtempSync(path.join(root, 'build', '.main-only-'));
	mainOnly = path.join(mainOnlyDir, 'bin.js');
	fs.copyFileSync(bin, mainOnly);
	for (const name of ['opsdeck.script.js', 'backup-worker.cjs', 'package.json']) fs.symlinkSync(path.join(bundle, name), path.join(mainOnlyDir, name));
	// (the lean scripts themselves not there: bin.js runs every line through the main script)
	expect(fs.existsSync(path.join(bundle, 'opsdeck.logs.js')) && fs.existsSync(path.join(bundle, 'opsdeck.keys.js'))).toBe(true);
	fs.writeFileSync(path.join(dir, 'app.log'), Array.from({length: 300}, (_, i) => `2026-11-30T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z ${i % 7 === 0 ? 'ERROR' : 'INFO'} seq=${i} \u001b[31mred\u001b]0;title\u0007 tail\n`).join(''));
	execFileSync('mkfifo', [path.join(dir, 'pipe.log')]);
	redis = new Redis({host: '127.0.0.1', port: 6379, lazyConnect: true});
	await redis.connect();
	for (let i = 0; i < 30; i++) await redis.set(`${prefix}k${i}`, 'v');
	await redis.set(`${prefix}evil\u001b[2J`, 'v');
});

afterAll(async () => {
	const keys = await redis.keys(`${prefix}*`);
	if (keys.length > 0) await redis.del(...keys);
	redis.disconnect();
	fs.rmSync(dir, {recursive: true, force: true});
	fs.rmSync(mainOnlyDir, {recursive: true, force: true});
});

let runs = 0;
function run(file: string, args: readonly string[], env: Record<string, string> = {}) {
	const cache = path.join(dir, `cache-${runs++}`);
	const result = spawnSync(process.execPath, [file, ...args], {cwd: dir, env: cliEnv({XDG_CACHE_HOME: cache, ...env}), encoding: 'utf8', timeout: 30_000});
	const caches = fs.existsSync(path.join(cache, 'opsdeck')) ? fs.readdirSync(path.join(cache, 'opsdeck')) : [];
	const kinds = caches.map(name => /^code-[0-9a-f]{16}-(.+)-v\d+\.\d+\.\d+-[^-]+\.v8$/.exec(name)?.[1] ?? name).sort();
	return {out: {stdout: result.stdout, stderr: result.stderr, code: result.status}, kinds};
}

const log = 'app.log';
// [the line, whether the lean script takes it]
const logsLines: Array<[string[], boolean]> = [
	[['logs', log, '-n', '50'], true],
	[['logs', log, '-n50'], true],
	[['logs', log, '--lines', '5'], true],
	[['logs', log, '--grep', 'ERROR', '--count'], true],
	[['logs', log, '--grep', 'seq=1\\d', '--json'], true],
	[['logs', log, '--grep', '('], true],
	[['logs', log, '-n', '0'], true],
	[['logs', log, '-n', 'x'], true],
	[['logs', 'missing.log', '-n', '5'], true],
	[['logs', 'pipe.log', '-n', '5'], true],
	[['logs', '.'], true],
	[['--read-only', 'logs', log, '-n', '3'], true],
	[['logs', log, '-n', '5', '--redis-url', 'redis://:hunter2secret@127.0.0.1:6379/0'], true],
	// not plain, or not the lean script's: the main script runs them
	[['logs', '--help'], false],
	[['logs', log, '-h'], false],
	[['help', 'logs'], false],
	[['logs', log, '--bogus'], false],
	[['logs', log, '-n'], false],
	[['logs', log, '-n', '5', '-n', '6'], false],
	[['logs', log, '--', '-n'], false],
	[['logs', log, '--count=true'], false],
	[['logs', log, '--yes'], false],
	[['logs', log, '--since', '-5m'], false],
	[['--sqlite', 'logs'], false],
];

describe('a lean script gives the main script\'s output and exit code', () => {
	it.each(logsLines)('%j', (args, lean) => {
		const viaBin = run(bin, args);
		const viaMain = run(mainOnly, args);
		expect(viaBin.out).toEqual(viaMain.out);
		expect(viaMain.kinds.some(kind => kind.endsWith('.lean'))).toBe(false);
		// the lean script ran alone, or declined and the main script ran after it
		if (lean) expect(viaBin.kinds).toEqual(['logs.lean']);
		else expect(viaBin.kinds).not.toEqual(['logs.lean']);
	}, 60_000);

	it('the outputs above are the ones a user expects (the comparison compares something)', () => {
		const good = run(bin, ['logs', log, '-n', '2']).out;
		expect(good.code).toBe(0);
		expect(good.stdout.split('\n')).toHaveLength(3);
		expect(good.stdout).toContain('seq=299');
		// the escapes in the log never reach the terminal raw
		expect(good.stdout).not.toContain('\u001b');
		const fifo = run(bin, ['logs', 'pipe.log', '-n', '5']).out;
		expect(fifo).toEqual({stdout: '', stderr: `opsdeck: cannot read ${path.join(dir, 'pipe.log')}: not a regular file\n`, code: 1});
		const secret = run(bin, ['logs', log, '-n', '1', '--redis-url', 'redis://:hunter2secret@127.0.0.1:6379/0']).out;
		expect(secret.code).toBe(0);
		expect(secret.stderr).toMatch(/^opsdeck: --redis-url holds a password/);
		expect(secret.stderr).not.toContain('hunter2secret');
		const since = run(bin, ['logs', log, '--since', '-5m']).out;
		expect(since).toEqual({stdout: '', stderr: 'opsdeck: --since takes a duration like 5m or a time; "-5m" is neither (a duration already counts back: --since 5m is the last 5 minutes); see opsdeck --help\n', code: 2});
		const bad = run(bin, ['logs', log, '-n', 'x']).out;
		expect(bad.code).toBe(2);
		expect(bad.stdout).toBe('');
	}, 60_000);

	it('a pipe closed early (`| head -1`) ends both quietly, exit 0', () => {
		fs.writeFileSync(path.join(dir, 'big.log'), Array.from({length: 40_000}, (_, i) => `line ${i} ${'x'.repeat(60)}\n`).join(''));
		const piped = (file: string) => {
			const cache = path.join(dir, `cache-${runs++}`);
			const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${file}" logs big.log -n 40000 | head -1; echo "exit $?"`], {cwd: dir, env: cliEnv({XDG_CACHE_HOME: cache}), encoding: 'utf8'});
			return {stdout: result.stdout, stderr: result.stderr};
		};
		const viaBin = piped(bin);
		expect(viaBin).toEqual({stdout: `line 0 ${'x'.repeat(60)}\nexit 0\n`, stderr: ''});
		expect(piped(mainOnly)).toEqual(viaBin);
	}, 60_000);

	it.each<[string[], boolean]>([
		[['keys', `${prefix}*`], true],
		[['keys', `${prefix}*`, '--json'], true],
		[['keys', `${prefix}*`, '--limit', '7', '--json'], true],
		[['keys', `${prefix}evil*`], true],
		[['keys', 'lean-test-no-such-key*'], true],
		[['keys', '--type', 'bogus'], false],
		[['keys', `${prefix}*`, '--redis-url', 'redis://127.0.0.1:1/0'], true],
		[['keys', `${prefix}*`, '--redis-url', 'redis://:hunter2secret@127.0.0.1:6379/0'], true],
		[['keys', '--help'], false],
		[['keys', `${prefix}*`, '--limit'], false],
	])('%j', (args, lean) => {
		const viaBin = run(bin, args);
		const viaMain = run(mainOnly, args);
		// (--json carries DBSIZE, which other tests' keys can move between the two runs)
		const stable = (out: typeof viaBin.out) => ({...out, stdout: out.stdout.replace(/"dbsize": ?\d+/, '"dbsize": N'), stderr: out.stderr.replace(/DBSIZE [\d,]+/, 'DBSIZE N')});
		expect(stable(viaBin.out)).toEqual(stable(viaMain.out));
		if (lean) expect(viaBin.kinds).toEqual(['keys.lean']);
		else expect(viaBin.kinds).not.toEqual(['keys.lean']);
		if (args.includes('redis://127.0.0.1:1/0')) expect(viaBin.out.code).toBe(1);
	}, 60_000);
});
