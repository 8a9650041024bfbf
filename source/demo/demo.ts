// opsdeck demo: seeds the configured backends with a sample of the chat app. PostgreSQL gets the
// chats and messages tables (one transaction), Redis the caches in the collections layout (most in
// sync, a few deliberately not, so compare has something to find), SQLite a small data file.
// It only ever touches its own tables, its own chats' keys and its own SQLite tables.
import fs from 'node:fs';
import {BackendDownError, type Backends} from '../backends/index.js';
import {connectionLost} from '../backends/postgres.js';
import {formatCount} from '../text/format.js';
import {errorMessage} from '../text/mask.js';
import {keyFor} from '../cache/layout.js';
import {MutationRefusedError, runMutation} from '../mutations/registry.js';
import {generateChats, makeReactions, seededRandom} from './data.js';
import {createTables, demoMarker, demoSql, inTransaction, insertChats, insertMessages, inspectPostgres, parseMarker, pendingComment, seedLockName, setMarker, type PostgresState} from './postgres.js';
import {planCaches, ttlLeft, zadd, type OutOfSync} from './plan.js';
import {runCommands, scanLayoutKeys, type RedisCommand} from './redis.js';
import {seedSqlite, type DemoSqliteReport} from './sqlite.js';
import {makeDemoBackup, type DemoBackup} from './backup.js';

type Deps = Pick<Backends, 'config' | 'redis' | 'postgres'>;

export type DemoState = {
	readonly postgres: PostgresState;
	/** layout keys already in Redis, by chat */
	readonly redisKeys: ReadonlyMap<string, readonly string[]>;
	readonly sqliteExists: boolean;
	/** anything of the demo's names holds data: a run without force refuses */
	readonly hasData: boolean;
};

/** What is already there under the demo's names. With full, every layout key is listed (for force). */
export async function inspectDemo(deps: Deps, options: {readonly full?: boolean} = {}): Promise<DemoState> {
	const layout = deps.config.collections;
	const [postgres, redisKeys] = await Promise.all([
		// a refused connection says which store it was
		inspectPostgres(deps.postgres, layout).catch((error: unknown) => {
			const code = (error as {code?: string}).code;
			if (connectionLost(error)) throw connectionLost(error)!;
			throw code && /^(08|57P|28|3D)/.test(code) || /ECONN|ENOTFOUND|EAI_AGAIN|timeout/i.test(String(error)) ? new BackendDownError('postgres', errorMessage(error)) : error;
		}),
		scanLayoutKeys(deps.redis, layout, {count: deps.config.scanCount, firstOnly: !options.full}),
	]);
	const sqliteExists = fs.existsSync(deps.config.sqlitePath);
	return {postgres, redisKeys, sqliteExists, hasData: postgres.chats > 0 || postgres.messages > 0 || redisKeys.size > 0 || sqliteExists};
}

/** One line naming what is there, for the refusal. */
export function describeExisting(state: DemoState, sqlitePath: string): string {
	const parts: string[] = [];
	if (state.postgres.chats > 0 || state.postgres.messages > 0) parts.push(`PostgreSQL tables hold ${formatCount(state.postgres.chats)} chats and ${formatCount(state.postgres.messages)} messages`);
	if (state.redisKeys.size > 0) parts.push('Redis has keys in the collections layout');
	if (state.sqliteExists) parts.push(`${sqlitePath} exists`);
	return parts.join('; ');
}

export class DemoExistsError extends MutationRefusedError {}

/** A `demo --force` was killed between its PostgreSQL commit and the end of its Redis writes. */
export class DemoUnfinishedError extends Error {
	constructor() {
		super('the last demo --force was interrupted: PostgreSQL has the new demo data, Redis is not finished; run opsdeck demo --force to finish it');
	}
}

export type {OutOfSync} from './plan.js';

