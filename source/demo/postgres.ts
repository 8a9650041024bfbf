// PostgreSQL for the demo: the chats and messages tables under the configured names, seeded in
// one transaction with unnest() batches (thousands of rows in well under a second).
import type {PoolClient} from 'pg';
import type {PostgresBackend} from '../backends/postgres.js';
import type {CollectionsLayout} from '../config/config.js';
import type {DemoMessage} from './data.js';

/** a pooled client inside a transaction, or the backend itself (one short transaction per call) */
export type Queryable = {query(text: string, params: unknown[]): Promise<unknown>};

/** A comment on the chats table: --traffic only writes into tables the demo made. */
export const demoMarker = 'opsdeck demo data';

// A reseed commits PostgreSQL with the marker "redis pending" (and the chats whose cache keys must
// go), writes Redis, then clears it: a run killed in between leaves the marker, the next
// `demo --force` finishes the job and `demo` alone says so. Traffic holds this advisory lock
// (shared) for each step and the reseed takes it exclusively, so they never interleave.
const pendingPrefix = `${demoMarker}; redis pending `;

/** The advisory lock's key: one per chats table. */
export function seedLockName(layout: CollectionsLayout): string {
	return `opsdeck demo seed ${layout.chatsTable}`;
}

/** The chats table's comment while Redis is not yet written: the stale chats ride along. */
export function pendingComment(stale: readonly string[]): string {
	return `${pendingPrefix}${JSON.stringify({stale})}`;
}

/** marked: the demo made this table; pending: the stale chats of an unfinished reseed. */
export function parseMarker(comment: string | null | undefined): {marked: boolean; pending: string[] | undefined} {
	if (comment === demoMarker) return {marked: true, pending: undefined};
	if (!comment?.startsWith(pendingPrefix)) return {marked: false, pending: undefined};
	try {
		const {stale} = JSON.parse(comment.slice(pendingPrefix.length)) as {stale?: unknown};
		return {marked: true, pending: Array.isArray(stale) ? stale.filter((c): c is string => typeof c === 'string') : []};
	} catch {
		return {marked: true, pending: []};
	}
}

/** COMMENT ON cannot take a parameter: a literal with its quotes doubled. */
export async function setMarker(client: Queryable, layout: CollectionsLayout, comment: string): Promise<void> {
	await client.query(`comment on table ${demoSql(layout).chats} is '${comment.replaceAll("'", "''")}'`, []);
}

/** "a.b" → "a"."b" (config.ts has already checked these are plain names). */
export function quoteIdent(name: string): string {
	return name.split('.').map(part => `"${part.replaceAll('"', '""')}"`).join('.');
}

export type DemoSql = {
	readonly chats: string;
	readonly messages: string;
	readonly id: string;
	readonly chat: string;
	readonly username: string;
	readonly content: string;
	readonly createdAt: string;
};

export function demoSql(layout: CollectionsLayout): DemoSql {
	const c = layout.columns;
	return {
		chats: quoteIdent(layout.chatsTable),
		messages: quoteIdent(layout.table),
		id: quoteIdent(c.id),
		chat: quoteIdent(c.chat),
		username: quoteIdent(c.username),
		content: quoteIdent(c.content),
		createdAt: quoteIdent(c.createdAt),
	};
}

export type PostgresState = {
	readonly chatsTable: boolean;
	readonly messagesTable: boolean;
	readonly chats: number;
	readonly messages: number;
	/** the chats table carries the demo's comment */
	readonly marked: boolean;
	/** chat codes in the chats table (the demo's own chats, when marked) */
	readonly codes: string[];
	/** a reseed committed PostgreSQL and did not finish Redis: the chats whose keys are stale */
	readonly pending: string[] | undefined;
};

export async function inspectPostgres(postgres: PostgresBackend, layout: CollectionsLayout): Promise<PostgresState> {
	const sql = demoSql(layout);
	const [row] = await postgres.query<{chats: string | null; messages: string | null; comment: string | null}>(
		`select to_regclass($1)::text as chats, to_regclass($2)::text as messages, obj_description(to_regclass($1), 'pg_class') as comment`,
		[sql.chats, sql.messages],
	);
	const chatsTable = Boolean(row?.chats);
	const messagesTable = Boolean(row?.messages);
	const codes = chatsTable ? (await postgres.query<{code: string}>(`select code from ${sql.chats} order by code`, [], {timeoutMs: 15_000})).map(r => r.code) : [];
	const messages = messagesTable ? Number((await postgres.query<{n: string}>(`select count(*) as n from ${sql.messages}`, [], {timeoutMs: 15_000}))[0]!.n) : 0;
	return {chatsTable, messagesTable, chats: codes.length, messages, ...parseMarker(row?.comment), codes};
}

/** BEGIN … COMMIT on one pooled client, with a statement timeout long enough for the seed. */
export function inTransaction<T>(postgres: PostgresBackend, fn: (client: PoolClient) => Promise<T>, timeoutMs = 60_000): Promise<T> {
	return postgres.transaction(fn, {timeoutMs});
}

/** Drops (when replace) and creates the two tables; the chats table is marked as the demo's. */
export async function createTables(client: PoolClient, layout: CollectionsLayout, replace: boolean): Promise<void> {
	const s = demoSql(layout);
	if (replace) await client.query(`drop table if exists ${s.messages}; drop table if exists ${s.chats};`);
	await client.query(`
		create table if not exists ${s.chats} (code text primary key, name text);
		create table if not exists ${s.messages} (
			${s.id} uuid primary key,
			${s.chat} text not null references ${s.chats} (code) on delete cascade,
			${s.username} text not null,
			${s.content} text not null,
			${s.createdAt} timestamptz not null default now(),
			badges text[] not null default '{}',
			pinned_until timestamptz null
		);
		create index if not exists ${quoteIdent(`${layout.table.split('.').pop()}_chat_created`)} on ${s.messages} (${s.chat}, ${s.createdAt} desc);
		comment on table ${s.chats} is '${demoMarker}';
	`);
}

export async function insertChats(client: Queryable, layout: CollectionsLayout, chats: ReadonlyArray<{code: string; name: string}>): Promise<void> {
	const s = demoSql(layout);
	await client.query(`insert into ${s.chats} (code, name) select * from unnest($1::text[], $2::text[])`, [chats.map(c => c.code), chats.map(c => c.name)]);
}

/** Multi-row inserts through unnest(), in batches; badges travel as comma-joined text. */
export async function insertMessages(client: Queryable, layout: CollectionsLayout, messages: readonly DemoMessage[], batch = 2000): Promise<void> {
	const s = demoSql(layout);
	const text = `insert into ${s.messages} (${s.id}, ${s.chat}, ${s.username}, ${s.content}, ${s.createdAt}, badges, pinned_until)
		select id, chat, username, content, created_at, case when badges = '' then '{}'::text[] else string_to_array(badges, ',') end, pinned_until
		from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::timestamptz[])
			as t(id, chat, username, content, created_at, badges, pinned_until)`;
	for (let start = 0; start < messages.length; start += batch) {
		const rows = messages.slice(start, start + batch);
		await client.query(text, [
			rows.map(m => m.id),
			rows.map(m => m.chat_code),
			rows.map(m => m.username),
			rows.map(m => m.content),
			rows.map(m => m.created_at),
			rows.map(m => m.badges.join(',')),
			rows.map(m => (m.pinnedUntil === undefined ? null : new Date(m.pinnedUntil).toISOString())),
		]);
	}
}
