// opsdeck message ID: one message as PostgreSQL has it and where Redis caches it.
import {findMessage} from '../cache/compare.js';
import {sanitize} from '../text/sanitize.js';
import {messageLine, rows} from '../text/value-text.js';
import {CommandError, print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	const id = ctx.args[0];
	if (id === undefined || id === '' || ctx.args.length > 1) throw new UsageError('usage: opsdeck message ID [--json]');
	await ctx.backends.redis.ready();
	const found = await findMessage(ctx.backends, id);
	// a lookup PostgreSQL could not answer is a failure (exit 1), but what Redis has is still shown
	const code = found.database.error || (!found.database.found && !found.redis.found) ? 1 : 0;
	if (ctx.flags.json) {
		printJson(ctx, found);
		return code;
	}
	if (!found.database.found && !found.redis.found && !found.database.error) throw new CommandError(`message ${sanitize(id)} is neither in PostgreSQL nor in Redis`);
	const row = found.database.row;
	const lines = [
		`message ${sanitize(id)}`,
		'',
		'postgres:',
		row
			? rows([
				['  chat', sanitize(row.chat)],
				['  username', sanitize(row.username ?? '')],
				['  created', sanitize(row.createdAt ?? '')],
				['  content', sanitize(row.content ?? '')],
			])
			: found.database.error ? `  unavailable: ${sanitize(found.database.error)}` : '  not found',
		'',
		'redis:',
	];
	if (found.redis.locations.length === 0) lines.push('  not cached');
	for (const l of found.redis.locations) lines.push(`  ${l.collection.padEnd(8)}  ${sanitize(l.key)}  score ${l.score}`, `            ${messageLine(l.message)}`);
	if (found.redis.reactions) {
		lines.push(`  reactions ${sanitize(found.redis.reactions.key)}  ${Object.entries(found.redis.reactions.counts).map(([e, n]) => `${sanitize(e)} ${n}`).join('  ')}`);
	}
	print(ctx, lines.join('\n'));
	return code;
}
