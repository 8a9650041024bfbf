// Issue 16, point 7: file errors as sentences (one errno map, text/fs-reason.ts), and a library's
// warning as one an operator understands.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {fsReason} from '../../source/text/fs-reason.js';
import {libraryWarning} from '../../source/text/library-warning.js';
import {errorMessage} from '../../source/text/mask.js';

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('did not throw');
}

describe('errorMessage of a file error', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-fsreason-'));

	it('names the path and the problem instead of "ENOENT: no such file or directory, open …"', () => {
		expect(errorMessage(thrown(() => fs.readFileSync(path.join(dir, 'nope'))))).toBe(`cannot open ${path.join(dir, 'nope')}: it does not exist`);
		expect(errorMessage(thrown(() => fs.readdirSync(path.join(dir, 'nope'))))).toBe(`cannot list ${path.join(dir, 'nope')}: it does not exist`);
		fs.writeFileSync(path.join(dir, 'file'), 'x');
		expect(errorMessage(thrown(() => fs.readdirSync(path.join(dir, 'file'))))).toBe(`cannot list ${path.join(dir, 'file')}: it is not a folder`);
		expect(errorMessage(thrown(() => fs.mkdirSync(path.join(dir, 'file', 'sub'))))).toBe(`cannot create ${path.join(dir, 'file', 'sub')}: a parent of it is not a folder`);
		expect(errorMessage(thrown(() => fs.writeFileSync(dir, 'x')))).toBe(`cannot open ${dir}: it is a folder`);
	});

	it('a unix socket that is not there, for PGHOST=/folder', async () => {
		const socket = path.join(dir, '.s.PGSQL.5432');
		const error = await new Promise(resolve => net.connect(socket).once('error', resolve));
		expect(errorMessage(error)).toBe(`no socket at ${socket} (is the server running, and is that its socket folder?)`);
	});

	it('one map: every code in words, undefined for what is not a file error', () => {
		expect(fsReason({code: 'EACCES'})).toBe('permission denied');
		expect(fsReason({code: 'EPERM'})).toBe('permission denied');
		expect(fsReason({code: 'EROFS'})).toBe('read-only filesystem');
		expect(fsReason({code: 'EISDIR'})).toBe('it is a folder');
		expect(fsReason({code: 'ECONNREFUSED'})).toBeUndefined();
		expect(fsReason(new Error('plain'))).toBeUndefined();
	});
});

describe('libraryWarning', () => {
	it('ioredis\'s "does not require a password" as a sentence; any other [WARN] as "warning:"', () => {
		expect(libraryWarning('[WARN] Redis server does not require a password, but a password was supplied.')).toBe('warning: Redis has no password set: the password in the Redis URL (REDIS_URL, --redis-url) is ignored');
		expect(libraryWarning('[WARN] This Redis server\'s `default` user does not require a password, but a password was supplied')).toBe('warning: Redis\'s default user has no password: the password in the Redis URL (REDIS_URL, --redis-url) is ignored');
		expect(libraryWarning('[WARN] something else')).toBe('warning: something else');
		expect(libraryWarning('plain text')).toBe('plain text');
	});
});
