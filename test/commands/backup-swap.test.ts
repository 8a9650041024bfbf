// `opsdeck backup create` while the data file is renamed over (mv -f other.db app.db): the byte copy
// must come from the very file SQLite counted the rows of, or the backup API is used. The snapshot
// worker's test hook (OPSDECK_TEST_SNAPSHOT_PAUSE, see source/backups/worker-thread/snapshot.ts)
// pauses it at a step so the swap lands exactly there. Needs `npm run build` first.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const bin = path.resolve('build/bin.js');
let dir: string;

function seed(file: string, keep: number): void {
	const db = new Database(file);
	db.exec('create table t (id integer primary key, v text)');
	const insert = db.prepare('insert into t (v) values (?)');
	db.transaction(() => {
		for (let i = 0; i < 5000; i++) insert.run('x'.repeat(40));
	})();
	db.prepare('delete from t where id > ?').run(keep); // no VACUUM: the same size as A
	db.close();
}

function count(file: string): number {
	const db = new Database(file, {readonly: true});
	try {
		return db.prepare('select count(*) from t').pluck().get() as number;
	} finally {
		db.close();
	}
}

/** `ln -f X t && mv -f t app.db` */
function swapIn(work: string, from: string): void {
	const tmp = path.join(work, 'swap.tmp');
	fs.rmSync(tmp, {force: true});
	fs.linkSync(path.join(dir, from), tmp);
	fs.renameSync(tmp, path.join(work, 'app.db'));
}

async function untilExists(file: string, child: {exitCode: number | null}): Promise<void> {
	for (const end = Date.now() + 15_000; !fs.existsSync(file); ) {
		if (child.exitCode !== null || Date.now() > end) throw new Error(`the snapshot never paused at ${path.basename(file)}`);
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

/** backup create, paused at each step of `at` in turn, where the given file is swapped in */
async function backupWithSwaps(name: string, at: Array<[step: 'opened' | 'begun', file: string]>): Promise<{copyRows: number; recorded: number}> {
	const work = path.join(dir, name);
	const pause = path.join(work, 'pause');
	fs.mkdirSync(pause, {recursive: true});
	swapIn(work, 'A.db');
	const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: path.join(work, 'app.db'), BACKUP_DIR: path.join(work, 'b'), OPSDECK_TEST_SNAPSHOT_PAUSE: pause};
	delete env.OPSDECK_READ_ONLY;
	const child = spawn(process.execPath, [bin, 'backup', 'create', '--json', '--audit-log', path.join(work, 'audit.log')], {cwd: work, env});
	let out = '';
	let err = '';
	child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
	const exited = new Promise<number | null>(resolve => child.on('close', resolve));
	for (const [step, file] of at) {
		await untilExists(path.join(pause, step), child);
		swapIn(work, file);
		fs.rmSync(path.join(pause, step));
	}
	expect(await exited, err).toBe(0);
	const backup = JSON.parse(out) as {name: string; tables: Record<string, number>};
	return {copyRows: count(path.join(work, 'b', backup.name)), recorded: backup.tables.t};
}

beforeAll(() => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-swap-'));
	seed(path.join(dir, 'A.db'), 5000);
	seed(path.join(dir, 'B.db'), 1000);
	expect(fs.statSync(path.join(dir, 'A.db')).size).toBe(fs.statSync(path.join(dir, 'B.db')).size);
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('backup create while the data file is replaced', () => {
	it('replaced once the read transaction has begun: the copy is of the file SQLite counted', async () => {
		const {copyRows, recorded} = await backupWithSwaps('once', [['opened', 'A.db'], ['begun', 'B.db']]);
		expect(recorded).toBe(5000);
		expect(copyRows).toBe(recorded);
	});

	it('replaced before SQLite opens it and put back after (A, B, A): the copy is of the file SQLite counted', async () => {
		const {copyRows, recorded} = await backupWithSwaps('twice', [['opened', 'B.db'], ['begun', 'A.db']]);
		expect(recorded).toBe(1000);
		expect(copyRows).toBe(recorded);
	});
});
