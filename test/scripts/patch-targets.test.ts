// The bundle patches dependency files at build time (scripts/patches.mjs, scripts/ink-fast/). A
// patch used to be skipped in silence when its file had changed; now the build stops and names the
// file and the package to update the patch for. Checked on copies of the patched files (the shared
// node_modules is never touched).
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {checkPatchTargets, packageDir, patchGuard, PatchTargetError, patchTargets} from '../../scripts/patch-targets.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const modules = path.join(root, 'node_modules');
const temps: string[] = [];

afterEach(() => {
	for (const dir of temps.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
});

/** a node_modules of copies: every patched file, with its package's package.json */
function copyTargets(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-patch-targets-'));
	temps.push(dir);
	for (const relative of Object.keys(patchTargets)) {
		for (const file of [relative, `${packageDir(relative)}/package.json`]) {
			fs.mkdirSync(path.dirname(path.join(dir, file)), {recursive: true});
			fs.copyFileSync(path.join(modules, file), path.join(dir, file));
		}
	}
	return dir;
}

function thrown(fn: () => unknown): Error {
	try {
		fn();
	} catch (error) {
		return error as Error;
	}
	throw new Error('it did not throw');
}

describe('the patched dependency files', () => {
	it('are the files the patches were written against (what npm run build checks first)', () => {
		expect(() => checkPatchTargets(modules)).not.toThrow();
		expect(() => checkPatchTargets(copyTargets())).not.toThrow();
	});

	it('one changed byte in Ink\'s output.js stops the check, naming the file, both sha256 and the package to update the patch for', () => {
		const copy = copyTargets();
		fs.appendFileSync(path.join(copy, 'ink/build/output.js'), ' ');
		const pkg = path.join(copy, 'ink/package.json');
		fs.writeFileSync(pkg, JSON.stringify({...JSON.parse(fs.readFileSync(pkg, 'utf8')), version: '6.9.0'}));
		const error = thrown(() => checkPatchTargets(copy));
		expect(error).toBeInstanceOf(PatchTargetError);
		expect(error.message).toMatch(/^scripts\/bundle\.mjs: node_modules\/ink\/build\/output\.js is not the file the patch was written against \(sha256 [0-9a-f]{64}, the patch expects de9078c7fc647c40[0-9a-f]{48} from ink 6\.8\.0\); update the patch for ink 6\.9\.0$/);
	});

	it('a file gone (moved in a new version) stops it too; every problem is listed, not only the first', () => {
		const copy = copyTargets();
		fs.rmSync(path.join(copy, 'widest-line/index.js'));
		fs.writeFileSync(path.join(copy, 'pg/lib/stream.js'), 'module.exports = {};\n');
		const lines = thrown(() => checkPatchTargets(copy)).message.split('\n');
		expect(lines).toEqual([
			expect.stringMatching(/^scripts\/bundle\.mjs: node_modules\/widest-line\/index\.js is missing \(the patch was written against widest-line 6\.0\.0's\); update the patch for widest-line 6\.0\.0$/),
			expect.stringMatching(/^scripts\/bundle\.mjs: node_modules\/pg\/lib\/stream\.js is not the file the patch was written against .*; update the patch for pg 8\.23\.1$/),
		]);
	});

	it('the plugins\' guard: a target is read only when it matches, another copy of a package is no target, and targets never read are reported', () => {
		const copy = copyTargets();
		const guard = patchGuard(copy);
		expect(guard.read(path.join(copy, 'meow/build/dependencies.js'))).toContain('requireNormalize');
		fs.mkdirSync(path.join(copy, 'cli-truncate/node_modules/string-width'), {recursive: true});
		fs.writeFileSync(path.join(copy, 'cli-truncate/node_modules/string-width/index.js'), 'export default () => 1;\n');
		expect(guard.read(path.join(copy, 'cli-truncate/node_modules/string-width/index.js'))).toBeUndefined();
		fs.appendFileSync(path.join(copy, 'string-width/index.js'), '\n');
		expect(() => guard.read(path.join(copy, 'string-width/index.js'))).toThrow(/node_modules\/string-width\/index\.js is not the file the patch was written against/);
		expect(guard.missed()).toContain('ink/build/output.js');
		expect(guard.missed()).not.toContain('meow/build/dependencies.js');
	});

	it('npm run build\'s bundle step stops (exit 1, the message, nothing written) when a patched file differs', () => {
		// a copy of the repository's scripts beside a node_modules of links to the real packages,
		// except ink: a copy whose output.js has one byte more
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-patch-build-'));
		temps.push(dir);
		fs.cpSync(path.join(root, 'scripts'), path.join(dir, 'scripts'), {recursive: true});
		fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
		fs.mkdirSync(path.join(dir, 'node_modules'));
		for (const name of fs.readdirSync(modules)) {
			if (name === 'ink') fs.cpSync(path.join(modules, name), path.join(dir, 'node_modules', name), {recursive: true, dereference: true});
			else fs.symlinkSync(path.join(modules, name), path.join(dir, 'node_modules', name));
		}
		fs.appendFileSync(path.join(dir, 'node_modules/ink/build/output.js'), ' ');
		const run = spawnSync(process.execPath, [path.join(dir, 'scripts/bundle.mjs')], {cwd: dir, encoding: 'utf8'});
		expect(run.stderr).toMatch(/^scripts\/bundle\.mjs: node_modules\/ink\/build\/output\.js is not the file the patch was written against \(sha256 [0-9a-f]{64}, the patch expects [0-9a-f]{64} from ink 6\.8\.0\); update the patch for ink 6\.8\.0\n$/);
		expect(run.status).toBe(1);
		expect(fs.existsSync(path.join(dir, 'build'))).toBe(false);
	});
});
