// The new-user tour's set-up: private backends (a redis-server, a fresh PostgreSQL database, a temp
// working directory with its own data/ and backups/), seeded the way a user would with the bundled
// `opsdeck demo`, and a console opened in a pseudo-terminal. Keys are typed one at a time: Ink
// reads a burst of characters in one read as a paste.
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {createTestDatabase, type TestDatabase} from './pg-db.js';
import {runPty, type PtyRun} from './pty.js';
import {startRedis, type RedisServerHandle} from './redis-server.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** what `opsdeck` runs (package.json "bin") */
export const bundledBin = path.join(root, 'build/bundle/bin.js');

/** The parts of `opsdeck demo --json` the tour reads. */
export type DemoSeed = {
	readonly outOfSync: ReadonlyArray<{readonly chat: string; readonly missing: readonly string[]; readonly extra: readonly string[]}>;
	readonly chats: ReadonlyArray<{readonly code: string; readonly name: string; readonly messages: number; readonly cached: number}>;
	readonly redis: {readonly keys: number; readonly messageKeys: number};
	readonly backup: {readonly created: boolean; readonly name?: string};
};

export type DemoTour = {
	readonly cwd: string;
	readonly redis: RedisServerHandle;
	readonly database: TestDatabase;
	/** the child environment: backends, audit log, nothing inherited that points elsewhere */
	readonly env: Record<string, string | undefined>;
	readonly auditLog: string;
	readonly seed: DemoSeed;
	/** `opsdeck ARGS` in the tour's cwd and env, no terminal; resolves with exit code and output */
	cli(args: readonly string[]): Promise<{code: number | null; stdout: string; stderr: string}>;
	/** `opsdeck ARGS` left running (e.g. demo --traffic); stop it with child.kill('SIGINT') */
	spawnCli(args: readonly string[]): ChildProcess;
	/** the console in a cols×rows pseudo-terminal (env: added to the tour's) */
	openConsole(opts?: {cols?: number; rows?: number; args?: readonly string[]; env?: Readonly<Record<string, string>>}): PtyRun;
	stop(): Promise<void>;
};

// Settings a developer's shell may carry that would point the tour at other backends or files.
const inherited = ['REDIS_URL', 'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'SQLITE_PATH', 'BACKUP_DIR', 'OPSDECK_CONFIG', 'OPSDECK_READ_ONLY', 'APP_HEALTH_URL', 'ALERT_WEBHOOK_URL', 'BACKUP_ENABLED', 'BACKUP_RETENTION', 'BACKUP_INTERVAL_HOURS', 'POLL_INTERVAL_MS', 'HEALTH_PORT', 'SCAN_COUNT'];

export const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Presses each key as its own read, ~100 ms apart (a person typing, not a paste). */
export async function typeKeys(run: PtyRun, ...keys: string[]): Promise<void> {
	for (const key of keys) {
		for (const ch of key.startsWith('\x1b') ? [key] : [...key]) {
			run.press(ch);
			await pause(100);
		}
	}
}

/** Starts the private backends and seeds them with `opsdeck demo --chats N --json`. */
export async function startDemoTour(options: {chats?: number; prefix?: string} = {}): Promise<DemoTour> {
	if (!fs.existsSync(bundledBin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	const [redis, database] = await Promise.all([startRedis(), createTestDatabase(options.prefix ?? 'opsdeck_tour')]);
	const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-tour-'));
	const auditLog = path.join(cwd, 'audit.log');
	const env: Record<string, string | undefined> = {...process.env};
	for (const name of inherited) delete env[name];
	Object.assign(env, {REDIS_URL: redis.url, DATABASE_URL: database.url, OPSDECK_AUDIT_LOG: auditLog});

	const spawnCli = (args: readonly string[]) => spawn(process.execPath, [bundledBin, ...args], {cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe']});
	const cli = (args: readonly string[]) => new Promise<{code: number | null; stdout: string; stderr: string}>((resolve, reject) => {
		const child = spawnCli(args);
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', code => resolve({code, stdout, stderr}));
	});

	const seeded = await cli(['demo', '--chats', String(options.chats ?? 12), '--json']);
	if (seeded.code !== 0) throw new Error(`opsdeck demo exited ${seeded.code}: ${seeded.stderr}`);
	const seed = JSON.parse(seeded.stdout) as DemoSeed;

	return {
		cwd,
		redis,
		database,
		env,
		auditLog,
		seed,
		cli,
		spawnCli,
		openConsole: (opts = {}) => runPty(process.execPath, [bundledBin, ...(opts.args ?? [])], {cols: opts.cols ?? 100, rows: opts.rows ?? 30, cwd, env: {...env, ...opts.env}}),
		async stop() {
			await Promise.allSettled([redis.stop(), database.drop()]);
			fs.rmSync(cwd, {recursive: true, force: true});
		},
	};
}

/** Polls the screen until check(lines) is true; throws with the screen on timeout. */
export async function waitForScreen(run: PtyRun, check: (lines: string[]) => boolean, what: string, timeoutMs = 15_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await run.flush();
		const lines = run.lines();
		if (check(lines)) return lines;
		if (Date.now() >= deadline || run.exit) throw new Error(`${what}: not seen within ${timeoutMs} ms. Screen:\n${lines.join('\n')}`);
		await pause(25);
	}
}
