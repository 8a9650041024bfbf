// The sidecar's two digests (issue 21, P4b): new backups record sha256 and xxh128, a restore checks
// its copy with xxh128 and writes its safety backup's sidecar with xxh128 only. Old sidecars (sha256
// only) still verify and restore; a changed byte is caught whichever digest the sidecar has.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, it} from 'vitest';
import {createBackup, listBackups, verifyBackup} from '../../source/backups/backups.js';
import {drillBackup} from '../../source/backups/drill.js';
import {sidecarName} from '../../source/backups/names.js';
import {restoreBackup, RestoreRefusedError} from '../../source/backups/restore.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {backupConfig, rowCount, sha256, xxh128} from './backup-helpers.js';

let temp: TempSqlite | undefined;
afterEach(() => {
	temp?.cleanup();
	temp = undefined;
});

function addMessages(file: string, n: number): void {
	const db = new Database(file);
	const insert = db.prepare("insert into messages (chat_code, username, content, created_at) values ('lobby', 'late', 'after the backup', 0)");
	db.transaction(() => {
		for (let i = 0; i < n; i++) insert.run();
	})();
	db.close();
}

type Sidecar = Record<string, unknown>;
function readJson(dir: string, name: string): Sidecar {
	return JSON.parse(fs.readFileSync(path.join(dir, sidecarName(name)), 'utf8')) as Sidecar;
}
function writeJson(dir: string, name: string, meta: Sidecar): void {
	fs.writeFileSync(path.join(dir, sidecarName(name)), JSON.stringify(meta));
}

/** Changes one byte of a row's text: the file stays a valid database (quick_check says ok), only a digest can tell. */
function changeOneByte(file: string): void {
	const bytes = fs.readFileSync(file);
	const at = bytes.indexOf('after the backup');
	expect(at).toBeGreaterThan(0);
	const fd = fs.openSync(file, 'r+');
	fs.writeSync(fd, Buffer.from('A'), 0, 1, at);
	fs.closeSync(fd);
	const db = new Database(file, {readonly: true});
	expect(db.pragma('quick_check', {simple: true})).toBe('ok');
	db.close();
}

describe('sidecar digests', () => {
	it('a new backup records both digests of its bytes', async () => {
		temp = tempSqlite({messages: 30});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const meta = readJson(config.backupDir, backup.name);
		expect(meta.sha256).toBe(sha256(backup.path));
		expect(meta.xxh128).toBe(await xxh128(backup.path));
		expect(meta.xxh128).toMatch(/^[0-9a-f]{32}$/);
	});

	it('a changed byte in a backup whose sidecar has the fast digest only is caught by verify, drill and restore', async () => {
		temp = tempSqlite({messages: 10});
		addMessages(temp.path, 3);
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const {sha256: _dropped, ...fastOnly} = readJson(config.backupDir, backup.name);
		writeJson(config.backupDir, backup.name, {...fastOnly});
		// untouched, it verifies with that digest alone
		const good = await verifyBackup(config, backup.name);
		expect(good).toMatchObject({ok: true, checksumOk: true});
		changeOneByte(backup.path);
		const bad = await verifyBackup(config, backup.name);
		expect(bad.ok).toBe(false);
		expect(bad.checksumOk).toBe(false);
		expect(bad.problems.join('; ')).toMatch(/xxh128 does not match/);
		const drill = await drillBackup({...config, drillChecks: []}, {name: backup.name});
		expect(drill.ok).toBe(false);
		expect(drill.findings.join('; ')).toMatch(/xxh128 of the backup does not match/);
		const liveBefore = sha256(temp.path);
		const error = await restoreBackup(config, backup.name).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RestoreRefusedError);
		expect(String(error)).toMatch(/does not match its recorded xxh128 as copied.*nothing was changed/);
		expect(sha256(temp.path)).toBe(liveBefore);
		expect(fs.readdirSync(config.backupDir).filter(f => f.startsWith('safety_'))).toEqual([]);
	});

	it('a sidecar whose fast digest is wrong (the sha256 right) still refuses the restore', async () => {
		temp = tempSqlite({messages: 10});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const meta = readJson(config.backupDir, backup.name);
		writeJson(config.backupDir, backup.name, {...meta, xxh128: '0'.repeat(32)});
		await expect(restoreBackup(config, backup.name)).rejects.toThrow(/recorded xxh128/);
		const verified = await verifyBackup(config, backup.name);
		expect(verified.ok).toBe(false);
	});

	it('an old sidecar (sha256 only) still verifies and restores, and a changed byte is caught by its sha256', async () => {
		temp = tempSqlite({messages: 10});
		addMessages(temp.path, 2);
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		const {xxh128: _dropped, ...old} = readJson(config.backupDir, backup.name);
		writeJson(config.backupDir, backup.name, {...old});
		expect(await verifyBackup(config, backup.name)).toMatchObject({ok: true, checksumOk: true});
		addMessages(temp.path, 5);
		const restored = await restoreBackup(config, backup.name);
		expect(rowCount(temp.path, 'messages')).toBe(12);
		// (the restore wrote its verdict into the old sidecar, which still has no xxh128)
		expect(readJson(config.backupDir, backup.name).xxh128).toBeUndefined();
		expect(restored.safety).toMatch(/^safety_/);

		changeOneByte(backup.path);
		const bad = await verifyBackup(config, backup.name);
		expect(bad.problems.join('; ')).toMatch(/sha256 does not match/);
		await expect(restoreBackup(config, backup.name)).rejects.toThrow(/does not match its recorded sha256 as copied/);
		expect(rowCount(temp.path, 'messages')).toBe(12);
	});

	it('the safety backup a restore takes (xxh128 only) verifies, is caught when changed, and restores back', async () => {
		temp = tempSqlite({messages: 20});
		const config = backupConfig(temp.dir, temp.path);
		const backup = await createBackup(config);
		addMessages(temp.path, 5);
		const first = await restoreBackup(config, backup.name);
		expect(rowCount(temp.path, 'messages')).toBe(20);
		const safetyName = first.safety!;
		const meta = readJson(config.backupDir, safetyName);
		expect(meta.sha256).toBe('');
		expect(meta.xxh128).toBe(await xxh128(path.join(config.backupDir, safetyName)));
		expect(await verifyBackup(config, safetyName)).toMatchObject({ok: true, checksumOk: true});
		// listed as a backup with its digest
		const listed = (await listBackups(config.backupDir)).find(e => e.name === safetyName);
		expect(listed?.meta?.xxh128).toBe(meta.xxh128);

		// and back: the state before the first restore
		const second = await restoreBackup(config, safetyName);
		expect(rowCount(temp.path, 'messages')).toBe(25);
		expect(second.safety).toMatch(/^safety_/);
		expect(await verifyBackup(config, second.safety!)).toMatchObject({ok: true, checksumOk: true});

		// a byte of the first safety backup changed: refused
		changeOneByte(path.join(config.backupDir, safetyName));
		await expect(restoreBackup(config, safetyName)).rejects.toThrow(/recorded xxh128/);
		expect(rowCount(temp.path, 'messages')).toBe(25);
	});
});
