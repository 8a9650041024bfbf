// scripts/ink-fast/output.js replaces Ink's Output in the bundle. ink-output.test.ts compares the
// two on random screens; this compares them on the frames of the real console: the App on real
// backends (a private redis-server, the local PostgreSQL, a temp SQLite file with a backup), every
// tab visited, the help opened, the terminal resized. Every frame Ink composes here is composed
// again by the fast Output from the same operations, in the same order (its caches live across
// frames, as in the bundle), and the two strings must be equal.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, createBackends, startBackends, type Backends} from '../../source/backends/index.js';
import {createBackup} from '../../source/backups/backups.js';
import {loadConfig} from '../../source/config/config.js';
import {adminUrl} from '../helpers/pg-db.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';

type Frame = {output: string; height: number};
type OutputLike = {
	write(x: number, y: number, text: string, options: unknown): void;
	clip(clip: unknown): void;
	unclip(): void;
	get(): Frame;
};
type OutputCtor = (new (options: {width: number; height: number}) => OutputLike) & {prototype: OutputLike};

const root = path.resolve(import.meta.dirname, '../..');
const load = async (file: string) => ((await import(pathToFileURL(path.join(root, file)).href)) as {default: OutputCtor}).default;
// the very module Ink renders with (the same file, so the same module instance)
const InkOutput = await load('node_modules/ink/build/output.js');
const FastOutput = await load('scripts/ink-fast/output.js');

type Op = {readonly method: 'write' | 'clip' | 'unclip'; readonly args: unknown[]};
const recorded = new WeakMap<OutputLike, {width: number; height: number; ops: Op[]}>();
const compared = {frames: 0, distinct: new Set<string>(), mismatches: [] as {ink: Frame; fast: Frame; width: number; height: number}[]};
const original = {write: InkOutput.prototype.write, clip: InkOutput.prototype.clip, unclip: InkOutput.prototype.unclip, get: InkOutput.prototype.get};

/** Ink's Output, recording what it is asked to draw; get() draws the same with the fast Output and compares. */
function instrument(): void {
	const record = (output: OutputLike, method: Op['method'], args: unknown[]) => {
		// the size is read from the instance: Ink's constructor sets width and height on it
		const self = output as unknown as {width: number; height: number};
		let entry = recorded.get(output);
		if (!entry) recorded.set(output, (entry = {width: self.width, height: self.height, ops: []}));
		entry.ops.push({method, args});
	};
	InkOutput.prototype.write = function (this: OutputLike, ...args: Parameters<OutputLike['write']>) {
		record(this, 'write', args);
		original.write.apply(this, args);
	};
	InkOutput.prototype.clip = function (this: OutputLike, clip: unknown) {
		record(this, 'clip', [clip]);
		original.clip.call(this, clip);
	};
	InkOutput.prototype.unclip = function (this: OutputLike) {
		record(this, 'unclip', []);
		original.unclip.call(this);
	};
	InkOutput.prototype.get = function (this: OutputLike) {
		const ink = original.get.call(this);
		const self = this as unknown as {width: number; height: number};
		const {ops} = recorded.get(this) ?? {ops: []};
		const fast = new FastOutput({width: self.width, height: self.height});
		for (const op of ops) (fast[op.method] as (...args: unknown[]) => void)(...op.args);
		const fastFrame = fast.get();
		compared.frames++;
		compared.distinct.add(ink.output);
		if (fastFrame.output !== ink.output || fastFrame.height !== ink.height) compared.mismatches.push({ink, fast: fastFrame, width: self.width, height: self.height});
		return ink;
	};
}

let redis: RedisServerHandle;
let sqlite: TempSqlite;
let backends: Backends;

beforeAll(async () => {
	redis = await startRedis();
	sqlite = tempSqlite({messages: 40});
	const seed = new Redis(redis.url);
	await seed.mset('chat:ZCMLY634:messages', 'héllo 漢字', 'session:42', 'x'.repeat(300), 'counter', '7');
	await seed.rpush('queue:jobs', 'a', 'b', 'c');
	seed.disconnect();
	const config = loadConfig({
		env: {REDIS_URL: redis.url, DATABASE_URL: adminUrl, SQLITE_PATH: sqlite.path, BACKUP_DIR: path.join(sqlite.dir, 'backups'), OPSDECK_AUDIT_LOG: path.join(sqlite.dir, 'audit.log')},
		cwd: sqlite.dir,
	});
	await createBackup(config);
	backends = createBackends(config);
	await startBackends(backends);
	instrument();
});

afterAll(async () => {
	Object.assign(InkOutput.prototype, original);
	await closeBackends(backends);
	await redis.stop();
	sqlite.cleanup();
	fs.rmSync(path.join(sqlite.dir, 'backups'), {recursive: true, force: true});
});

/** the terminal resized, as a terminal does it: new columns and rows, then 'resize' */
function resize(app: Rendered, columns: number, rows: number): void {
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
}

/** waits for a frame that matches (Ink composed it: so it was compared) */
function step(app: Rendered, match: string | RegExp | ((screen: string) => boolean)): Promise<string> {
	return app.waitFor(match, 15_000);
}

describe('the bundle\'s Output on the real console\'s frames', () => {
	it('gives Ink\'s frame for every frame of the App: each tab, a value, the help, a live monitor, five terminal sizes', async () => {
		const app = render(<App backends={backends} startOnMount={false} />);
		await step(app, s => /Redis {2}up/.test(s) && /PostgreSQL {2}up/.test(s) && /backup +newest/.test(s));
		await app.press('2');
		await step(app, 'scanned 4 of 4');
		await app.press(keys.down, keys.down);
		await app.press(keys.enter);
		await step(app, 'queue:jobs');
		await app.press(keys.escape);
		await app.press('?');
		await step(app, 'closes this help');
		await app.press(keys.escape);
		await app.press('3');
		await step(app, 'every 1s');
		// the watched key grows while the monitor draws: one row and the sparkline change per tick
		const writer = new Redis(redis.url);
		for (let i = 0; i < 3; i++) {
			await writer.append('chat:ZCMLY634:messages', ' más 字');
			await step(app, `${13 + (i + 1) * 9} `);
		}
		writer.disconnect();
		await app.press('4');
		await step(app, 'manual_');
		for (const [columns, rows] of [[80, 24], [40, 10], [120, 40], [30, 8], [20, 5]] as const) {
			resize(app, columns, rows);
			await step(app, screen => screen.split('\n').length <= rows && screen.split('\n').every(line => line.length <= columns));
			await app.press('1');
			await step(app, /Status|needs 30x8/);
			await app.press('4');
			await settle(50);
		}
		// the first frame where the two differ, shown whole (none expected)
		expect(compared.mismatches.slice(0, 1)).toEqual([]);
		// the comparison covered many different frames, not one frame many times
		expect(compared.frames).toBeGreaterThan(30);
		expect(compared.distinct.size).toBeGreaterThan(20);
	});
});
