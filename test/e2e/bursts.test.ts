// Keys that arrive together — over SSH, from a paste, from key repeat — each handled against the
// state the one before it left (issue 15). The bundled console in a real pseudo-terminal, every
// burst written in ONE write: `jjj` moves three rows, `/b*⏎` runs the scan, `nn` starts one backup
// and says the second is refused. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {grow} from '../backups/backup-helpers.js';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {sleep} from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'build/bundle/bin.js');
let server: RedisServerHandle;
let temp: TempSqlite;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	server = await startRedis();
	const direct = new Redis(server.url);
	for (let i = 0; i < 6; i++) await direct.set(`a${i}`, `value-${i}`);
	await direct.set('b0', 'x');
	await direct.set('b1', 'y');
	direct.disconnect();
	temp = tempSqlite({messages: 20});
	// big enough that the first backup still runs when the second `n` is read
	grow(temp.path, 20);
}, 60_000);

afterAll(async () => {
	await server?.stop();
	temp?.cleanup();
});

const backups = () => fs.readdirSync(path.join(temp.dir, 'backups')).filter(f => f.startsWith('manual_') && f.endsWith('.db'));

describe('bursts of keys in one read', () => {
	it('jjj moves three rows, /pattern⏎ runs the scan, n n starts one backup and refuses the second', async () => {
		const env: Record<string, string | undefined> = {
			...process.env,
			REDIS_URL: server.url,
			DATABASE_URL: 'postgres://127.0.0.1:1/x',
			SQLITE_PATH: temp.path,
			BACKUP_DIR: path.join(temp.dir, 'backups'),
			OPSDECK_AUDIT_LOG: path.join(temp.dir, 'audit.log'),
		};
		delete env.OPSDECK_READ_ONLY;
		delete env.BACKUP_ENABLED;
		const run = runPty(process.execPath, [bin], {cols: 100, rows: 24, env, cwd: temp.dir});
		try {
			await run.waitForText('1 Status');
			run.press('2');
			await run.waitForText(/all keys · 8 keys · (.* · )?done/, 15_000);

			// sorted a0 … a5, b0, b1 (the cursor stays on the key it had in SCAN order: g to the top);
			// three rows down is a3 (before, the burst moved none: a0)
			run.press('g');
			await sleep(300);
			run.press('jjj');
			await sleep(300);
			run.press('\r');
			await run.waitForText('value-3');
			expect(run.lines()[1]).toBe('a3');
			run.press('\x1b');
			await run.waitForText(/all keys · 8 keys/);

			// the field the `/` opens gets the pattern, and the Enter after it (before, the Enter was lost)
			run.press('/b*\r');
			await run.waitForText(/pattern b\* · 2 keys · .* · done/);
			expect(run.screen()).not.toMatch(/^a\d /m);
			expect(run.screen()).not.toContain('pattern: ');

			run.press('4');
			await run.waitForText('no backups yet', 15_000);
			// the second `n` sees the job the first one started (before, `nn` started nothing)
			run.press('nn');
			await run.waitForText('a backup job is running; wait for it');
			await run.waitForText(/created manual_\S+ \(.*verified\)/, 30_000);
			expect(backups()).toHaveLength(1);

			run.press('q');
			expect((await run.waitForExit(15_000)).exitCode).toBe(0);
		} finally {
			run.kill('SIGKILL');
		}
		expect(backups()).toHaveLength(1);
	}, 90_000);
});
