// opsdeck keys [PATTERN] [--type T] [--limit N] [--json]: SCAN (never KEYS), streamed — keys are
// written as they arrive, so a million keys never sit in one string. No per-key round trips: the
// type filter is SCAN's own TYPE option. Like redis-cli --scan, a key SCAN returns twice (the table
// was resized meanwhile) is printed twice: nothing grows with the keyspace.
// Keys are printed as keyText shows them (a byte that is not UTF-8 as \xHH, a backslash doubled),
// the form `opsdeck inspect` reads back; in JSON a key that is not UTF-8 is an object with its
// exact bytes in hex beside that shown name (issue 14, point 3).
// The scan runs on a bare connection per master (ScanStream: the next SCAN goes out as soon as a
// reply's cursor is in) and each key is written from the reply's bytes (KeyListWriter: the same
// text the string path gives, without a string per key): bench P1, listing 1M keys, is held to
// 1.25x the server's own CPU time for those SCANs.
import {keyBytes} from '../backends/redis/key-bytes.js';
import type {PipeTarget} from '../backends/redis/pipe.js';
import {ScanStream} from '../backends/redis/scan-stream.js';
import {KeyListWriter} from '../text/key-list.js';
import {writeText} from '../text/out.js';
import {jsonText} from '../text/sanitize.js';
import {errorMessage} from '../text/mask.js';
import {hostPort} from '../text/net-reason.js';
import {backendAddress, CommandError, connectionFailure, intFlag, UsageError, warn, type CommandContext} from './shared.js';

/** "127.0.0.1:6379" (or the socket path) a bare connection goes to: never its credentials. */
function targetAddress(target: PipeTarget): string {
	return target.path ?? hostPort(target.host ?? 'localhost', target.port ?? 6379);
}

/**
 * The error as `redis HOST:PORT: reason`, as `opsdeck redis` and `opsdeck pg` say a lost connection
 * (connectionFailure): a lost or stalled server, and a refusal at the handshake (WRONGPASS, NOAUTH,
 * no connection in time), named, so the operator knows which of the servers it was (profiles, .env,
 * REDIS_URL). A refused SELECT (WrongTargetError, exit 2) already names its URL; a reason that
 * already names the address is not given it twice. Exit 1 as before.
 */
