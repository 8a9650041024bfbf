// opsdeck flush [--all] [--yes]: FLUSHDB ASYNC of the configured db (FLUSHALL ASYNC with --all).
// Without --yes it asks y/N on a terminal and refuses (exit 2, nothing deleted) without one.
import {startBackends} from '../backends/index.js';
import {flushRedis, flushTarget} from '../cache/flush.js';
import {refuseReadOnly} from '../mutations/registry.js';
import {sanitize} from '../text/sanitize.js';
import {confirm, print, printJson, UsageError, type CommandContext} from './shared.js';

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 0) throw new UsageError(`flush takes no arguments (got "${sanitize(ctx.args[0]!).slice(0, 40)}"); --all flushes every db`);
	const all = ctx.flags.all ?? false;
	// refused (and audited) before Redis is touched or anything asked; flushRedis refuses again itself
	refuseReadOnly(ctx.config, {action: 'flush', target: `${all ? 'FLUSHALL' : 'FLUSHDB'} on ${ctx.backends.redis.maskedUrl}`});
	await startBackends(ctx.backends);
	await ctx.backends.redis.ready();
	const target = await flushTarget(ctx.backends, {all});
	await confirm(ctx, {action: 'flush', target: target.description}, `${target.description}. Flush?`);
	const {ms} = await flushRedis(ctx.config, ctx.backends, target);
	if (ctx.flags.json) printJson(ctx, {...target, flushed: true, ms});
	else print(ctx, `flushed: ${target.description} (${ms} ms)`);
	return 0;
}