export type DemoReport = {
	readonly replaced: boolean;
	readonly durationMs: number;
	readonly postgres: {readonly url: string; readonly chatsTable: string; readonly messagesTable: string; readonly chats: number; readonly messages: number; readonly pinned: number; readonly users: number; readonly verified: number; readonly hosts: number};
	readonly redis: {
		readonly url: string;
		readonly keys: number;
		readonly messageKeys: number;
		readonly cachedMessages: number;
		readonly pinnedKeys: number;
		readonly pinnedMessages: number;
		readonly backroomKeys: number;
		readonly backroomMessages: number;
		readonly reactionKeys: number;
		/** layout keys of the demo's previous chats deleted (force) */
		readonly deletedKeys: number;
		/** layout keys of chats that are not the demo's, left alone */
		readonly foreignKeys: number;
	};
	readonly outOfSync: readonly OutOfSync[];
	readonly sqlite: DemoSqliteReport;
	readonly backup: DemoBackup;
	readonly chats: ReadonlyArray<{readonly code: string; readonly name: string; readonly messages: number; readonly cached: number}>;
};

export type SeedOptions = {
	readonly chats: number;
	readonly force?: boolean;
	/** PRNG seed: the same seed gives the same sample (ids aside) */
	readonly seed?: number;
	readonly now?: number;
	/** how many chats to put out of sync (default 3, fewer for tiny samples) */
	readonly outOfSync?: number;
};

/** Seeds through the mutation guard: read-only refuses, the run (or the refusal) is audited. */
export async function seedDemo(deps: Deps, options: SeedOptions): Promise<DemoReport> {
	const target = `${deps.postgres.maskedUrl}, ${deps.redis.maskedUrl}, ${deps.config.sqlitePath}${options.force ? ' (--force: replaces the demo data)' : ''}`;
	return runMutation(deps.config, {action: 'demo', target}, () => seedUnguarded(deps, options));
}

