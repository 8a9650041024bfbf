// `opsdeck backup restore` as a user runs it (the built CLI; `npm run build` first), issue 13:
// case 5 (a restore that cannot give the file its owner is refused), case 6 (run as another user
// than the app's, the holders cannot be known: refused) and case 10 (a signal mid-restore: its temp
// is removed, "interrupted: nothing was changed", exit 128 + the signal).
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import Database from 'better-sqlite3';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createBackup} from '../../source/backups/backups.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {backupConfig, grow, rowCount, sha256} from '../backups/backup-helpers.js';

const bin = path.resolve('build/bin.js');
const driver = createRequire(import.meta.url).resolve('better-sqlite3');
const nobody = {uid: 65534, gid: 65534};
const isRoot = process.geteuid?.() === 0;

beforeAll(() => {
	if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
});

let temp: TempSqlite | undefined;
const children: ChildProcess[] = [];
afterEach(() => {
	for (const child of children.splice(0)) child.kill('SIGKILL');
	temp?.cleanup();
	temp = undefined;
});

type Run = {code: number | null; signal: NodeJS.Signals | null; out: string; err: string};

function opsdeck(config: ReturnType<typeof backupConfig>, args: string[], options: {uid?: number; gid?: number; onSpawn?: (child: ChildProcess) => void} = {}): Promise<Run> {
	const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: config.sqlitePath, BACKUP_DIR: config.backupDir};
	delete env.OPSDECK_READ_ONLY;
	const child = spawn(process.execPath, [bin, ...args, '--audit-log', config.auditLog], {cwd: path.dirname(config.sqlitePath), env, uid: options.uid, gid: options.gid, stdio: ['ignore', 'pipe', 'pipe']});
	children.push(child);
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	options.onSpawn?.(child);
	return new Promise(resolve => child.once('close', (code, signal) => resolve({code, signal, out, err})));
}

/** Everything readable and the folders writable for nobody; the live file stays root's. */
async function shareWithNobody(t: TempSqlite): Promise<ReturnType<typeof backupConfig> & {name: string}> {
	const config = backupConfig(t.dir, t.path);
	const {name} = await createBackup(config);
	for (const dir of [t.dir, config.backupDir]) fs.chmodSync(dir, 0o777);
	for (const file of fs.readdirSync(config.backupDir)) fs.chmodSync(path.join(config.backupDir, file), 0o644);
	fs.chmodSync(t.path, 0o644);
	return {...config, name};
}

function leftovers(t: TempSqlite, config: ReturnType<typeof backupConfig>): string[] {
	return [...fs.readdirSync(t.dir).filter(f => f.includes('.restore-')), ...fs.readdirSync(config.backupDir).filter(f => f.includes('safety_'))];
}

describe.runIf(isRoot)('restore run as another user than the file\'s owner', () => {
	it('the holders cannot be known: refused without --force, saying why (issue 13, case 6)', async () => {
		temp = tempSqlite({messages: 20});
		const config = await shareWithNobody(temp);
		// the app (root) has the file open, idle between writes: nobody cannot see its fds
		const app = spawn(process.execPath, ['-e', `
			const D = require(${JSON.stringify(driver)});
			const db = new D(${JSON.stringify(temp.path)});
			db.pragma('journal_mode = WAL');
			db.prepare('select count(*) from messages').get();
			process.stdout.write('open\\n');
			setInterval(() => {}, 1000);
		`], {stdio: ['ignore', 'pipe', 'inherit']});
		children.push(app);
		await new Promise<void>(resolve => app.stdout!.once('data', () => resolve()));
		const before = sha256(temp.path);
		const run = await opsdeck(config, ['backup', 'restore', config.name, '--yes'], nobody);
		expect(run.err).toMatch(/^opsdeck: cannot tell whether another process has .*app\.db open: opsdeck runs as nobody \(not root\) and the file belongs to root.*--force; nothing was changed\n$/);
		expect(run.code).toBe(2);
		expect(sha256(temp.path)).toBe(before);
		expect(fs.statSync(temp.path).uid).toBe(0);
		expect(leftovers(temp, config)).toEqual([]);
	}, 60_000);

	it('cannot give the restored file its owner: refused before anything is touched, naming the owner (issue 13, case 5)', async () => {
		temp = tempSqlite({messages: 20});
		const config = await shareWithNobody(temp);
		const before = sha256(temp.path);
		const run = await opsdeck(config, ['backup', 'restore', config.name, '--yes', '--force'], nobody);
		expect(run.err).toMatch(/^opsdeck: cannot give the restored file the owner and mode of .*app\.db, root:root \(0:0\), mode 0644 \(permission denied, opsdeck runs as nobody \(65534\)\): run the restore as root or as that owner; nothing was changed\n$/);
		expect(run.code).toBe(2);
		expect(sha256(temp.path)).toBe(before);
		expect(fs.statSync(temp.path).uid).toBe(0);
		expect(leftovers(temp, config)).toEqual([]);
		const audit = fs.readFileSync(config.auditLog, 'utf8').trim().split('\n').map(line => JSON.parse(line) as {action: string; result: string});
		expect(audit.at(-1)).toMatchObject({action: 'restore', result: 'refused'});
	}, 60_000);
});

describe('a signal during backup restore (issue 13, case 10)', () => {
	it('SIGINT and SIGTERM mid-copy: temp removed, "interrupted: nothing was changed", exit 130 / 143, audited', async () => {
		temp = tempSqlite({messages: 20});
		// big enough that the copy is still running when the signal lands
		grow(temp.path, 200);
		const config = backupConfig(temp.dir, temp.path);
		const {name} = await createBackup(config);
		const live = new Database(temp.path);
		live.exec('delete from messages');
		live.close();
		const before = sha256(temp.path);
		for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
			const run = await opsdeck(config, ['backup', 'restore', name, '--yes'], {
				onSpawn: child => {
					// as soon as its temp copy exists (the copy is under way), the signal
					const tempFile = path.join(temp!.dir, `.app.db.restore-${child.pid}.tmp`);
					const poll = setInterval(() => {
						if (fs.existsSync(tempFile)) {
							clearInterval(poll);
							child.kill(signal);
						}
					}, 2);
					child.once('close', () => clearInterval(poll));
				},
			});
			expect(run.err, signal).toBe(`opsdeck: interrupted (${signal}): nothing was changed\n`);
			expect(run.code, signal).toBe(code);
			expect(sha256(temp.path)).toBe(before);
			expect(rowCount(temp.path, 'messages')).toBe(0);
			expect(leftovers(temp, config)).toEqual([]);
			const audit = fs.readFileSync(config.auditLog, 'utf8').trim().split('\n').map(line => JSON.parse(line) as {action: string; result: string; error?: string});
			expect(audit.at(-1)).toMatchObject({action: 'restore', result: 'failed', error: `interrupted (${signal}): nothing was changed`});
		}
	}, 120_000);
});
