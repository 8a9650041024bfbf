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
		const ways = [[[], {NO_COLOR: '1'}], [['--no-color'], {}]] as const;
		// the two side by side, but two backups are not made at once (each would be the other's)
		const results = args.includes('create')
			? [await run([...args, ...ways[0][0]], ways[0][1]), await run([...args, ...ways[1][0]], ways[1][1])]
			: await Promise.all(ways.map(([extra, env]) => run([...args, ...extra], env)));
		for (const [i, result] of results.entries()) {
			const extra = ways[i]![0];
			expect(result.screen, `${args.join(' ')} ${extra.join(' ')}`).not.toMatch(/unknown option|does not take/);
			expect(colourCodes(result.raw), `${args.join(' ')} ${extra.join(' ')}`).toEqual([]);
		}
	});

	it('every command takes --no-color, and the help lists it', async () => {
		const help = await run(['--help']);
		expect(help.screen).toMatch(/--no-color +no colour anywhere \(NO_COLOR=1\)/);
		// four at a time
		const names = [...commandNames];
		for (let i = 0; i < names.length; i += 4) {
			const batch = names.slice(i, i + 4);
			const results = await Promise.all(batch.map(name => run([name, '--help', '--no-color'])));
			for (const [j, result] of results.entries()) {
				expect(result.code, batch[j]).toBe(0);
				expect(colourCodes(result.raw), batch[j]).toEqual([]);
			}
		}
	}, 180_000);
});
