// The cache against the source of truth: one chat's cached messages against its PostgreSQL rows,
// and one message looked up in both stores. Table and column names come from the config
// (validated as plain names) and are quoted; values are always parameters.
import type {Backends} from '../backends/index.js';
import type {CollectionsLayout} from '../config/config.js';
import {errorMessage} from '../text/mask.js';
import {escapeGlob, keyFor, patternFor} from './layout.js';
import {scanAll} from './keys.js';
import {keyBytes} from '../backends/redis/key-bytes.js';
import {parseFlat, type CachedMessage} from './messages.js';

type Deps = Pick<Backends, 'redis' | 'postgres' | 'config'>;

/** "public.messages" → "public"."messages" */
export function quoteIdent(name: string): string {
	return name
		.split('.')
		.map(part => `"${part.replaceAll('"', '""')}"`)
		.join('.');
}

function sqlNames(layout: CollectionsLayout) {
	const c = layout.columns;
	return {table: quoteIdent(layout.table), id: quoteIdent(c.id), chat: quoteIdent(c.chat), username: quoteIdent(c.username), content: quoteIdent(c.content), createdAt: quoteIdent(c.createdAt)};
}

export type Newest = {readonly id: string | undefined; readonly time: string | undefined} | undefined;

export type MessageRef = {readonly id: string; readonly time: string | undefined; readonly username?: string | undefined; readonly content?: string | undefined};

export type Comparison = {
	readonly chat: string;
	readonly redis: {readonly count: number; readonly newest: Newest; readonly ttlMs: number};
	readonly database: {readonly count: number; readonly newest: Newest; readonly window: number};
	readonly inSync: boolean;
	/** in the cache window (newest maxMessages, younger than the TTL) but not cached */
	readonly missing: readonly MessageRef[];
	/** cached, but the database does not have them */
	readonly extra: readonly MessageRef[];
	/** cached members without an id (not JSON, or no id field) */
	readonly unidentified: number;
};

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function iso(value: unknown): string | undefined {
	if (value instanceof Date) return value.toISOString();
	if (value === null || value === undefined) return undefined;
	return String(value);
}

/** Which of these ids the table has. An id column of type uuid rejects other text: those are simply absent. */
async function existingIds(deps: Deps, ids: readonly string[]): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const n = sqlNames(deps.config.collections);
	const sql = `select ${n.id}::text as id from ${n.table} where ${n.id} = any($1)`;
	let rows: {id: string}[];
	try {
		rows = await deps.postgres.query<{id: string}>(sql, [ids]);
	} catch (error) {
		if ((error as {code?: string}).code !== '22P02') throw error;
		const valid = ids.filter(id => uuidShape.test(id));
		rows = valid.length > 0 ? await deps.postgres.query<{id: string}>(sql, [valid]) : [];
	}
	return new Set(rows.map(r => r.id.toLowerCase()));
}

/** Cached messages of a chat, bounded: a cache far past its maximum is itself a finding. */
async function cachedMessages(deps: Deps, chat: string, cap = 100_000): Promise<{messages: CachedMessage[]; ttlMs: number}> {
	const key = keyFor(deps.config.collections.messages, {chat});
	const client = deps.redis.client;
	const [flat, ttlMs] = await Promise.all([client.zrange(keyBytes(key), -cap, -1, 'WITHSCORES'), client.pttl(keyBytes(key))]);
	return {messages: parseFlat(flat), ttlMs};
}

export async function compareChat(deps: Deps, chat: string): Promise<Comparison> {
	const layout = deps.config.collections;
	const n = sqlNames(layout);
	const [{messages, ttlMs}, countRows, windowRows] = await Promise.all([
		cachedMessages(deps, chat),
		deps.postgres.query<{count: string}>(`select count(*)::bigint as count from ${n.table} where ${n.chat} = $1`, [chat]),
		deps.postgres.query<{id: string; created_at: unknown; username: unknown; content: unknown}>(
			`select ${n.id}::text as id, ${n.createdAt} as created_at, ${n.username}::text as username, ${n.content}::text as content
			 from ${n.table} where ${n.chat} = $1 and ${n.createdAt} > now() - make_interval(secs => $2)
			 order by ${n.createdAt} desc limit $3`,
			[chat, layout.ttlSeconds, layout.maxMessages],
		),
	]);
	const newestRows = await deps.postgres.query<{id: string; created_at: unknown}>(
		`select ${n.id}::text as id, ${n.createdAt} as created_at from ${n.table} where ${n.chat} = $1 order by ${n.createdAt} desc limit 1`,
		[chat],
	);
	const cachedIds = new Set<string>();
	let unidentified = 0;
	for (const m of messages) {
		if (m.id) cachedIds.add(m.id.toLowerCase());
		else unidentified++;
	}
	const inDb = await existingIds(deps, [...cachedIds]);
	const missing: MessageRef[] = windowRows
		.filter(r => !cachedIds.has(r.id.toLowerCase()))
		.map(r => ({id: r.id, time: iso(r.created_at), username: r.username as string | undefined, content: r.content as string | undefined}));
	const extra: MessageRef[] = messages
		.filter(m => m.id && !inDb.has(m.id.toLowerCase()))
		.map(m => ({id: m.id!, time: m.createdAt, username: m.username, content: m.content}));
	const newestCached = messages.at(-1);
	const newestDb = newestRows[0];
	return {
		chat,
		redis: {count: messages.length, newest: newestCached ? {id: newestCached.id, time: newestCached.createdAt} : undefined, ttlMs},
		database: {count: Number(countRows[0]?.count ?? 0), newest: newestDb ? {id: newestDb.id, time: iso(newestDb.created_at)} : undefined, window: windowRows.length},
		inSync: missing.length === 0 && extra.length === 0,
		missing,
		extra,
		unidentified,
	};
}

