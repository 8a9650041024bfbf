// Backends for a test against its own servers, and a small seeded chat backend (the cache layout of
// PRODUCT.md "Collections" in Redis, the messages and chats tables in PostgreSQL) whose exact
// contents a test knows: which messages are cached, missing from the cache, or extra in it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import pg from 'pg';
import {createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {onProcessExit} from './exit-cleanup.js';

/** A temp folder, removed when the test process ends (59 empty ones were left per suite run). */
export function tempDir(prefix = 'opsdeck-keys-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	onProcessExit(() => fs.rmSync(dir, {recursive: true, force: true}));
	return dir;
}

export function testBackends(redisUrl: string, extra: {databaseUrl?: string; env?: Record<string, string>; cwd?: string} = {}): Backends {
	const cwd = extra.cwd ?? tempDir();
	const config = loadConfig({
		env: {
			REDIS_URL: redisUrl,
			DATABASE_URL: extra.databaseUrl ?? 'postgres://127.0.0.1:1/none',
			OPSDECK_AUDIT_LOG: path.join(cwd, 'audit.log'),
			SQLITE_PATH: path.join(cwd, 'app.db'),
			...extra.env,
		},
		cwd,
	});
	return createBackends(config);
}

export type SeedMessage = {id: string; chat: string; username: string; content: string; createdAt: Date; badges?: string[]};

export function message(chat: string, minutesAgo: number, content = `hello ${minutesAgo}`, username = 'ann'): SeedMessage {
	return {id: crypto.randomUUID(), chat, username, content, createdAt: new Date(Date.now() - minutesAgo * 60_000), badges: ['verified']};
}

export function memberJson(m: SeedMessage): string {
	return JSON.stringify({id: m.id, chat_code: m.chat, username: m.username, content: m.content, created_at: m.createdAt.toISOString(), badges: m.badges ?? []});
}

/** Writes messages into chat:{chat}:messages (score = created-at ms), with the default 24 h TTL. */
export async function cacheMessages(redis: Redis, chat: string, messages: readonly SeedMessage[], collection = 'messages'): Promise<void> {
	if (messages.length === 0) return;
	const key = `chat:${chat}:${collection}`;
	const args: (string | number)[] = [];
	for (const m of messages) args.push(m.createdAt.getTime(), memberJson(m));
	await redis.zadd(key, ...args);
	await redis.expire(key, 86_400);
}

export async function createChatTables(databaseUrl: string): Promise<pg.Client> {
	const client = new pg.Client({connectionString: databaseUrl});
	client.on('error', () => undefined);
	await client.connect();
	await client.query(`create table chats (code text primary key, name text);
		create table messages (id uuid primary key, chat_code text not null, username text, content text, created_at timestamptz not null default now());
		create index on messages (chat_code, created_at desc)`);
	return client;
}

export async function insertMessages(client: pg.Client, messages: readonly SeedMessage[]): Promise<void> {
	for (const m of messages) {
		await client.query('insert into chats (code, name) values ($1, $1) on conflict do nothing', [m.chat]);
		await client.query('insert into messages (id, chat_code, username, content, created_at) values ($1, $2, $3, $4, $5)', [m.id, m.chat, m.username, m.content, m.createdAt]);
	}
}
