// opsdeck chat list | show CODE [--messages N] [--reactions] [--compare [--limit N]] [--clear [--yes]]
import {chatDetail, chatKeys, clearChat, clearChatRequest, listChats, type ChatDetail} from '../cache/collections.js';
import {databaseChat, type DatabaseChat} from '../cache/chat-database.js';
import {compareChat} from '../cache/compare.js';
import {formatCount, formatTtl, plural} from '../text/format.js';
import {errorMessage} from '../text/mask.js';
import {sanitize} from '../text/sanitize.js';
// a chat code comes from a key's bytes: shown like the key (\xff, never a look-alike U+FFFD)
import {keyText, nameFromArgument} from '../backends/redis/key-bytes.js';
import {capComparison, comparisonText, messageLine, rows} from '../text/value-text.js';
import {CommandError, confirm, intFlag, print, printJson, UsageError, type CommandContext} from './shared.js';

const usage = 'usage: opsdeck chat list | show CODE [--messages N] [--reactions] [--compare [--limit N]] [--clear [--yes]]';

function table(header: readonly string[], body: readonly (readonly string[])[]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => r[i]!.length)));
	const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
	return [line(header), ...body.map(line)].join('\n');
}

async function list(ctx: CommandContext): Promise<number> {
	await ctx.backends.redis.ready();
	const chats = await listChats(ctx.backends);
	if (ctx.flags.json) {
		printJson(ctx, chats);
		return 0;
	}
	if (chats.length === 0) {
		print(ctx, 'no chat caches found');
		return 0;
	}
	const n = (v: number | null) => (v === null ? '-' : formatCount(v));
	print(ctx, table(
		['chat', 'messages', 'pinned', 'backroom', 'reactions', 'ttl'],
		chats.map(c => [keyText(c.chat), n(c.messages), n(c.pinned), n(c.backroom), formatCount(c.reactions), c.messages === null ? '-' : formatTtl(c.ttlMs)]),
	));
	print(ctx, plural(chats.length, 'chat'));
	return 0;
}

/** a key that does not exist has no TTL to speak of */
const ttl = (ms: number) => (ms === -2 ? '-' : formatTtl(ms));

function detailText(d: ChatDetail, withReactions: boolean): string {
	const out = [
		rows([
			['chat', keyText(d.chat)],
			['messages', `${formatCount(d.counts.messages)}  ttl ${ttl(d.ttlMs.messages)}  (${keyText(d.keys.messages)})`],
			['pinned', `${formatCount(d.counts.pinned)}  ttl ${ttl(d.ttlMs.pinned)}`],
			['backroom', `${formatCount(d.counts.backroom)}  ttl ${ttl(d.ttlMs.backroom)}`],
			['reaction caches', formatCount(d.counts.reactions)],
			['oldest', d.oldest ? messageLine(d.oldest) : '-'],
			['newest', d.newest ? messageLine(d.newest) : '-'],
		]),
	];
	if (d.messages.length > 0) out.push('', `last ${plural(d.messages.length, 'message')}:`, ...d.messages.map(m => `  ${messageLine(m)}`));
	if (d.pinned.length > 0) out.push('', 'pinned:', ...d.pinned.map(m => `  ${messageLine(m)}`));
	if (d.backroom.length > 0) out.push('', 'backroom:', ...d.backroom.map(m => `  ${messageLine(m)}`));
	if (withReactions) {
		out.push('', `reactions (${plural(d.counts.reactions, 'cache')}):`);
		for (const r of d.reactions ?? []) out.push(`  ${sanitize(r.message)}  ${Object.entries(r.counts).map(([e, n]) => `${sanitize(e)} ${n}`).join('  ')}`);
	}
	return out.join('\n');
}

async function show(ctx: CommandContext, code: string): Promise<number> {
	const messages = intFlag(ctx.flags.messages, 'messages', 20, 1, 100_000);
	await ctx.backends.redis.ready();
	if (ctx.flags.clear) {
		const keys = await chatKeys(ctx.backends, code);
		if (keys.length === 0) {
			if (ctx.flags.json) printJson(ctx, {chat: code, cleared: {deleted: 0, keys: []}});
			else print(ctx, `chat ${keyText(code)} has no cache keys: nothing to clear`);
			return 0;
		}
		await confirm(ctx, clearChatRequest(ctx.backends.redis, code, keys.length), `Delete the ${plural(keys.length, 'cache key')} of chat ${keyText(code)} on ${ctx.backends.redis.maskedUrl}?`);
		const result = await clearChat(ctx.backends, code, keys);
		if (ctx.flags.json) printJson(ctx, {chat: code, cleared: result});
		else print(ctx, `cleared chat ${keyText(code)}: ${plural(result.deleted, 'key')} deleted`);
		return 0;
	}
	const limit = intFlag(ctx.flags.limit, 'limit', 50, 1, 100_000);
	const detail = await chatDetail(ctx.backends, code, {messages, reactions: ctx.flags.reactions === true});
	const comparison = ctx.flags.compare ? capComparison(await compareChat(ctx.backends, code), limit) : undefined;
	// nothing cached: an expired cache (the app refills it) or a code nobody has (a typo)
	const stored = detail.empty ? await inDatabase(ctx, code) : undefined;
	if (ctx.flags.json) {
		printJson(ctx, {...detail, ...(stored ? {database: stored} : {}), comparison});
		return 0;
	}
	if (stored) {
		print(ctx, `chat ${keyText(code)}: nothing cached (${stored.messages > 0 ? `${plural(stored.messages, 'message')} in PostgreSQL` : 'in PostgreSQL\'s chats table, no messages'})`);
		if (!comparison) return 0;
	} else print(ctx, detailText(detail, ctx.flags.reactions === true));
	if (comparison) print(ctx, `\ncompare with postgres:\n${comparisonText(comparison)}`);
	return 0;
}

/** What PostgreSQL has of a chat with nothing cached; a CommandError (exit 1) when it has nothing. */
async function inDatabase(ctx: CommandContext, code: string): Promise<DatabaseChat> {
	let found: DatabaseChat;
	try {
		found = await databaseChat(ctx.backends, code);
	} catch (error) {
		throw new CommandError(`no chat ${keyText(code)} in the cache, and PostgreSQL could not be asked: ${errorMessage(error)}`);
	}
	if (found.messages === 0 && !found.listed) throw new CommandError(`no chat ${keyText(code)} in the cache or the database`);
	return found;
}

export async function run(ctx: CommandContext): Promise<number> {
	const [sub, code, ...rest] = ctx.args;
	if (sub === 'list' && code === undefined) return list(ctx);
	if (sub === 'show' && code !== undefined && code !== '' && rest.length === 0) {
		// CODE in the form `keys` and `chat list` print it: `\xff` is the byte, `\\` a backslash
		const named = nameFromArgument(code);
		if ('problem' in named) throw new UsageError(named.problem);
		return show(ctx, named.name);
	}
	throw new UsageError(usage);
}
