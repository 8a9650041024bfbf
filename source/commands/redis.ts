// opsdeck redis info | slowlog [--limit N] [--reset [--yes]] | latency | clients | kill ID [--yes]
//   | memory [PATTERN] [--depth N] [--top N] [--samples N] | bigkeys [PATTERN] [--top N]   [--json]
// The Redis server itself, on every server or every master of a Cluster: the same capability
// functions the console's Redis tab calls (source/redis-server/), the same presenters.
import {setTimeout as sleep} from 'node:timers/promises';
import {findClient, killClient, killRequest, KillTargetError, OwnClientError, parseKillTarget, readClients} from '../redis-server/clients.js';
import {readLatency} from '../redis-server/latency.js';
import {MemoryScan} from '../redis-server/memory.js';
import {ServerStats} from '../redis-server/server-stats.js';
import {servers} from '../redis-server/servers.js';
import {readSlowlog, resetSlowlog, slowlogResetRequest} from '../redis-server/slowlog.js';
import {auditRefusal, refuseReadOnly} from '../mutations/registry.js';
import {formatCount} from '../text/format.js';
import {outLine} from '../text/out.js';
import {bigkeysJson, bigkeysText, memoryJson, memoryText} from '../text/redis-memory-text.js';
import {clientsText, latencyText, serverLines, slowlogJson, slowlogText} from '../text/redis-server-text.js';
import {sanitize} from '../text/sanitize.js';
import {backendAddress, confirm, connectionFailure, intFlag, print, printJson, UsageError, type CommandContext} from './shared.js';

const usage = 'usage: opsdeck redis info | slowlog [--limit N] [--reset [--yes]] | latency | clients | kill ID [--yes] | memory [PATTERN] [--depth N] [--top N] [--samples N] | bigkeys [PATTERN] [--top N]   [--json]';

async function info(ctx: CommandContext): Promise<number> {
	const {redis} = ctx.backends;
	// rates are deltas between two samples, not averages since the server started
	const stats = new ServerStats();
	await stats.sample(redis);
	await sleep(ctx.config.pollIntervalMs);
	const samples = await stats.sample(redis);
	if (ctx.flags.json) printJson(ctx, {url: redis.maskedUrl, cluster: redis.isCluster, intervalMs: ctx.config.pollIntervalMs, servers: samples});
	else print(ctx, samples.map(s => serverLines(s)).join('\n\n'));
	return 0;
}

async function slowlog(ctx: CommandContext): Promise<number> {
	const {redis} = ctx.backends;
	if (ctx.flags.reset) {
		// refused (and audited) before anything is asked; the op refuses again itself
		refuseReadOnly(ctx.config, slowlogResetRequest(redis));
		const request = slowlogResetRequest(redis);
		await confirm(ctx, request, `${request.target}: empty the slow log?`);
		const dropped = await resetSlowlog(ctx.config, redis);
		if (ctx.flags.json) printJson(ctx, {reset: true, dropped});
		else print(ctx, `slow log emptied on ${servers(redis).length} server(s): ${formatCount(dropped)} entries dropped`);
		return 0;
	}
	const limit = intFlag(ctx.flags.limit, 'limit', 128, 1, 128);
	const log = await readSlowlog(redis, 128);
	if (ctx.flags.json) printJson(ctx, slowlogJson(log, limit));
	else print(ctx, slowlogText(log, limit));
	return 0;
}

async function latency(ctx: CommandContext): Promise<number> {
	const result = await readLatency(ctx.backends.redis);
	if (ctx.flags.json) printJson(ctx, {servers: result});
	else print(ctx, latencyText(result));
	return 0;
}

async function clients(ctx: CommandContext): Promise<number> {
	const {redis} = ctx.backends;
	const list = await readClients(redis);
	if (ctx.flags.json) printJson(ctx, {servers: servers(redis).map(s => s.name), clients: list});
	else print(ctx, clientsText(list, redis.isCluster));
	return 0;
}