function named(error: unknown, address: string): unknown {
	if (!(error instanceof Error) || error.name === 'WrongTargetError' || error instanceof UsageError) return error;
	const lost = connectionFailure('redis', address, error);
	if (lost) return lost;
	if (error.name !== 'BackendDownError') return error;
	const reason = errorMessage(error).replace(/^redis is down(: )?/, '') || 'down';
	return new CommandError(reason.includes(address) ? `redis is down: ${reason}` : `redis ${address}: ${reason}`);
}


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
	const redis = ctx.backends.redis;
	const json = ctx.flags.json === true;
	const output = new KeyListWriter(json);
	let streams: ScanStream[] = [];
	const scanStream = (target: PipeTarget, plain = false) =>
		new ScanStream(target, {
			// a blank pattern is every key (as the key browser takes it)
			match: keyBytes(pattern.trim() ? pattern : '*'),
			count: Math.max(ctx.config.scanCount, 1000),
			// then doubling up to 8x SCAN_COUNT for a whole listing, never above 8,000 (the default's
			// 8x) unless SCAN_COUNT itself is: 1M keys in ~130 SCANs instead of 1,000, and each round
			// trip leaves the server idle while the reply travels and the next SCAN comes back (bench
			// P1). One SCAN of 8,000 keys is ~5 ms of the server's time on the bench machine; other
			// clients are served between two. SCAN_COUNT is the operator's bound on one SCAN: a large
			// one is taken as it is, not multiplied (hostile report: SCAN_COUNT=100000 sent COUNT
			// 800,000, SCANs of 2-4 s). --limit stays at COUNT (the SCAN sent ahead is then one the
			// server need not have done: no larger than before)
			maxCount: limit === undefined ? Math.max(ctx.config.scanCount, Math.min(8 * ctx.config.scanCount, 8000)) : undefined,
			type,
			plain,
			connectTimeoutMs: redis.timeouts.connectMs,
			commandTimeoutMs: redis.timeouts.commandMs,
			onKey(buffer, start, end) {
				if (limit !== undefined && output.count >= limit) return;
				output.add(buffer, start, end);
				if (limit !== undefined && output.count >= limit) for (const stream of streams) stream.stop();
			},
			onRead: () => flush(),
		});
	// A plain redis:// URL: one bare connection, without loading ioredis (start-up is a tenth of
	// listing 1M keys). A cluster node, or any reply in the handshake that is an error (a password the
	// server does not need, a server still loading, a db refused, no connection at all), and it is
	// closed unread: ioredis connects as for every command, and says what it says.
	const plainTarget = redis.plainTarget();
	if (plainTarget) {
		const stream = scanStream(plainTarget, true);
		try {
			await stream.open();
			streams = [stream];
		} catch {
			stream.stop();
		}
	}
	// one bare connection per master (every master of a cluster), each scanning with its own cursor
	if (streams.length === 0) {
		try {
			await redis.ready();
		} catch (error) {
			throw named(error, backendAddress(redis.url, 6379));
		}
		streams = redis.masters().map(client => scanStream(redis.pipeTarget(client)));
	}
	let waiting: Promise<void> | undefined;
	// one write per ~256 KB, not per key or reply: each write to a file or pipe is a syscall; a full
	// pipe pauses the reading (Redis is not asked for more than one reply ahead meanwhile)
	const flush = (force = false) => {
		if (!force && output.pending < 256 * 1024) return;
		let ok = true;
		for (const chunk of output.take(force)) ok = ctx.stdout.write(chunk);
		if (ok || waiting) return;
		for (const stream of streams) stream.pause();
		waiting = new Promise(resolve => {
			ctx.stdout.once('drain', () => {
				waiting = undefined;
				for (const stream of streams) stream.resume();
				resolve();
			});
		});
	};
	if (json) await write(ctx, `{"pattern":${jsonText(pattern)},"type":${jsonText(type ?? null)},"keys":[`);
	try {
		// DBSIZE of every master first (the total), then the scans, in parallel
		// (each failure named with its own server: a cluster has several)
		const whose = (stream: ScanStream) => (error: unknown) => {
			throw named(error, targetAddress(stream.target));
		};
		await Promise.all(streams.map(stream => stream.open().catch(whose(stream))));
		await Promise.all(streams.map(stream => stream.scan().catch(whose(stream))));
	} catch (error) {
		for (const stream of streams) stream.stop();
		flush(true);
		// the JSON begun on stdout is closed, so a script reads what came and sees it is not all;
		// the error itself goes to stderr (exit 1) as ever
		if (json) await write(ctx, `],"count":${output.count},"complete":false,"error":${jsonText(errorMessage(error))}}\n`);
		throw error;
	}
	flush(true);
	await waiting;
	const count = output.count;
	const total = streams.reduce((sum, stream) => sum + stream.dbsize, 0);
	const done = streams.every(stream => stream.lastSent);
	const masters = streams.length;
	if (json) await write(ctx, `],"count":${count},"complete":${done},"dbsize":${total},"masters":${masters}}\n`);
	const summary = count === 0 || (!json && (ctx.stderr.isTTY || ctx.stdout.isTTY));
	if (!summary) return 0;
	// (format.js, with string-width's tables, loaded only for a line to say: not for a script's run)
	const {formatCount, plural} = await import('../text/format.js');
	const dbsize = `DBSIZE ${formatCount(total)}${masters > 1 ? ` on ${plural(masters, 'master')}` : ''}`;
	// no match is said on stderr whatever stdout is (an empty result was silent: a typo looked like an
	// empty db); exit 0, the scan worked (PRODUCT.md: 1 is "failed"); stdout keeps only keys or JSON
	if (count === 0) warn(ctx, `no ${type === undefined ? '' : `${type} `}keys match ${pattern} (${dbsize})`);
	else writeText(ctx.stderr, `${plural(count, 'key')}${done ? '' : ' (limit reached)'} · ${dbsize}\n`);
	return 0;
}