async function seedUnguarded(deps: Deps, options: SeedOptions): Promise<DemoReport> {
	const started = performance.now();
	const {config} = deps;
	const layout = config.collections;
	const now = options.now ?? Date.now();
	const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
	const state = await inspectDemo(deps, {full: true});
	if (state.postgres.pending && !options.force) throw new DemoUnfinishedError();
	if (state.hasData && !options.force) throw new DemoExistsError(describeExisting(state, config.sqlitePath));

	const own = new Set(options.force ? state.postgres.codes : []);
	const foreign = new Set([...state.redisKeys.keys()].filter(chat => !own.has(chat)));
	const chats = generateChats({chats: options.chats, now, random, avoid: new Set([...own, ...foreign])});
	const outOfSync = options.outOfSync ?? Math.min(3, Math.max(0, options.chats - 1));
	const {plans, report} = planCaches(chats, layout, random, outOfSync, now);

	// PostgreSQL in one transaction, under the seed lock (traffic steps finish first, then wait), and
	// committed with the "redis pending" marker naming every chat whose cache keys must go.
	const staleChats = await inTransaction(deps.postgres, async client => {
		await client.query('select pg_advisory_xact_lock(hashtext($1))', [seedLockName(layout)]);
		const stale = new Set<string>();
		if (options.force) {
			// read again under the lock: traffic may have opened chats since the inspection
			const s = demoSql(layout);
			const [row] = (await client.query<{chats: string | null; comment: string | null}>(`select to_regclass($1)::text as chats, obj_description(to_regclass($1), 'pg_class') as comment`, [s.chats])).rows;
			if (row?.chats) for (const r of (await client.query<{code: string}>(`select code from ${s.chats}`)).rows) stale.add(r.code);
			for (const chat of parseMarker(row?.comment).pending ?? []) stale.add(chat);
		}
		await createTables(client, layout, Boolean(options.force));
		await insertChats(client, layout, chats);
		await insertMessages(client, layout, plans.flatMap(p => p.db));
		await setMarker(client, layout, pendingComment([...stale]));
		return stale;
	});

	// Redis: first every key of the stale chats (scanned now: traffic wrote until the lock), then
	// the new caches, then the marker cleared. A kill in between is finished by the next --force.
	const keysNow = staleChats.size > 0 ? await scanLayoutKeys(deps.redis, layout, {count: config.scanCount}) : new Map<string, string[]>();
	const stale = [...staleChats].flatMap(chat => keysNow.get(chat) ?? []);
	if (stale.length > 0) await runCommands(deps.redis, stale.map(key => ['del', key] as const));
	const commands: RedisCommand[] = [];
	const counts = {messageKeys: 0, cachedMessages: 0, pinnedKeys: 0, pinnedMessages: 0, backroomKeys: 0, backroomMessages: 0, reactionKeys: 0};
	for (const {chat, cache} of plans) {
		const ttl = ttlLeft(layout.ttlSeconds, chat.messages.at(-1)?.createdMs, now);
		if (cache.length > 0) {
			const key = keyFor(layout.messages, {chat: chat.code});
			commands.push(...zadd(key, cache, m => m.createdMs), ['expire', key, ttl]);
			counts.messageKeys++;
			counts.cachedMessages += cache.length;
		}
		const pinned = chat.messages.filter(m => m.pinnedUntil !== undefined && m.pinnedUntil > now);
		if (pinned.length > 0) {
			const key = keyFor(layout.pinned, {chat: chat.code});
			commands.push(...zadd(key, pinned, m => m.pinnedUntil!), ['expire', key, ttlLeft(layout.pinnedTtlSeconds, Math.max(...pinned.map(m => m.createdMs)), now)]);
			counts.pinnedKeys++;
			counts.pinnedMessages += pinned.length;
		}
		if (chat.backroom.length > 0) {
			const key = keyFor(layout.backroom, {chat: chat.code});
			commands.push(...zadd(key, chat.backroom, m => m.createdMs), ['expire', key, ttlLeft(layout.ttlSeconds, chat.backroom.at(-1)!.createdMs, now)]);
			counts.backroomKeys++;
			counts.backroomMessages += chat.backroom.length;
		}
		for (const m of cache) {
			if (random() >= 0.12) continue;
			const key = keyFor(layout.reactions, {chat: chat.code, message: m.id});
			commands.push(['hset', key, ...Object.entries(makeReactions(random)).flat()], ['expire', key, ttl]);
			counts.reactionKeys++;
		}
	}
	await runCommands(deps.redis, commands);
	await setMarker(deps.postgres, layout, demoMarker);

	const sqlite = await seedSqlite(config.sqlitePath, {random, now, chats: chats.map(c => c.code)});
	const backup = await makeDemoBackup(config);

	const users = new Map<string, readonly string[]>();
	for (const chat of chats) for (const u of chat.users) users.set(u.username, u.badges);
	const dbMessages = plans.reduce((n, p) => n + p.db.length, 0);
	return {
		replaced: Boolean(options.force) && state.hasData,
		durationMs: Math.round(performance.now() - started),
		postgres: {
			url: deps.postgres.maskedUrl,
			chatsTable: layout.chatsTable,
			messagesTable: layout.table,
			chats: chats.length,
			messages: dbMessages,
			pinned: plans.reduce((n, p) => n + p.db.filter(m => m.pinnedUntil !== undefined).length, 0),
			users: users.size,
			verified: [...users.values()].filter(b => b.includes('verified')).length,
			hosts: chats.length,
		},
		redis: {
			url: deps.redis.maskedUrl,
			keys: counts.messageKeys + counts.pinnedKeys + counts.backroomKeys + counts.reactionKeys,
			...counts,
			deletedKeys: stale.length,
			foreignKeys: [...foreign].filter(chat => !staleChats.has(chat)).reduce((n, chat) => n + (state.redisKeys.get(chat)?.length ?? 0), 0),
		},
		outOfSync: report,
		sqlite,
		backup,
		chats: plans.map(p => ({code: p.chat.code, name: p.chat.name, messages: p.db.length, cached: p.cache.length})),
	};
}
