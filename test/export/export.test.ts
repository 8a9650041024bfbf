// Exports: CSV that parses back to the same cells (quotes, commas, line breaks), formula cells
// defused, passwords masked, JSON keyed by the titles; written under a free name (never over a
// file), atomically — a full disk, a read-only filesystem or a missing folder leaves no file, no
// temp, and says why.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultFileName, resolveTarget, withFormat} from '../../source/export/target.js';
import {csvField, toCsv, toJson, type ExportTable} from '../../source/export/table.js';
import {ExportError, writeExport} from '../../source/export/write.js';
import {parseCsv} from '../helpers/csv.js';

const hostile: ExportTable = {
	name: 'keys',
	columns: ['key', 'type', 'note'],
	rows: [
		['plain', 'string', 'a, b'],
		['quote"inside', 'hash', 'line\nbreak'],
		['=HYPERLINK("http://evil")', 'zset', '+1'],
		['-3', 'list', '@SUM(A1)'],
		['redis://app:s3cretpw@db:6379/0', 'set', null],
	],
};

const isFolder = (file: string) => fs.existsSync(file) && fs.statSync(file).isDirectory();
let dir: string;

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-export-'));
});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const leftovers = (folder: string) => fs.readdirSync(folder).filter(name => name.endsWith('.tmp'));

describe('CSV and JSON', () => {
	it('parses back to the cells, formulas defused, passwords masked', () => {
		const rows = parseCsv(toCsv(hostile));
		expect(rows[0]).toEqual(['key', 'type', 'note']);
		expect(rows[1]).toEqual(['plain', 'string', 'a, b']);
		expect(rows[2]).toEqual(['quote"inside', 'hash', 'line\nbreak']);
		// a spreadsheet would run these: they start with an apostrophe (a plain number stays a number)
		expect(rows[3]).toEqual([`'=HYPERLINK("http://evil")`, 'zset', '+1']);
		expect(rows[4]).toEqual(['-3', 'list', "'@SUM(A1)"]);
		expect(rows[5]).toEqual(['redis://app:***@db:6379/0', 'set', '']);
		expect(rows).toHaveLength(6);
	});

	it('defuses a tab or CR at the start, as OWASP lists them', () => {
		expect(csvField('\tcmd')).toBe("'\tcmd");
		expect(csvField('\r=1')).toBe(`"'\r=1"`);
	});

	it('JSON: one object a row, keyed by the titles, masked', () => {
		const rows = JSON.parse(toJson(hostile)) as Record<string, unknown>[];
		expect(rows).toHaveLength(5);
		expect(rows[1]).toEqual({key: 'quote"inside', type: 'hash', note: 'line\nbreak'});
		expect(rows[4]).toEqual({key: 'redis://app:***@db:6379/0', type: 'set', note: null});
	});
});

describe('where it goes', () => {
	const date = new Date(2026, 10, 30, 12, 30, 5);
	it('a folder gets the default name; the extension picks the format; ~ is home', () => {
		expect(defaultFileName('slow log', 'csv', date)).toBe('opsdeck-slow-log-2026-11-30T12-30-05.csv');
		expect(resolveTarget(dir, {cwd: '/', what: 'keys', format: 'json', isFolder, date})).toEqual({file: path.join(dir, 'opsdeck-keys-2026-11-30T12-30-05.json'), format: 'json'});
		expect(resolveTarget('out/x.json', {cwd: dir, what: 'keys', format: 'csv', isFolder})).toEqual({file: path.join(dir, 'out/x.json'), format: 'json'});
		expect(resolveTarget('x', {cwd: dir, what: 'keys', format: 'csv', isFolder})).toEqual({file: path.join(dir, 'x.csv'), format: 'csv'});
		expect(resolveTarget('~/a.csv', {cwd: dir, what: 'keys', format: 'json', isFolder}).file).toBe(path.join(os.homedir(), 'a.csv'));
		expect(withFormat('/a/b.csv', 'json')).toBe('/a/b.json');
	});
});

describe('writing', () => {
	it('writes the rows, and never over an existing file: the next free name', async () => {
		const file = path.join(dir, 'keys.csv');
		fs.writeFileSync(file, 'mine\n');
		const first = await writeExport(hostile, file, 'csv');
		expect(first).toMatchObject({file: path.join(dir, 'keys-2.csv'), rows: 5, renamed: true});
		const second = await writeExport(hostile, file, 'csv');
		expect(second.file).toBe(path.join(dir, 'keys-3.csv'));
		expect(fs.readFileSync(file, 'utf8')).toBe('mine\n');
		expect(parseCsv(fs.readFileSync(first.file, 'utf8'))).toHaveLength(6);
		// readable by the operator only
		expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
		expect(leftovers(dir)).toEqual([]);
	});

	it('a missing folder or a file in its place: nothing written, and why', async () => {
		await expect(writeExport(hostile, path.join(dir, 'nope', 'k.csv'), 'csv')).rejects.toThrow(`the folder ${path.join(dir, 'nope')} does not exist`);
		fs.writeFileSync(path.join(dir, 'afile'), '');
		await expect(writeExport(hostile, path.join(dir, 'afile', 'k.csv'), 'csv')).rejects.toThrow(ExportError);
		expect(fs.existsSync(path.join(dir, 'nope'))).toBe(false);
	});

	// Found by the hostile tester: /proc/x.json said "the folder does not exist" though /proc exists
	it('a folder that exists but makes no new files (/proc): says so, not that the folder is missing', async () => {
		const error = await writeExport(hostile, '/proc/x.json', 'json').then(() => undefined, (e: unknown) => e as ExportError);
		expect(error).toBeInstanceOf(ExportError);
		expect(error!.message).toBe('cannot create a file in /proc: that folder does not allow new files (no such file or directory)');
		expect(error!.reason).toBe('the folder does not allow new files');
		expect(error!.message).not.toMatch(/does not exist/);
	});

	describe('on a small filesystem of its own', () => {
		let disk: string | undefined;
		beforeAll(() => {
			const mountpoint = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-export-tmpfs-'));
			const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountpoint]);
			if (result.status === 0) disk = mountpoint;
			else console.warn('\n*** export disk-full and read-only tests SKIPPED: they need root to mount a small tmpfs ***\n');
		});
		afterAll(() => {
			if (!disk) return;
			spawnSync('umount', [disk]);
			fs.rmdirSync(disk);
		});

		it('disk full half-way: no partial file, no temp left, and it says why', async ({skip}) => {
			if (!disk) return skip();
			const big: ExportTable = {name: 'keys', columns: ['key'], rows: Array.from({length: 20_000}, (_, i) => [`chat:${i}:messages`])};
			await expect(writeExport(big, path.join(disk, 'big.csv'), 'csv')).rejects.toThrow(/no space left on the device/);
			expect(fs.readdirSync(disk)).toEqual([]);
		});

		it('a read-only filesystem: nothing written, and it says so', async ({skip}) => {
			if (!disk) return skip();
			expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
			try {
				await expect(writeExport(hostile, path.join(disk, 'k.json'), 'json')).rejects.toThrow(/read-only filesystem/);
				expect(fs.readdirSync(disk)).toEqual([]);
			} finally {
				spawnSync('mount', ['-o', 'remount,rw', disk]);
			}
		});
	});
});