export type MessageLookup = {
	readonly id: string;
	readonly database: {
		readonly found: boolean;
		/** PostgreSQL could not be asked (down, no such table): the Redis side is still shown */
		readonly error?: string;
		readonly row?: {readonly id: string; readonly chat: string; readonly username: string | null; readonly content: string | null; readonly createdAt: string | undefined};
	};
	readonly redis: {
		readonly found: boolean;
		readonly locations: readonly {readonly collection: 'messages' | 'pinned' | 'backroom'; readonly key: string; readonly score: number; readonly message: CachedMessage}[];
		readonly reactions?: {readonly key: string; readonly counts: Readonly<Record<string, number>>};
	};
};

/** ZSCAN MATCH *id* over one sorted set, bounded. */
async function findInZset(deps: Deps, key: string, id: string): Promise<CachedMessage[]> {
	const client = deps.redis.client;
	const found: CachedMessage[] = [];
	let cursor = '0';
	let rounds = 0;
	do {
		const [next, flat] = await client.zscan(keyBytes(key), cursor, 'MATCH', `*${escapeGlob(id)}*`, 'COUNT', 1000);
		cursor = next;
		for (const m of parseFlat(flat)) if (m.id?.toLowerCase() === id.toLowerCase()) found.push(m);
	} while (cursor !== '0' && ++rounds < 10_000);
	return found;
}

export async function findMessage(deps: Deps, id: string): Promise<MessageLookup> {
	const layout = deps.config.collections;
	const n = sqlNames(layout);
	let row: MessageLookup['database']['row'];
	let dbError: string | undefined;
	try {
		const rows = await deps.postgres.query<{id: string; chat: string; username: string | null; content: string | null; created_at: unknown}>(
			`select ${n.id}::text as id, ${n.chat}::text as chat, ${n.username}::text as username, ${n.content}::text as content, ${n.createdAt} as created_at
			 from ${n.table} where ${n.id} = $1 limit 1`,
			[id],
		);
		const r = rows[0];
		if (r) row = {id: r.id, chat: r.chat, username: r.username, content: r.content, createdAt: iso(r.created_at)};
	} catch (error) {
		// not a valid value for the id column (e.g. not a uuid): the database cannot have it
		if ((error as {code?: string}).code !== '22P02') dbError = errorMessage(error);
	}
	// Where to look in Redis: the chat the database names, else every chat's sorted sets.
	const collections = ['messages', 'pinned', 'backroom'] as const;
	const candidates: {collection: (typeof collections)[number]; key: string}[] = [];
	if (row) {
		for (const collection of collections) candidates.push({collection, key: keyFor(layout[collection], {chat: row.chat})});
	} else {
		for (const collection of collections) {
			const keys = await scanAll(deps.redis, {pattern: patternFor(layout[collection]), count: deps.config.scanCount, type: 'zset'});
			for (const key of keys) candidates.push({collection, key});
		}
	}
	const locations: {collection: (typeof collections)[number]; key: string; score: number; message: CachedMessage}[] = [];
	for (const {collection, key} of candidates) {
		for (const message of await findInZset(deps, key, id)) locations.push({collection, key, score: message.score, message});
	}
	const chat = row?.chat ?? locations[0]?.message.chat;
	let reactions: MessageLookup['redis']['reactions'];
	if (chat) {
		const key = keyFor(layout.reactions, {chat, message: id});
		const flat = await deps.redis.client.hgetall(keyBytes(key));
		if (Object.keys(flat).length > 0) reactions = {key, counts: Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, Number(v)]))};
	}
	return {id, database: row ? {found: true, row} : dbError ? {found: false, error: dbError} : {found: false}, redis: {found: locations.length > 0, locations, reactions}};
}
