import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createBackup, deleteBackup, listBackups, verifyBackup, BackupNameError, resolveBackupName} from '../../source/backups/backups.js';
import {ReadOnlyError} from '../../source/mutations/registry.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startWorkerTask, type FollowResult, type HashResult, type SnapshotResult} from '../../source/backups/worker.js';
import {backupConfig, expectPairPrefix, grow, rowCount, sha256, startPairWriter, waitReady} from './backup-helpers.js';

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

describe('createBackup', () => {
	it('writes a named backup with a sidecar, lists it newest first and verifies it', async () => {
		temp = tempSqlite({messages: 50});
		const config = backupConfig(temp.dir, temp.path);
		const ratios: number[] = [];
		const first = await createBackup(config, {onProgress: r => ratios.push(r)});
		expect(first.name).toMatch(/^manual_\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.db$/);
		expect(ratios.at(-1)).toBe(1);
		const sidecar = JSON.parse(fs.readFileSync(path.join(config.backupDir, `${first.name}.json`), 'utf8'));
		expect(sidecar).toMatchObject({name: first.name, kind: 'manual', source: temp.path, tables: {chats: 2, messages: 50}, verified: null});
		expect(sidecar.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(sidecar.sha256).toBe(sha256(first.path)); // what sha256sum says of the file
		expect(sidecar.sizeBytes).toBe(fs.statSync(first.path).size);
		expect(sidecar.pageCount * sidecar.pageSize).toBe(sidecar.sizeBytes);

		const second = await createBackup(config, {kind: 'auto'});
		// no partial or journal left behind
		expect(fs.readdirSync(config.backupDir).filter(f => f.startsWith('.'))).toEqual([]);
		const list = await listBackups(config.backupDir);
		expect(list.map(e => e.name)).toEqual([second.name, first.name]);
		expect(list[0]!.kind).toBe('auto');

		const verified = await verifyBackup(config, first.name);
		expect(verified).toMatchObject({ok: true, checkOk: true, checksumOk: true, mode: 'quick'});
		expect((await listBackups(config.backupDir)).find(e => e.name === first.name)!.verified).toMatchObject({ok: true, mode: 'quick'});
		expect((await verifyBackup(config, first.name, {mode: 'integrity'})).ok).toBe(true);
	});

	it('never overwrites: two backups in the same second get different names', async () => {
		temp = tempSqlite();
		const config = backupConfig(temp.dir, temp.path);
		const now = new Date('2025-12-04T10:30:00.250Z');
		const names = (await Promise.all([1, 2, 3].map(() => createBackup(config, {now})))).map(b => b.name).sort();
		expect(names).toEqual(['manual_2025-12-04T10-30-00-250-2.db', 'manual_2025-12-04T10-30-00-250.db', 'manual_2025-12-04T10-30-00.db']);
	});

	it('removes what a killed backup left (a hidden .partial unchanged for an hour), never a fresh one', async () => {
		temp = tempSqlite();
		const config = backupConfig(temp.dir, temp.path);
		fs.mkdirSync(config.backupDir, {recursive: true});
		const left = path.join(config.backupDir, '.manual_2025-12-04T10-30-00.db.partial');
		fs.writeFileSync(left, Buffer.alloc(64 * 1024));
		fs.writeFileSync(`${left}-journal`, 'x');
		// written just now: it may be a backup still running in another process
		const first = await createBackup(config);
		expect(fs.existsSync(left) && fs.existsSync(`${left}-journal`)).toBe(true);
		// an hour and more later, untouched: gone, with its journal; the backups stay
		const later = await createBackup(config, {now: new Date(Date.now() + 61 * 60_000)});
		expect(fs.existsSync(left) || fs.existsSync(`${left}-journal`)).toBe(false);
		expect((await listBackups(config.backupDir)).map(b => b.name).sort()).toEqual([first.name, later.name].sort());
	});

	it('refuses a missing data file with one line', async () => {
		temp = tempSqlite({seed: false});
		await expect(createBackup(backupConfig(temp.dir, temp.path))).rejects.toThrow(/no SQLite data file at/);
	});

	it('is a consistent snapshot while another process inserts ~1,000 rows a second', async () => {
		temp = tempSqlite();
		grow(temp.path, 40);
		const writer = startPairWriter(temp.path);
		try {
			await waitReady(writer.child);
			const config = backupConfig(temp.dir, temp.path);
			for (let round = 0; round < 3; round++) {
				const before = rowCount(temp.path, 'pair_a');
				const backup = await createBackup(config);
				expect(rowCount(temp.path, 'pair_a')).toBeGreaterThan(before); // the writer kept going
				// a prefix of the writes: both tables end at the same transaction, with no gap
				expectPairPrefix(backup.path);
				expect(backup.meta!.tables.pair_a).toBe(backup.meta!.tables.pair_b);
				expect(backup.meta!.sha256).toBe(sha256(backup.path));
			}
		} finally {
			await writer.stop();
		}
	});
});

describe('the byte-for-byte snapshot (the file copied under a read transaction when it is the snapshot)', () => {
	// the two workers as createBackup runs them: the snapshot, and the hash of the source's bytes
	async function snapshotOnce(source: string, dest: string): Promise<{result: SnapshotResult; hashed: HashResult | undefined}> {
		fs.rmSync(dest, {force: true});
		fs.closeSync(fs.openSync(dest, 'wx', 0o600));
		const hasher = startWorkerTask<HashResult>({kind: 'hash', file: source, waitForGo: true});
		hasher.result.catch(() => undefined);
		let raw = false;
		const snapshot = startWorkerTask<SnapshotResult>({kind: 'snapshot', source, dest, raw: true}, progress => {
			if (progress.phase !== 'copy' || !progress.raw) return;
			raw = true;
			hasher.post({type: 'go', bytes: progress.totalBytes, fd: progress.fd});
			void hasher.result.then(() => snapshot.post({type: 'release'}));
		});
		const result = await snapshot.result;
		if (!raw) hasher.stop();
		return {result, hashed: raw ? await hasher.result : undefined};
	}

	/** the copy is a whole database, both tables end at the same transaction, and the counts and sha256 are its own */
	function expectConsistent(copy: string, {result, hashed}: {result: SnapshotResult; hashed: HashResult | undefined}): void {
		expect(result.tables.pair_a).toBe(expectPairPrefix(copy));
		if (hashed) expect(hashed).toEqual({sha256: sha256(copy), sizeBytes: fs.statSync(copy).size});
	}

	for (const [what, writer, expectRaw] of [
		['rollback journal: always (the read lock keeps the writer out while the file is copied)', {journal: 'DELETE'}, 'all'],
		// (a commit every 10 ms: the WAL is checkpointed, all of it, most of the time)
		['WAL checkpointed after every commit: when every frame is in the file, frames written meanwhile stay out of it', {autocheckpoint: 1, everyMs: 10}, 'some'],
		['WAL never checkpointed: never (the backup API copies the pages)', {autocheckpoint: 0}, 'none'],
	] as const) {
		it(`${what}; a consistent copy while a writer keeps committing`, async () => {
			temp = tempSqlite();
			grow(temp.path, 8);
			const pairs = startPairWriter(temp.path, writer);
			try {
				await waitReady(pairs.child);
				const copy = path.join(temp.dir, 'copy.db');
				let raw = 0;
				const rounds = 6;
				for (let round = 0; round < rounds; round++) {
					const taken = await snapshotOnce(temp.path, copy);
					if (taken.result.raw) raw++;
					expectConsistent(copy, taken);
				}
				if (expectRaw === 'all') expect(raw).toBe(rounds);
				else if (expectRaw === 'none') expect(raw).toBe(0);
				else expect(raw).toBeGreaterThan(0);
			} finally {
				await pairs.stop();
			}
		});
	}
});

describe('the sha256 follower (hashes a copy while its writer finishes)', () => {
	const follow = (file: string, expectedBytes: number) => {
		let hashedAhead!: () => void;
		const ahead = new Promise<void>(resolve => {
			hashedAhead = resolve;
		});
		const handle = startWorkerTask<FollowResult>({kind: 'follow', file, expectedBytes, quietMs: 20}, () => hashedAhead());
		return {handle, ahead};
	};

	it('keeps the hash it took ahead when the file did not change afterwards', async () => {
		temp = tempSqlite({seed: false});
		const file = path.join(temp.dir, 'copy.bin');
		fs.writeFileSync(file, Buffer.alloc(1 << 20, 7));
		const {handle, ahead} = follow(file, 1 << 20);
		await ahead;
		handle.post({type: 'final'});
		expect(await handle.result).toEqual({sha256: sha256(file), sizeBytes: 1 << 20, early: true});
	});

	it('hashes again when the file was written after the hash ahead (same length, any page)', async () => {
		temp = tempSqlite({seed: false});
		const file = path.join(temp.dir, 'copy.bin');
		for (const offset of [0, 300_000]) {
			fs.writeFileSync(file, Buffer.alloc(1 << 20, 7));
			const {handle, ahead} = follow(file, 1 << 20);
			await ahead;
			const fd = fs.openSync(file, 'r+');
			fs.writeSync(fd, Buffer.from('changed'), 0, 7, offset);
			fs.closeSync(fd);
			handle.post({type: 'final'});
			expect(await handle.result).toEqual({sha256: sha256(file), sizeBytes: 1 << 20, early: false});
		}
	});

	it('waits for the end when the file never reaches the expected length', async () => {
		temp = tempSqlite({seed: false});
		const file = path.join(temp.dir, 'copy.bin');
		fs.writeFileSync(file, Buffer.alloc(4096, 1));
		const {handle} = follow(file, 8192);
		fs.appendFileSync(file, Buffer.alloc(100, 2));
		handle.post({type: 'final'});
		expect(await handle.result).toEqual({sha256: sha256(file), sizeBytes: 4196, early: false});
	});
});

describe('verifyBackup', () => {
	it('fails a truncated or altered backup and records it in the sidecar', async () => {
		temp = tempSqlite({messages: 500});
		const config = backupConfig(temp.dir, temp.path);
		const truncated = await createBackup(config);
		fs.truncateSync(truncated.path, fs.statSync(truncated.path).size - 4096);
		const t = await verifyBackup(config, truncated.name);
		expect(t.ok).toBe(false);
		expect(t.problems.join(' ')).toMatch(/truncated/);
		expect((await listBackups(config.backupDir)).find(e => e.name === truncated.name)!.verified).toMatchObject({ok: false});

		const altered = await createBackup(config, {now: new Date(Date.now() + 2000)});
		const fd = fs.openSync(altered.path, 'r+');
		fs.writeSync(fd, Buffer.from('garbage!'), 0, 8, 4096 + 100);
		fs.closeSync(fd);
		const a = await verifyBackup(config, altered.name);
		expect(a.ok).toBe(false);
		expect(a.checksumOk).toBe(false);
		expect(a.problems[0]).toMatch(/sha256 does not match/);
	});
});

describe('backup names', () => {
	it('refuses paths, .., NUL and symlinks leading outside the folder', () => {
		temp = tempSqlite();
		const dir = path.join(temp.dir, 'backups');
		fs.mkdirSync(dir);
		fs.symlinkSync('/etc/passwd', path.join(dir, 'evil.db'));
		fs.writeFileSync(path.join(temp.dir, 'outside.db'), 'x');
		fs.symlinkSync(path.join(temp.dir, 'outside.db'), path.join(dir, 'outside.db'));
		const cases: [string, RegExp][] = [
			['../../etc/passwd', /is a path/],
			['/etc/passwd', /is a path/],
			['a\0b', /NUL byte/],
			['..', /contains "\.\."/],
			['evil.db', /symlink leading outside/],
			['outside.db', /symlink leading outside/],
			['missing.db', /no backup named "missing\.db"/],
			['.hidden.db', /hidden or unfinished/],
			['', /a backup name is required/],
		];
		for (const [name, message] of cases) {
			expect(() => resolveBackupName(dir, name), name).toThrow(BackupNameError);
			expect(() => resolveBackupName(dir, name), name).toThrow(message);
		}
	});
});

describe('deleteBackup', () => {
	it('deletes a backup and its sidecar; read-only mode refuses and keeps both', async () => {
		temp = tempSqlite();
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		await expect(deleteBackup({...config, readOnly: true}, backup.name)).rejects.toThrow(ReadOnlyError);
		expect(fs.existsSync(backup.path)).toBe(true);
		await deleteBackup(config, backup.name);
		expect(fs.readdirSync(config.backupDir)).toEqual([]);
		const audit = fs.readFileSync(config.auditLog, 'utf8').trim().split('\n').map(line => JSON.parse(line));
		expect(audit.map(e => [e.action, e.result])).toEqual([['delete-backup', 'refused'], ['delete-backup', 'started'], ['delete-backup', 'ok']]);
	});
});
