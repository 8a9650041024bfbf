// NO_COLOR=1 and --no-color on the one-shot commands, each run in a real pseudo-terminal (where a
// colouring library would colour): nothing in their output is a colour escape, --no-color is taken
// by every command and the console, and help says what it does. Needs `npm run build`.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {commandNames} from '../../source/commands/help.js';
import {adminUrl} from '../helpers/pg-db.js';
import {runPty} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {colourCodes} from '../helpers/sgr.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {cliEnv} from '../helpers/health-env.js';

const bin = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
let redis: RedisServerHandle;
let sqlite: TempSqlite;

beforeAll(async () => {
	redis = await startRedis();
	sqlite = tempSqlite();
});

afterAll(async () => {
	await redis?.stop();
	sqlite?.cleanup();
});

async function run(args: string[], env: Record<string, string> = {}) {
	const pty = runPty(process.execPath, [bin, ...args], {
		cols: 100,
		rows: 40,
		cwd: sqlite.dir,
		env: cliEnv({REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups'), OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'), XDG_STATE_HOME: path.join(sqlite.dir, 'state'), ...env}),
	});
	const exit = await pty.waitForExit(30_000);
	await pty.flush();
	return {code: exit.exitCode, raw: pty.rawOutput(), screen: pty.screen()};
}

const commands = [['status'], ['status', '--json'], ['keys'], ['stats'], ['backup', 'list'], ['backup', 'create'], ['pg', 'activity'], ['redis', 'info'], ['sqlite', 'check'], ['help'], ['serve', '--help']];

describe('colour in the one-shot commands', () => {
	it.each(commands.map(words => [words.join(' '), words] as const))('NO_COLOR=1 and --no-color: opsdeck %s writes no colour escape', async (_, args) => {
		for (const [extra, env] of [[[], {NO_COLOR: '1'}], [['--no-color'], {}]] as const) {
			const result = await run([...args, ...extra], env);
			expect(result.screen, `${args.join(' ')} ${extra.join(' ')}`).not.toMatch(/unknown option|does not take/);
			expect(colourCodes(result.raw), `${args.join(' ')} ${extra.join(' ')}`).toEqual([]);
		}
	});

	it('every command takes --no-color, and the help lists it', async () => {
		const help = await run(['--help']);
		expect(help.screen).toMatch(/--no-color +no colour anywhere \(NO_COLOR=1\)/);
		for (const name of commandNames) {
			const result = await run([name, '--help', '--no-color']);
			expect(result.code, name).toBe(0);
			expect(colourCodes(result.raw), name).toEqual([]);
		}
	}, 180_000);
});
