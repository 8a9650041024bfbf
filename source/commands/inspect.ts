// opsdeck inspect KEY [--limit N] [--json]: type, TTL, memory and a bounded preview of the value.
// KEY is read in the form `opsdeck keys` prints (backends/redis/key-bytes keyText): `\xHH` a byte, `\\` a
// backslash, so a key that is not UTF-8 can be named (issue 14, point 3). When no key has that
// name, the text as typed is tried (a key whose name really holds `\x41`).
import {keyDetails} from '../cache/keys.js';
import {isBinaryKey, keyHex, keyText, nameFromArgument, parseKeyName} from '../backends/redis/key-bytes.js';
import {previewLimits, readValue} from '../cache/values.js';
import {formatBytes, formatTtl} from '../text/format.js';
import {sanitize} from '../text/sanitize.js';
import {rows, sizeLine, valueLines} from '../text/value-text.js';
import {CommandError, intFlag, print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	const typed = ctx.args[0];
	if (typed === undefined || ctx.args.length > 1) throw new UsageError('usage: opsdeck inspect KEY [--limit N] [--json]');
	const limit = intFlag(ctx.flags.limit, 'limit', previewLimits.items, 1, 10_000);
	await ctx.backends.redis.ready();
	const named = nameFromArgument(typed);
	if ('problem' in named) throw new UsageError(named.problem);
	const parsed = parseKeyName(typed);
	const names = parsed === undefined || parsed === typed ? [typed] : [parsed, typed];
	const detail = (await keyDetails(ctx.backends.redis, names)).find(d => d.type !== 'none');
	if (!detail) throw new CommandError(`no such key: ${sanitize(typed)}`);
	const key = detail.key;
	const preview = await readValue(ctx.backends.redis, key, {limit});
	if (ctx.flags.json) {
		// a key that is not UTF-8 has no JSON string: its shown name and its exact bytes
		const name = isBinaryKey(key) ? {key: keyText(key), keyHex: keyHex(key)} : {key};
		printJson(ctx, {...name, type: detail.type, ttlMs: detail.pttl, memoryBytes: detail.bytes ?? null, total: preview.total, partial: preview.partial, next: preview.next ?? null, string: preview.string ?? null, items: preview.items});
		return 0;
	}
	const header = rows([
		['key', keyText(key)],
		['type', detail.type],
		['ttl', formatTtl(detail.pttl)],
		['memory', formatBytes(detail.bytes)],
		['size', sizeLine(preview)],
	]);
	print(ctx, `${header}\n\n${valueLines(preview).join('\n')}`);
	return 0;
}
