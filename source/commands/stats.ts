// opsdeck stats [--json]: exact totals over the whole cache (a full SCAN, never sampled).
import {cacheStats} from '../cache/stats.js';
import {formatCount, formatDuration, plural} from '../text/format.js';
import {sanitize} from '../text/sanitize.js';
import {rows} from '../text/value-text.js';
import {print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 0) throw new UsageError('usage: opsdeck stats [--json]');
	await ctx.backends.redis.ready();
	const s = await cacheStats(ctx.backends);
	if (ctx.flags.json) {
		printJson(ctx, s);
		return 0;
	}
	const c = s.configured;
	print(ctx, rows([
		['chats cached', formatCount(s.chatsCached)],
		['messages cached', formatCount(s.messagesCached)],
		['pinned caches', `${formatCount(s.pinnedCaches)} (${plural(s.pinnedMessages, 'message')})`],
		['backroom caches', `${formatCount(s.backroomCaches)} (${plural(s.backroomMessages, 'message')})`],
		['reaction caches', formatCount(s.reactionCaches)],
		['largest cache', s.largest ? `${sanitize(s.largest.key)} (${plural(s.largest.messages, 'message')})` : '-'],
		['max per cache', `${formatCount(c.maxMessages)}${s.overMax > 0 ? ` (${plural(s.overMax, 'cache')} over it)` : ''}`],
		['ttl', `${formatDuration(c.ttlSeconds * 1000)} (pinned ${formatDuration(c.pinnedTtlSeconds * 1000)})`],
		['scanned', `${plural(s.keysScanned, 'cache key')} on ${plural(s.masters, 'master')}`],
	]));
	return 0;
}
