// A damaged lean script (build/bundle/opsdeck.logs.js or opsdeck.keys.js empty or cut short, as by a
// disk that filled during an install) declines like a missing one: bin.js runs the line through the
// main script, same output and exit code as a good bundle's, never a stack trace. Each case is a copy
// of the bundle folder (bin.js copied, the other files linked, as test/cli/lean-scripts.test.ts does)
// with that one file damaged. Real Redis on 127.0.0.1:6379 for keys. Needs the build.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {Redis} from 'ioredis';
import {cliEnv} from '../helpers/health-env.js';

const root = path.resolve(import.meta.dirname, '../..');
const bundle = path.join(root, 'build/bundle');
const bin = path.join(bundle, 'bin.js');
const prefix = `lean-damaged-${process.pid}:`;
let dir: string;
const copies: string[] = [];
let redis: Redis;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-lean-damaged-'));
	fs.writeFileSync(path.join(dir, 'app.log'), Array.from({length: 50}, (_, i) => `2026-11-30T10:00:${String(i).padStart(2, '0')}Z INFO seq=${i}\n`).join(''));
	redis = new Redis({host: '127.0.0.1', port: 6379, lazyConnect: true});
	await redis.connect();
	for (let i = 0; i < 5; i++) await redis.set(`${prefix}k${i}`, 'v');
});

afterAll(async () => {
	const keys = await redis.keys(`${prefix}*`);
	if (keys.length > 0) await redis.del(...keys);
	redis.disconnect();
	fs.rmSync(dir, {recursive: true, force: true});
	for (const copy of copies) fs.rmSync(copy, {recursive: true, force: true});
});

/** A copy of the bundle folder (inside build/, so the main script finds node_modules) with `name` damaged by `damage`. */
function damagedBundle(name: string, damage: (good: Buffer) => Buffer): string {
	const copy = fs.mkdtempSync(path.join(root, 'build', '.lean-damaged-'));
	copies.push(copy);
	for (const file of fs.readdirSync(bundle)) {
		if (file === 'bin.js') fs.copyFileSync(bin, path.join(copy, file));
		else if (file === name) fs.writeFileSync(path.join(copy, file), damage(fs.readFileSync(path.join(bundle, file))));
		else fs.symlinkSync(path.join(bundle, file), path.join(copy, file));
	}
	return path.join(copy, 'bin.js');
}

let runs = 0;
function run(file: string, args: readonly string[]) {
	const result = spawnSync(process.execPath, [file, ...args], {cwd: dir, env: cliEnv({XDG_CACHE_HOME: path.join(dir, `cache-${runs++}`)}), encoding: 'utf8', timeout: 30_000});
	return {stdout: result.stdout, stderr: result.stderr, code: result.status};
}

const damages: Array<[string, (good: Buffer) => Buffer]> = [
	['empty', () => Buffer.alloc(0)],
	['truncated', good => good.subarray(0, Math.floor(good.length / 2))],
	['not a function', () => Buffer.from('"just a string";\n')],
];

it.each(damages.flatMap(([how, damage]) => [
	['logs', how, damage, ['logs', 'app.log', '-n', '3']],
	['keys', how, damage, ['keys', `${prefix}*`]],
] as Array<[string, string, (good: Buffer) => Buffer, string[]]>))('opsdeck.%s.js %s: the line runs as with a good bundle', (command, _how, damage, args) => {
	const damaged = damagedBundle(`opsdeck.${command}.js`, damage);
	const expected = run(bin, args);
	expect(expected.code).toBe(0);
	const got = run(damaged, args);
	expect(got.stderr).not.toMatch(/\n\s+at /);
	if (command === 'keys') expect({...got, stdout: got.stdout.split('\n').sort()}).toEqual({...expected, stdout: expected.stdout.split('\n').sort()});
	else expect(got).toEqual(expected);
}, 60_000);