async function kill(ctx: CommandContext): Promise<number> {
	const {redis} = ctx.backends;
	const typed = ctx.args[1];
	const target = typed === undefined ? undefined : parseKillTarget(typed);
	if (!target || ctx.args.length > 2) throw new UsageError(`redis kill takes one client ID (or SERVER/ID on a Cluster), as opsdeck redis clients shows it; ${usage}`);
	refuseReadOnly(ctx.config, {action: 'client-kill', target: `CLIENT KILL ID ${sanitize(typed!)} on ${redis.maskedUrl}`});
	try {
		const client = await findClient(redis, target);
		const request = killRequest(client);
		if (client.opsdeck) {
			auditRefusal(ctx.config, request, "one of this opsdeck's own connections");
			throw new OwnClientError(client);
		}
		const name = client.name ? ` named ${client.name}` : '';
		const which = `client ${client.id} on ${client.server} (${client.addr}${name})`;
		await confirm(ctx, request, `Kill ${which}, idle ${client.idleSeconds}s, last command ${client.cmd}?`);
		const killed = await killClient(ctx.config, redis, client);
		if (ctx.flags.json) printJson(ctx, {killed, client});
		else print(ctx, killed ? `killed ${which}` : `${which} had already gone`);
		return 0;
	} catch (error) {
		if (error instanceof KillTargetError || error instanceof OwnClientError) throw new UsageError(error.message);
		throw error;
	}
}

/** memory and bigkeys: one scan, with MEMORY USAGE (memory) or TYPE and a count only (bigkeys). */
async function scanCommand(ctx: CommandContext, usage_: boolean): Promise<number> {
	const verb = usage_ ? 'memory' : 'bigkeys';
	if (ctx.args.length > 2) throw new UsageError(`redis ${verb} takes one PATTERN (quote it: "chat:*"); ${usage}`);
	const depth = usage_ ? intFlag(ctx.flags.depth, 'depth', 2, 1, 32) : 1;
	const top = intFlag(ctx.flags.top, 'top', 10, 1, 10_000);
	const samples = intFlag(ctx.flags.samples, 'samples', 0, 0, 1_000_000);
	const scan = new MemoryScan(ctx.backends.redis, {pattern: ctx.args[1], depth, top, samples, usage: usage_, count: Math.max(ctx.config.scanCount, 1000)});
	// Ctrl-C stops after the batch in flight and prints what was summed, marked as stopped
	const stop = () => scan.stop();
	process.once('SIGINT', stop);
	const live = ctx.stderr.isTTY === true;
	let shownAt = 0;
	try {
		const report = await scan.run({
			onProgress: p => {
				if (!live || performance.now() - shownAt < 200) return;
				shownAt = performance.now();
				// the line is rewritten in place: the CR and erase-line are ours, the text goes through the writer
				ctx.stderr.write(`\r\x1b[K${outLine(`scanned ${formatCount(p.scanned)} of ${formatCount(p.total)} keys`)}`);
			},
		});
		if (live) ctx.stderr.write('\r\x1b[K');
		if (ctx.flags.json) printJson(ctx, usage_ ? memoryJson(report) : bigkeysJson(report));
		else print(ctx, usage_ ? memoryText(report, top) : bigkeysText(report, top));
		return report.progress.done ? 0 : 1;
	} finally {
		process.off('SIGINT', stop);
	}
}

const memory = (ctx: CommandContext) => scanCommand(ctx, true);
const bigkeys = (ctx: CommandContext) => scanCommand(ctx, false);

const verbs: Record<string, (ctx: CommandContext) => Promise<number>> = {info, slowlog, latency, clients, kill, memory, bigkeys};

export async function run(ctx: CommandContext): Promise<number> {
	const verb = ctx.args[0];
	const fn = verb === undefined ? undefined : verbs[verb];
	if (!fn) throw new UsageError(verb === undefined ? usage : `unknown redis command "${sanitize(verb).slice(0, 40)}"; ${usage}`);
	if (verb !== 'kill' && verb !== 'memory' && verb !== 'bigkeys' && ctx.args.length > 1) throw new UsageError(`redis ${verb} takes no arguments; ${usage}`);
	await ctx.backends.redis.ready();
	try {
		return await fn(ctx);
	} catch (error) {
		// a server killed or stalled under the command: named, with its address
		throw connectionFailure('redis', backendAddress(ctx.backends.redis.url, 6379), error) ?? error;
	}
}
