// opsdeck keys [PATTERN] [--type T] [--limit N] [--json]: SCAN (never KEYS), streamed — every
// batch is written as it arrives, so a million keys never sit in one string. No per-key round
// trips: the type filter is SCAN's own TYPE option. Like redis-cli --scan, a key SCAN returns twice
// (the table was resized meanwhile) is printed twice: nothing grows with the keyspace.
// Keys are printed as keyText shows them (a byte that is not UTF-8 as \xHH, a backslash doubled),
// the form `opsdeck inspect` reads back; in JSON a key that is not UTF-8 is an object with its
// exact bytes in hex beside that shown name (issue 14, point 3).
import {KeyScanner} from '../cache/keys.js';
import {isBinaryKey, keyHex, keyText} from '../backends/redis/key-bytes.js';
import {writeText} from '../text/out.js';
import {jsonText} from '../text/sanitize.js';
import {errorMessage} from '../text/mask.js';
import {formatCount, plural} from '../text/format.js';
import {intFlag, UsageError, warn, type CommandContext} from './shared.js';

function write(ctx: CommandContext, text: string): Promise<void> | undefined {
	if (writeText(ctx.stdout, text)) return undefined;
	return new Promise(resolve => ctx.stdout.once('drain', resolve));
}

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 1) throw new UsageError('keys takes one pattern (quote it: opsdeck keys "chat:*")');
	// one of redisTypes: --type's choices (cli/flags.ts)
	const type = ctx.flags.type;
	const limit = ctx.flags.limit === undefined ? undefined : intFlag(ctx.flags.limit, 'limit', 0, 1);
	const pattern = ctx.args[0] ?? '*';
	await ctx.backends.redis.ready();
	const scanner = new KeyScanner(ctx.backends.redis, {pattern, type, count: Math.max(ctx.config.scanCount, 1000), readAhead: true, dedupe: false});
	const json = ctx.flags.json === true;
	let count = 0;
	const pending: string[] = [];
	let pendingBytes = 0;
	if (json) await write(ctx, `{"pattern":${jsonText(pattern)},"type":${jsonText(type ?? null)},"keys":[`);
	while (!scanner.done && (limit === undefined || count < limit)) {
		let fresh: string[];
		try {
			fresh = await scanner.step();
		} catch (error) {
			// the JSON begun on stdout is closed, so a script reads what came and sees it is not all;
			// the error itself goes to stderr (exit 1) as ever
			if (json) await write(ctx, `${pending.join('')}],"count":${count},"complete":false,"error":${jsonText(errorMessage(error))}}\n`);
			else if (pending.length > 0) await write(ctx, pending.join(''));
			throw error;
		}
		// the scanner keeps every key for the console; a command only needs this batch
		scanner.keys.length = 0;
		if (limit !== undefined && count + fresh.length > limit) fresh = fresh.slice(0, limit - count);
		if (fresh.length === 0) continue;
		const text = json
			? (count > 0 ? ',' : '') + jsonText(fresh.map(k => (isBinaryKey(k) ? {key: keyText(k), keyHex: keyHex(k)} : k))).slice(1, -1)
			: fresh.map(k => keyText(k)).join('\n') + '\n';
		count += fresh.length;
		// one write per ~256 KB, not per batch: each write to a file or pipe is a syscall
		pending.push(text);
		pendingBytes += text.length;
		if (pendingBytes >= 256 * 1024) {
			const drained = write(ctx, pending.join(''));
			pending.length = 0;
			pendingBytes = 0;
			if (drained) await drained;
		}
	}
	if (pending.length > 0) await write(ctx, pending.join(''));
	const progress = scanner.progress();
	const dbsize = `DBSIZE ${formatCount(progress.total)}${progress.masters > 1 ? ` on ${plural(progress.masters, 'master')}` : ''}`;
	if (json) await write(ctx, `],"count":${count},"complete":${progress.done},"dbsize":${progress.total},"masters":${progress.masters}}\n`);
	// no match is said on stderr whatever stdout is (an empty result was silent: a typo looked like an
	// empty db); exit 0, the scan worked (PRODUCT.md: 1 is "failed"); stdout keeps only keys or JSON
	if (count === 0) warn(ctx, `no ${type === undefined ? '' : `${type} `}keys match ${pattern} (${dbsize})`);
	else if (!json && (ctx.stderr.isTTY || ctx.stdout.isTTY)) writeText(ctx.stderr, `${plural(count, 'key')}${progress.done ? '' : ' (limit reached)'} · ${dbsize}\n`);
	return 0;
}
