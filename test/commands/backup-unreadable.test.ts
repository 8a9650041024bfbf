// Defect 10: a backup this user may not read is not a corrupt one. As nobody, `backup verify` printed
// "FAILED: cannot read it: EACCES: permission denied, open '…'", restore "failed verification
// (… EACCES …)", and `backup list` said VERIFIED "no" for backups whose 0600 sidecar it could not
// read. Now: who owns it and its mode, and "unknown". The built CLI (`npm run build` first), run as
// nobody (the suite runs as root).
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createBackup} from '../../source/backups/backups.js';
import {sidecarName} from '../../source/backups/names.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {backupConfig} from '../backups/backup-helpers.js';

const bin = path.resolve('build/bin.js');
const isRoot = process.geteuid?.() === 0;
const nobody = {uid: 65534, gid: 65534};

let temp: TempSqlite;
let config: ReturnType<typeof backupConfig>;
let name: string;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
	temp = tempSqlite({messages: 3});
	temp.db?.close();
	config = backupConfig(temp.dir, temp.path);
	name = (await createBackup(config, {kind: 'manual'})).name;
	// nobody may enter the folders and list them; the backup and its sidecar are root's, 0600
	fs.chmodSync(temp.dir, 0o755);
	fs.chmodSync(config.backupDir, 0o755);
	fs.chmodSync(path.join(config.backupDir, name), 0o600);
	fs.chmodSync(path.join(config.backupDir, sidecarName(name)), 0o600);
});
afterAll(() => temp?.cleanup());

function opsdeck(args: readonly string[]) {
	const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: temp.path, BACKUP_DIR: config.backupDir, OPSDECK_AUDIT_LOG: path.join(temp.dir, 'audit.log'), REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/none'};
	delete env.OPSDECK_READ_ONLY;
	delete env.OPSDECK_CONFIG;
	const result = spawnSync(process.execPath, [bin, ...args], {cwd: temp.dir, env, encoding: 'utf8', timeout: 30_000, ...nobody});
	return {code: result.status, out: result.stdout, err: result.stderr};
}

describe.runIf(isRoot)('backups this user may not read (run as nobody)', () => {
	it('verify and restore say whose the file is and its mode, not a failed verification', () => {
		const file = path.join(config.backupDir, name);
		const denied = `cannot read ${file}: permission denied (owner root:root (0:0), mode 0600; opsdeck runs as nobody (65534))`;
		const verify = opsdeck(['backup', 'verify', name]);
		expect(verify.err).toBe(`opsdeck: ${denied}\n`);
		expect(verify.out).toBe('');
		expect(verify.code).toBe(1);
		const restore = opsdeck(['backup', 'restore', name, '--yes']);
		expect(restore.err).toBe(`opsdeck: ${denied}: nothing was changed\n`);
		expect(restore.err).not.toMatch(/EACCES|verification/);
		expect(restore.code).toBe(2);
	});

	it('list: VERIFIED is "unknown" when the sidecar cannot be read, and --json says why', () => {
		const list = opsdeck(['backup', 'list']);
		expect(list.code).toBe(0);
		const row = list.out.split('\n').find(line => line.startsWith(name));
		expect(row).toMatch(/ unknown \(sidecar unreadable\)$/);
		const json = JSON.parse(opsdeck(['backup', 'list', '--json']).out) as {backups: Array<{name: string; verified: unknown; sidecarError?: string}>};
		expect(json.backups.find(entry => entry.name === name)).toMatchObject({
			verified: null,
			sidecarError: `cannot read ${path.join(config.backupDir, sidecarName(name))}: permission denied (owner root:root (0:0), mode 0600; opsdeck runs as nobody (65534))`,
		});
	});
});
