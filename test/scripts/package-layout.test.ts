// What `npm pack` ships (package.json "files": build, scripts) is a working install: the bundle and
// its backup worker (build/bundle/backup-worker.cjs, started by a chunk from ../backup-worker.cjs) and
// logs --count's (build/bundle/count-worker.cjs) run from an unpacked tarball, better-sqlite3 taken
// from the install's node_modules. Needs the build.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {tempSqlite} from '../helpers/sqlite.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-pack-'));
const sqlite = tempSqlite({messages: 50});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
	sqlite.cleanup();
});

describe('the packed package', () => {
	it('ships the backup worker beside the bundle, and a backup made through the unpacked bundle verifies', () => {
		if (!fs.existsSync(path.join(root, 'build/bundle/backup-worker.cjs'))) throw new Error('build/bundle/backup-worker.cjs is missing: run npm run build first');
		const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], {cwd: root, encoding: 'utf8'});
		expect(pack.status, pack.stderr).toBe(0);
		const [{filename, files}] = JSON.parse(pack.stdout) as [{filename: string; files: {path: string}[]}];
		expect(files.map(file => file.path)).toEqual(expect.arrayContaining(['build/bundle/bin.js', 'build/bundle/opsdeck.script.js', 'build/bundle/opsdeck.logs.js', 'build/bundle/opsdeck.keys.js', 'build/bundle/backup-worker.cjs', 'build/bundle/count-worker.cjs', 'build/backups/worker-thread/run.js']));
		// installed: node_modules/opsdeck from the tarball, its native dependency beside it
		const modules = path.join(dir, 'app/node_modules');
		fs.mkdirSync(path.join(modules, 'opsdeck'), {recursive: true});
		expect(spawnSync('tar', ['-xzf', path.join(dir, filename), '-C', path.join(modules, 'opsdeck'), '--strip-components=1']).status).toBe(0);
		fs.symlinkSync(path.join(root, 'node_modules/better-sqlite3'), path.join(modules, 'better-sqlite3'));
		const bin = path.join(modules, 'opsdeck/build/bundle/bin.js');
		const env = {...process.env, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups'), OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log')};
		const create = spawnSync(process.execPath, [bin, 'backup', 'create', '--json'], {cwd: dir, env, encoding: 'utf8'});
		expect(create.status, create.stderr).toBe(0);
		// the worker's work: the row counts of the copy, its sha256, then quick_check and the sha256 again
		const created = JSON.parse(create.stdout) as {name: string; sha256: string; tables: Record<string, number>};
		expect(created.tables.messages).toBe(50);
		expect(created.sha256).toMatch(/^[0-9a-f]{64}$/);
		// a plain logs line: the lean script (build/bundle/opsdeck.logs.js) from the unpacked tarball
		fs.writeFileSync(path.join(dir, 'app.log'), 'first\nsecond\n');
		const logs = spawnSync(process.execPath, [bin, 'logs', path.join(dir, 'app.log'), '-n', '1'], {cwd: dir, env, encoding: 'utf8'});
		expect(logs.stdout, logs.stderr).toBe('second\n');
		expect(logs.status).toBe(0);
		// logs --count over two 16 MB blocks: its worker (build/bundle/count-worker.cjs) counts from the tarball too
		const lines = Buffer.from('2024-05-01T10:00:00Z INFO http GET /x status=503 ms=12\n'.repeat(600_000));
		fs.writeFileSync(path.join(dir, 'big.log'), lines);
		const watch = ['--require', path.join(root, 'test/helpers/count-worker-watch.cjs')];
		const count = spawnSync(process.execPath, [...watch, bin, 'logs', path.join(dir, 'big.log'), '--grep', 'status=5\\d\\d', '--count'], {cwd: dir, env, encoding: 'utf8'});
		expect(count.stdout, count.stderr).toBe('600000\n');
		expect(count.stderr).toMatch(/^count worker: \d+ blocks counted, done\n$/);
		const verify = spawnSync(process.execPath, [bin, 'backup', 'verify', created.name, '--json'], {cwd: dir, env, encoding: 'utf8'});
		expect(verify.status, verify.stderr + verify.stdout).toBe(0);
		expect(JSON.parse(verify.stdout)).toMatchObject({ok: true, checkOk: true, checksumOk: true});
	});
});
