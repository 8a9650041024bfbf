// opsdeck demo [--chats N] [--seed N] [--force] [--traffic [--rate N]] [--json]: seeds the configured
// backends with a sample chat app (the same chats, codes and counts for the same --seed on backends
// without demo data); --traffic then keeps writing like the live app until Ctrl-C / SIGTERM.
// Existing data under the demo's names is refused (exit 2) unless --force; --traffic on demo data
// that is already there just starts writing.
import {DemoExistsError, DemoUnfinishedError, describeExisting, inspectDemo, seedDemo, type DemoReport} from '../demo/demo.js';
import {runTraffic, type TrafficCounts} from '../demo/traffic.js';
import {refuseReadOnly} from '../mutations/registry.js';
import {formatBytes, formatCount, formatDuration, plural} from '../text/format.js';
import {quote, sanitize, sanitizeMultiline} from '../text/sanitize.js';
import {intFlag, print, printJson, UsageError, type CommandContext} from './shared.js';

function summary(r: DemoReport): string {
	const out: string[] = [];
	out.push(`${r.replaced ? 'replaced' : 'seeded'} the demo data in ${formatDuration(r.durationMs)}`);
	out.push(`  PostgreSQL  ${r.postgres.url}`);
	out.push(`    ${r.postgres.chatsTable}: ${plural(r.postgres.chats, 'chat')}; ${r.postgres.messagesTable}: ${plural(r.postgres.messages, 'message')} (${formatCount(r.postgres.pinned)} pinned) by ${plural(r.postgres.users, 'user')} (${formatCount(r.postgres.verified)} verified, a host per chat)`);
	out.push(`  Redis       ${r.redis.url}`);
	out.push(`    ${plural(r.redis.keys, 'key')}: ${plural(r.redis.messageKeys, 'message cache')} (${plural(r.redis.cachedMessages, 'message')}), ${r.redis.pinnedKeys} pinned (${r.redis.pinnedMessages}), ${r.redis.backroomKeys} backroom (${formatCount(r.redis.backroomMessages)}), ${plural(r.redis.reactionKeys, 'reaction hash', 'reaction hashes')}`);
	if (r.redis.deletedKeys > 0) out.push(`    deleted ${plural(r.redis.deletedKeys, 'key')} of the previous demo chats first`);
	if (r.redis.foreignKeys > 0) out.push(`    left ${plural(r.redis.foreignKeys, 'layout key')} of other chats alone`);
	const t = r.sqlite.rows;
	out.push(`  SQLite      ${r.sqlite.path} (${r.sqlite.journalMode})`);
	out.push(`    players ${formatCount(t.players)}, inventories ${formatCount(t.inventories)}, moderation_log ${formatCount(t.moderation_log)}`);
	out.push(r.backup.created ? `    backup ${r.backup.path ?? r.backup.name ?? ''} (${formatBytes(r.backup.sizeBytes)})` : `    no backup made: ${r.backup.note ?? 'unknown reason'}`);
	if (r.outOfSync.length > 0) {
		out.push('  out of sync on purpose (try compare on these):');
		for (const o of r.outOfSync) out.push(`    ${o.chat}  ${o.missing.length} missing from the cache, ${o.extra.length} extra in the cache`);
	}
	const example = r.outOfSync[0]?.chat ?? r.chats[0]?.code;
	out.push('');
	out.push(`next: opsdeck   (the console)${example ? ` · opsdeck chat show ${example} --compare` : ''} · opsdeck demo --traffic`);
	return sanitizeMultiline(out.join('\n'));
}

function tickLine(tick: TrafficCounts, totals: TrafficCounts): string {
	const parts = [`+${plural(tick.messages, 'message')}`, plural(tick.reactions, 'reaction')];
	if (tick.deleted) parts.push(`${tick.deleted} deleted`);
	if (tick.trimmed) parts.push(`${tick.trimmed} trimmed`);
	if (tick.newChats.length) parts.push(`new chat ${tick.newChats.join(', ')}`);
	if (tick.waiting) parts.push('waiting for a demo reseed to finish');
	if (tick.errors) parts.push(`${tick.errors} failed: ${tick.lastError ?? ''}`);
	return sanitize(`${new Date().toISOString().slice(11, 19)}  ${parts.join(', ')}  (total ${formatCount(totals.messages)})`);
}

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 0) throw new UsageError(`demo takes no arguments (got ${quote(ctx.args[0])}); see opsdeck --help`);
	const chats = intFlag(ctx.flags.chats, 'chats', 24, 1, 500);
	const rate = intFlag(ctx.flags.rate, 'rate', 5, 1, 10_000);
	const seed = ctx.flags.seed === undefined ? undefined : intFlag(ctx.flags.seed, 'seed', 0, 0, 2 ** 32 - 1);
	// refused (and audited) before any store is touched
	refuseReadOnly(ctx.config, {action: 'demo', target: `${ctx.backends.postgres.maskedUrl}, ${ctx.backends.redis.maskedUrl}, ${ctx.config.sqlitePath}`});
	const {backends} = ctx;
	await Promise.all([backends.redis.ready(), backends.postgres.start()]);

	let report: DemoReport | undefined;
	const existing = ctx.flags.traffic && !ctx.flags.force ? await inspectDemo(backends) : undefined;
	// traffic would wait for ever on a reseed nobody is finishing
	if (existing?.postgres.pending) throw new UsageError(`refused: ${new DemoUnfinishedError().message}`);
	if (existing?.hasData) {
		// --traffic on data that is already there writes into it, but only into the demo's own tables
		if (!existing.postgres.marked || !existing.postgres.messagesTable) {
			throw new UsageError(`refused: ${describeExisting(existing, ctx.config.sqlitePath)}, not written by opsdeck demo; use --force to replace it`);
		}
	} else {
		try {
			report = await seedDemo(backends, {chats, seed, force: ctx.flags.force});
		} catch (error) {
			if (error instanceof DemoUnfinishedError) throw new UsageError(`refused: ${error.message}`);
			if (error instanceof DemoExistsError) throw new UsageError(`refused: already has demo data (${error.message}); use --force to replace it`);
			throw error;
		}
		if (ctx.flags.json) printJson(ctx, ctx.flags.traffic ? {seeded: report} : report, !ctx.flags.traffic);
		else print(ctx, summary(report));
	}
	if (!ctx.flags.traffic) return 0;

	const controller = new AbortController();
	const stop = () => controller.abort();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	try {
		if (!ctx.flags.json) print(ctx, `writing about ${plural(rate, 'message')} a second to ${backends.postgres.maskedUrl} and ${backends.redis.maskedUrl}; Ctrl-C stops`);
		const totals = await runTraffic(backends, {
			rate,
			signal: controller.signal,
			onTick: (tick, sums) => (ctx.flags.json ? printJson(ctx, {tick}, false) : print(ctx, tickLine(tick, sums))),
		});
		if (ctx.flags.json) printJson(ctx, {stopped: totals}, false);
		else print(ctx, sanitize(`stopped: wrote ${plural(totals.messages, 'message')}, ${plural(totals.reactions, 'reaction')}, deleted ${formatCount(totals.deleted)}, trimmed ${formatCount(totals.trimmed)}, ${plural(totals.newChats.length, 'new chat')}${totals.errors ? `, ${plural(totals.errors, 'failed step')}` : ''}`));
		return 0;
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}
}
