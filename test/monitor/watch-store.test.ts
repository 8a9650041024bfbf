// Issue 13, case 12: the watch state file is opsdeck's own — written whole (temp + rename, 0600),
// never through a symlink out of its folder, its folder made without Node's recursive mkdir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {savedWatches, saveWatches} from '../../source/monitor/watch-store.js';

let dir: string;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-watch-store-'));
});

afterEach(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('watch state file', () => {
	it('creates its folders, writes mode 0600, keeps a list per config file', () => {
		const file = path.join(dir, 'state', 'opsdeck', 'watches.json');
		saveWatches(file, '/srv/a/opsdeck.config.json', ['a:*']);
		saveWatches(file, '/srv/b/opsdeck.config.json', ['b:*', 'jobs']);
		expect(savedWatches(file, '/srv/a/opsdeck.config.json')).toEqual(['a:*']);
		expect(savedWatches(file, '/srv/b/opsdeck.config.json')).toEqual(['b:*', 'jobs']);
		expect(savedWatches(file, '/srv/c/opsdeck.config.json')).toBeUndefined();
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(fs.readdirSync(path.dirname(file))).toEqual(['watches.json']);
	});

	it('never follows a symlink in its place: not read, and replaced by a file of its own on save', () => {
		const outside = path.join(dir, 'outside.json');
		const content = JSON.stringify({version: 1, configs: {'/c.json': {watches: ['planted'], savedAt: ''}}});
		fs.writeFileSync(outside, content);
		fs.mkdirSync(path.join(dir, 'opsdeck'));
		const file = path.join(dir, 'opsdeck', 'watches.json');
		fs.symlinkSync(outside, file);
		expect(savedWatches(file, '/c.json')).toBeUndefined();
		saveWatches(file, '/c.json', ['mine']);
		expect(fs.readFileSync(outside, 'utf8')).toBe(content);
		expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
		expect(savedWatches(file, '/c.json')).toEqual(['mine']);
	});

	it('a corrupt state file is ignored (the config file applies) and rewritten whole on the next save', () => {
		const file = path.join(dir, 'watches.json');
		fs.writeFileSync(file, '{"version": 1, "configs": ');
		expect(savedWatches(file, '/c.json')).toBeUndefined();
		saveWatches(file, '/c.json', ['x']);
		expect(savedWatches(file, '/c.json')).toEqual(['x']);
	});
});
