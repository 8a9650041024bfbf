// opsdeck inspect KEY [--limit N] [--json]: type, TTL, memory and a bounded preview of the value.
import {keyDetails} from '../ops/keys.js';
import {previewLimits, readValue} from '../ops/values.js';
import {formatBytes, formatTtl} from '../text/format.js';
import {sanitize} from '../text/sanitize.js';
import {rows, sizeLine, valueLines} from '../ops/value-text.js';
import {CommandError, intFlag, print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	const key = ctx.args[0];
	if (key === undefined || ctx.args.length > 1) throw new UsageError('usage: opsdeck inspect KEY [--limit N] [--json]');
	const limit = intFlag(ctx.flags.limit, 'limit', previewLimits.items, 1, 10_000);
	await ctx.backends.redis.ready();
	const [detail] = await keyDetails(ctx.backends.redis, [key]);
	if (!detail || detail.type === 'none') throw new CommandError(`no such key: ${sanitize(key)}`);
	const preview = await readValue(ctx.backends.redis, key, {limit});
	if (ctx.flags.json) {
		printJson(ctx, {key, type: detail.type, ttlMs: detail.pttl, memoryBytes: detail.bytes ?? null, total: preview.total, partial: preview.partial, next: preview.next ?? null, string: preview.string ?? null, items: preview.items});
		return 0;
	}
	const header = rows([
		['key', sanitize(key)],
		['type', detail.type],
		['ttl', formatTtl(detail.pttl)],
		['memory', formatBytes(detail.bytes)],
		['size', sizeLine(preview)],
	]);
	print(ctx, `${header}\n\n${valueLines(preview).join('\n')}`);
	return 0;
}
