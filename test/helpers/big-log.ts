// A big log file for the logs tests and the bench, generated once into a cache folder under the
// temp dir and reused by every later run (its name carries its size and the generator's version).
// Generation writes 1 MB blocks chosen from a few prebuilt ones: ~1-2 s a GB on a local disk.
// The lines mix what apps write: ISO-timestamped text, JSON (pino), logfmt, Python logging, UTF-8
// text, and one line over 64 KB per block; the file ends with 50 known lines (`tail line N`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const version = 1;
export const bigLogCache = path.join(os.tmpdir(), 'opsdeck-test-cache');
export const tailLines = Array.from({length: 50}, (_, i) => `2024-05-01T23:59:59.${String(i).padStart(3, '0')}Z INFO  tail line ${i}`);

/** A small deterministic PRNG (mulberry32): the same file on every machine. */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

function block(seed: number, bytes: number): Buffer {
	const rnd = random(seed);
	const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
	const n = (max: number) => Math.floor(rnd() * max);
	const paths = ['/api/chats/ABC123/messages', '/api/health', '/api/users/me', '/socket.io/', '/api/chats/Q9ZK2/pinned'];
	const lines: string[] = [];
	let size = 0;
	const ts = () => `2024-05-01T${String(10 + n(10)).padStart(2, '0')}:${String(n(60)).padStart(2, '0')}:${String(n(60)).padStart(2, '0')}.${String(n(1000)).padStart(3, '0')}Z`;
	const makers = [
		() => `${ts()} INFO  http GET ${pick(paths)} status=${pick([200, 200, 200, 201, 304, 404, 500, 502, 503])} ms=${n(900)} user=u${n(10_000)}`,
		() => `${ts()} ERROR db query failed: ${pick(['timeout after 5000ms', 'connection refused', 'deadlock detected'])} (pool=main)`,
		() => `{"level":${pick([30, 30, 40, 50])},"time":${1_714_557_600_000 + n(36_000_000)},"pid":812,"msg":"${pick(['slow request', 'cache miss', 'job done', 'socket closed'])}","ms":${n(3000)}}`,
		() => `time=${ts()} level=${pick(['info', 'warn', 'error', 'debug'])} msg="${pick(['redis refused', 'retrying', 'flushed'])}" addr=127.0.0.1:${6379 + n(3)}`,
		() => `2024-05-01 ${String(10 + n(10)).padStart(2, '0')}:00:0${n(10)},${String(n(1000)).padStart(3, '0')} - worker - ${pick(['INFO', 'WARNING', 'ERROR'])} - job ${n(100_000)} ${pick(['started', 'retried', 'failed'])}`,
		() => `${ts()} INFO  user «Zoë» said ✓ 日本語 in chat ${n(500)}`,
		() => `${pick(['ERROR', 'WARNING', 'INFO'])}:root:${pick(['worker exited', 'queue empty', 'timeout talking to redis'])}`,
	];
	while (size < bytes - 200) {
		const line = pick(makers)();
		lines.push(line);
		size += Buffer.byteLength(line) + 1;
	}
	// one line over 64 KB a block, with a word near its end (a grep must see the whole line)
	lines[Math.floor(lines.length / 2)] = `${ts()} DEBUG payload=${'x'.repeat(70_000)} needle-at-the-end`;
	return Buffer.from(lines.join('\n') + '\n');
}

/** The path of a log of about `megabytes` MB (generated now when it is not in the cache yet). */
export function bigLog(megabytes: number): string {
	fs.mkdirSync(bigLogCache, {recursive: true});
	const file = path.join(bigLogCache, `big-${megabytes}m-v${version}.txt`);
	if (fs.existsSync(file)) return file;
	const blocks = Array.from({length: 8}, (_, i) => block(i + 1, 1024 * 1024));
	const tmp = `${file}.tmp-${process.pid}`;
	const fd = fs.openSync(tmp, 'w');
	try {
		const rnd = random(42);
		let written = 0;
		const target = megabytes * 1024 * 1024;
		while (written < target) {
			const next = blocks[Math.floor(rnd() * blocks.length)]!;
			fs.writeSync(fd, next);
			written += next.length;
		}
		fs.writeSync(fd, tailLines.join('\n') + '\n');
	} finally {
		fs.closeSync(fd);
	}
	// another worker may have finished the same file first: the same bytes either way
	fs.renameSync(tmp, file);
	return file;
}

/** Megabytes of the suite's big log: 64 unless OPSDECK_BIG_LOG_MB says otherwise (the bench uses 1024). */
export const suiteBigLogMb = Number(process.env.OPSDECK_BIG_LOG_MB ?? 64);
