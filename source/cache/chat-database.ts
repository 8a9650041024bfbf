// Whether PostgreSQL knows a chat at all: `chat show CODE` with nothing cached tells a chat whose
// cache has expired (the app refills it) from a code nobody has (a typo), issue 16, point 6.
import type {Backends} from '../backends/index.js';
import {quoteIdent} from './compare.js';

type Deps = Pick<Backends, 'postgres' | 'config'>;

export type DatabaseChat = {
	/** rows of the messages table with this chat code */
	readonly messages: number;
	/** a row in the chats table (`code`, PRODUCT.md); false when the table or the column is not there */
	readonly listed: boolean;
};

// undefined_table, undefined_column: an app without a chats table of that shape
const absent = new Set(['42P01', '42703']);

export async function databaseChat(deps: Deps, chat: string): Promise<DatabaseChat> {
	const {table, chatsTable, columns} = deps.config.collections;
	const [counted, listed] = await Promise.all([
		deps.postgres.query<{count: string}>(`select count(*)::bigint as count from ${quoteIdent(table)} where ${quoteIdent(columns.chat)} = $1`, [chat]),
		deps.postgres.query<{found: boolean}>(`select true as found from ${quoteIdent(chatsTable)} where code::text = $1 limit 1`, [chat]).catch((error: unknown) => {
			if (absent.has(String((error as {code?: unknown}).code))) return [];
			throw error;
		}),
	]);
	return {messages: Number(counted[0]?.count ?? 0), listed: listed.length > 0};
}
