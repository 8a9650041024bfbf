// BACKUP_ENABLED: the console and `serve` take one backup at start and one at a graceful exit.
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {cliEnv, startCli} from '../helpers/health-env.js';
import {runPty} from '../helpers/pty.js';
import {binPath} from '../helpers/run-cli.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {waitFor} from '../helpers/wait.js';

let sqlite: TempSqlite;
let env: NodeJS.ProcessEnv;
const backups = () => fs.readdirSync(path.join(sqlite.dir, 'backups')).filter(name => /^auto_.*\.db$/.test(name)).sort();

beforeEach(() => {
	sqlite = tempSqlite();
	env = cliEnv({
		SQLITE_PATH: sqlite.path,
		BACKUP_DIR: path.join(sqlite.dir, 'backups'),
		BACKUP_ENABLED: '1',
		REDIS_URL: 'redis://127.0.0.1:6379/0',
		OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'),
	});
});
afterEach(() => sqlite.cleanup());

describe('automatic backups', () => {
	it('the console: one at start, one when the operator quits', async () => {
		const run = runPty('node', [binPath], {cols: 100, rows: 30, env, cwd: sqlite.dir});
		await run.waitForText('1 Status', 15_000);
		await waitFor(() => fs.existsSync(path.join(sqlite.dir, 'backups')) && backups().length === 1, {timeout: 15_000});
		await new Promise(resolve => setTimeout(resolve, 1100));
		run.press('q');
		expect((await run.waitForExit(15_000)).exitCode).toBe(0);
		expect(backups()).toHaveLength(2);
		expect(run.rawOutput()).toMatch(/shutdown backup auto_\S+ done/);
	});

	it('serve: one at start, one at SIGTERM', async () => {
		const serve = startCli(['serve', '--port', '0'], {env, cwd: sqlite.dir});
		await waitFor(() => /listening on/.test(serve.out()), {timeout: 15_000});
		await waitFor(() => fs.existsSync(path.join(sqlite.dir, 'backups')) && backups().length === 1, {timeout: 15_000});
		await new Promise(resolve => setTimeout(resolve, 1100));
		serve.child.kill('SIGTERM');
		expect(await serve.exit).toBe(0);
		expect(backups()).toHaveLength(2);
		expect(serve.out()).toMatch(/shutdown backup auto_\S+ done/);
	});
});
