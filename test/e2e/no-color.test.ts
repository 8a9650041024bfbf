// NO_COLOR, --no-color and THEME=high-contrast in the built console, in a real pseudo-terminal:
// every tab's frame is read as the terminal received it, escape sequences included. Needs
// `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {runPty, type PtyRun} from '../helpers/pty.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {cliEnv} from '../helpers/health-env.js';
import {sleep} from '../helpers/wait.js';
import {colourCodes, styleCodes} from '../helpers/sgr.js';

const bin = fileURLToPath(new URL('../../build/bundle/bin.js', import.meta.url));
let redis: RedisServerHandle;
let sqlite: TempSqlite;

beforeAll(async () => {
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	redis = await startRedis();
	sqlite = tempSqlite();
	const writer = new Redis(redis.url);
	await writer.zadd('chat:a:messages', 1, 'hello');
	writer.disconnect();
});

afterAll(async () => {
	await redis?.stop();
	sqlite?.cleanup();
});

/** Each tab, and what it shows once its data is in (drawn by the polls after its first frame). */
const tabs: ReadonlyArray<readonly [string, RegExp]> = [
	['Status', /Redis {2}up/],
	['Keys', /scanned \d+ of \d+ · done/],
	// two ticks: the second draws the changes since the first
	['Monitor', /^total \(\d+ keys?\) +\d+ .*[▁-█]{2}/m],
	['Backups', /\d+ backups?, keep/],
	['Postgres', /^running · \d+ of \d+ sessions/m],
	['Redis', /used, peak/],
];

function start(extraEnv: Record<string, string>, args: string[] = []): PtyRun {
	const env = cliEnv({REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups'), OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log'), XDG_STATE_HOME: path.join(sqlite.dir, 'state'), ...extraEnv});
	return runPty('node', [bin, ...args], {cols: 100, rows: 30, env, cwd: sqlite.dir});
}

/** Visits every tab; returns what the terminal received while each was shown. */
async function visit(run: PtyRun): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	await run.waitForText('HEALTHY', 15_000);
	for (const [i, [title, data]] of tabs.entries()) {
		// Status is shown from the start
		const from = i === 0 ? 0 : run.rawOutput().length;
		run.press(String(i + 1));
		await run.waitForText(new RegExp(`${i + 1} ${title}`));
		// the frames with the tab's data, not just its first frame
		await run.waitForText(data, 15_000);
		await run.flush();
		expect(run.inverseLines().join('\n'), `the active tab still shows without colour (${title})`).toContain(`${i + 1} ${title}`);
		out.set(title, run.rawOutput().slice(from));
	}
	return out;
}

async function quit(run: PtyRun) {
	run.press('q');
	await run.waitForExit(10_000);
}

describe('colours in the console frame', () => {
	it('with colour (the control): the frame has colour escapes', async () => {
		const run = start({});
		try {
			await run.waitForText('HEALTHY', 15_000);
			await run.flush();
			expect(colourCodes(run.rawOutput()).length).toBeGreaterThan(0);
		} finally {
			await quit(run);
		}
	});

	for (const [name, env, args] of [['NO_COLOR=1', {NO_COLOR: '1'}, []], ['--no-color', {}, ['--no-color']]] as const) {
		it(`${name}: no colour escape on any tab; bold and inverse stay, states are words`, async () => {
			const run = start(env, [...args]);
			try {
				const frames = await visit(run);
				for (const [title, raw] of frames) {
					expect(colourCodes(raw), title).toEqual([]);
					expect(styleCodes(raw), title).toContain('7');
				}
				run.press('1');
				await run.waitForText(/Redis {2}up/);
				expect(run.screen()).toContain('HEALTHY');
			} finally {
				await quit(run);
			}
			expect(colourCodes(run.rawOutput())).toEqual([]);
		});
	}

	it('THEME=high-contrast: no dim or grey text; the colours are the bright ones', async () => {
		const run = start({THEME: 'high-contrast'});
		try {
			await run.waitForText('HEALTHY', 15_000);
			await sleep(500);
			await run.flush();
			const raw = run.rawOutput();
			expect(styleCodes(raw)).not.toContain('2');
			expect(colourCodes(raw).filter(code => /^(3[0-7]|90)$/.test(code))).toEqual([]);
			expect(colourCodes(raw).some(code => /^9[1-6]$/.test(code))).toBe(true);
		} finally {
			await quit(run);
		}
	});
});
