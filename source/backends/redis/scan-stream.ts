// SCAN over a bare connection, for a command that streams every key to stdout (`opsdeck keys`, bench
// P1: 1M keys). Through ioredis each SCAN reply became an array of Buffers and the next SCAN went out
// only once all of it was parsed: the server sat idle for every reply's transfer and parse. Here the
// next SCAN is written as soon as the reply's cursor has arrived (the first bytes of the reply), so
// Redis produces the next batch while this one is read, and each key is handed over as a slice of
// the bytes received (no string, no array) to be written straight to the output.
// Same server, credentials, db and connection name as the ioredis client (RedisBackend.pipeTarget),
// the handshake checked before any SCAN is sent; ioredis' timeouts (connect, then per command).
import type net from 'node:net';
import {checkHello, connectSocket, encodeCommand, encodeCommandBytes, helloCommands, ReplyReader, type PipeTarget, type RawReply} from './pipe.js';

/** One key: its exact bytes are buffer[start..end) (valid until the callback returns). */
export type KeySink = (buffer: Buffer, start: number, end: number) => void;

export type ScanStreamOptions = {
	/** MATCH, as the exact bytes (keyBytes of the pattern) */
	readonly match: string | Buffer;
	readonly count: number;
	/**
	 * COUNT doubles after each SCAN from `count` up to this (a listing of every key: fewer round
	 * trips, each of which leaves the server idle while the reply travels and the next SCAN comes
	 * back); the first SCAN keeps `count`, so a short listing (--limit, a narrow MATCH on a small
	 * db) asks no more of the server than before. Default: `count` throughout.
	 */
	readonly maxCount?: number;
	/** SCAN ... TYPE t */
	readonly type?: string;
	/** connecting and the handshake */
	readonly connectTimeoutMs: number;
	/**
	 * Opened without ioredis (RedisBackend.plainTarget): open() also asks INFO cluster, and fails with
	 * NotPlainError for a cluster node or any handshake reply that is an error (an AUTH ioredis only
	 * warns about, a server still loading): the caller then goes through ioredis, which says it.
	 */
	readonly plain?: boolean;
	/** the longest wait for a SCAN's reply (ioredis' commandTimeout) */
	readonly commandTimeoutMs: number;
	/** each key, in the order the server sent them */
	readonly onKey: KeySink;
	/** after each read from the socket (its keys were all handed to onKey): where a writer flushes */
	readonly onRead?: () => void;
};

const CR = 0x0d;

/** A plain open (see ScanStreamOptions.plain) found what only the ioredis path handles. */
export class NotPlainError extends Error {
	constructor(reason: string) {
		super(reason);
		this.name = 'NotPlainError';
	}
}

/** Where `\r\n` starts at or after `from`; -1 when it has not arrived. */
function lineEnd(buffer: Buffer, from: number): number {
	const at = buffer.indexOf(CR, from);
	return at === -1 || at + 1 >= buffer.length ? -1 : at;
}

/** The decimal number in buffer[from..to) (a RESP length or count; -1 for "-1"). */
function decimal(buffer: Buffer, from: number, to: number): number {
	if (buffer[from] === 0x2d) return -decimal(buffer, from + 1, to);
	let value = 0;
	for (let i = from; i < to; i++) {
		const digit = buffer[i]! - 0x30;
		if (digit < 0 || digit > 9) throw new Error(`unexpected reply from Redis (a length of ${JSON.stringify(buffer.toString('latin1', from, to).slice(0, 20))})`);
		value = value * 10 + digit;
	}
	return value;
}

/**
 * One master's scan: connect, DBSIZE (open()), then SCAN after SCAN (each sent as soon as the
 * previous reply's cursor is in) until the cursor comes back to 0 (scan()). scan() resolves when
 * every key was handed over, or stop() was called; it rejects with the server's error, a lost
 * connection or a timeout.
 */
export class ScanStream {
	/** DBSIZE at the start (after the handshake) */
	dbsize = 0;
	/** the cursor of the last reply whose header arrived ('0' before the first and at the end) */
	cursor = '0';
	/** a reply came with cursor 0: no further SCAN */
	lastSent = false;
	/** every key of every reply was handed over */
	done = false;
	/** keys handed over */
	returned = 0;
	#socket: net.Socket | undefined;
	#opening: net.Socket | undefined;
	#args: (string | Buffer)[];
	#count: number;
	#rest: Buffer | undefined;
	/** keys still to come in the current reply; -1 between replies */
	#left = -1;
	#timer: NodeJS.Timeout | undefined;
	#timerMs = 0;
	#settle: {resolve(): void; reject(error: Error): void} | undefined;
	#finished = false;
	#opened: Promise<void> | undefined;
	#scanning: Promise<void> | undefined;
	#error: Error | undefined;

	constructor(
		readonly target: PipeTarget,
		readonly options: ScanStreamOptions,
	) {
		this.#count = options.count;
		this.#args = ['SCAN', '0', 'MATCH', options.match, 'COUNT', String(options.count)];
		if (options.type) this.#args.push('TYPE', options.type);
	}

	/** Connects (the handshake checked) and reads DBSIZE. */
	open(): Promise<void> {
		this.#opened ??= this.#open();
		return this.#opened;
	}

	/**
	 * Scans to the end (or stop()), opening first if need be. Rejects with the server's error, a
	 * lost connection or a timeout.
	 */
	scan(): Promise<void> {
		this.#scanning ??= (async () => {
			await this.open();
			if (this.#error) throw this.#error;
			if (this.#finished) return;
			await new Promise<void>((resolve, reject) => {
				this.#settle = {resolve, reject};
				this.#socket!.on('data', chunk => this.#onData(chunk));
				this.#send('0');
			});
		})();
		return this.#scanning;
	}

	/** Stops reading (a limit was reached): scan() resolves; the connection is closed. */
	stop(): void {
		this.#finish();
	}

	/** Stops reading the socket until resume() (the output is full). */
	pause(): void {
		this.#socket?.pause();
	}

	resume(): void {
		this.#socket?.resume();
	}

	async #open(): Promise<void> {
		try {
			await this.#connect();
		} catch (error) {
			this.#fail(error as Error);
			// stop() while connecting is no failure
			if (this.#error) throw this.#error;
		}
	}

	async #connect(): Promise<void> {
		const {target, options} = this;
		let failed: (error: Error) => void = () => undefined;
		const lost = new Promise<never>((_, reject) => {
			failed = reject;
		});
		// (a rejection after the race is over is nobody's)
		lost.catch(() => undefined);
		this.#settle = {resolve: () => failed(new Error('stopped')), reject: failed};
		this.#arm(options.connectTimeoutMs);
		const socket = await Promise.race([
			connectSocket(target, s => {
				this.#opening = s;
			}),
			lost,
		]);
		this.#opening = undefined;
		if (this.#finished) {
			socket.destroy();
			return;
		}
		this.#socket = socket;
		socket.on('error', error => this.#fail(error));
		socket.on('close', () => this.#fail(new Error('connection lost')));
		const hello = helloCommands(target);
		const asks = [...hello, ['DBSIZE'], ...(options.plain ? [['INFO', 'cluster']] : [])];
		const reader = new ReplyReader();
		const replies = await Promise.race([
			new Promise<RawReply[]>((resolve, reject) => {
				const got: RawReply[] = [];
				const onData = (chunk: Buffer) => {
					try {
						reader.push(chunk);
						for (let reply = reader.next(); reply !== undefined; reply = reader.next()) got.push(reply);
					} catch (error) {
						reject(error as Error);
						return;
					}
					if (got.length >= asks.length) {
						socket.off('data', onData);
						resolve(got);
					}
				};
				socket.on('data', onData);
				socket.write(asks.map(encodeCommand).join(''));
			}),
			lost,
		]);
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#settle = undefined;
		if (options.plain) {
			const refused = replies.find(reply => reply instanceof Error);
			if (refused) throw new NotPlainError(`${asks[replies.indexOf(refused)]![0]}: ${refused.message}`);
			if (/cluster_enabled:1/.test(String(replies[hello.length + 1]))) throw new NotPlainError('a cluster node');
		}
		checkHello(target, hello, replies);
		const dbsize = replies[hello.length];
		if (dbsize instanceof Error) throw dbsize;
		this.dbsize = Number(dbsize);
	}

	#send(cursor: string): void {
		this.#args[1] = cursor;
		if (cursor !== '0' && this.#count < (this.options.maxCount ?? 0)) {
			this.#count = Math.min(this.#count * 2, this.options.maxCount!);
			this.#args[5] = String(this.#count);
		}
		this.#arm(this.options.commandTimeoutMs);
		this.#socket!.write(encodeCommandBytes(this.#args));
	}

	/** (Re)starts the one timer: the reply to what was just sent must come within ms. */
	#arm(ms: number): void {
		// the same timer restarted (refresh) for every SCAN: no timer object per call
		if (this.#timer && this.#timerMs === ms) {
			this.#timer.refresh();
			return;
		}
		clearTimeout(this.#timer);
		this.#timerMs = ms;
		this.#timer = setTimeout(() => this.#fail(new Error(`no answer within ${ms} ms`)), ms);
	}

	#onData(chunk: Buffer): void {
		if (this.#finished) return;
		try {
			this.#read(chunk);
		} catch (error) {
			this.#fail(error as Error);
			return;
		}
		this.options.onRead?.();
	}

	#read(chunk: Buffer): void {
		const buffer = this.#rest ? Buffer.concat([this.#rest, chunk]) : chunk;
		this.#rest = undefined;
		const {onKey} = this.options;
		let pos = 0;
		while (pos < buffer.length && !this.#finished) {
			if (this.#left < 0) {
				const next = this.#header(buffer, pos);
				if (next < 0) break;
				pos = next;
			}
			let left = this.#left;
			// each key: $<length>\r\n<bytes>\r\n
			while (left > 0) {
				if (buffer[pos] !== 0x24) {
					if (pos >= buffer.length) break;
					throw new Error('unexpected reply from Redis (a key that is not a bulk string)');
				}
				const end = lineEnd(buffer, pos + 1);
				if (end < 0) break;
				const start = end + 2;
				const length = decimal(buffer, pos + 1, end);
				if (length < 0) throw new Error('unexpected reply from Redis (a key that is null)');
				const stop = start + length;
				if (stop + 2 > buffer.length) break;
				left--;
				this.returned++;
				onKey(buffer, start, stop);
				pos = stop + 2;
				if (this.#finished) return;
			}
			this.#left = left;
			if (left > 0) break;
			// this reply is complete
			this.#left = -1;
			if (this.lastSent) {
				this.done = true;
				this.#finish();
				return;
			}
		}
		if (pos < buffer.length) this.#rest = buffer.subarray(pos);
	}

	/**
	 * A reply's head: `*2\r\n$n\r\n<cursor>\r\n*<keys>\r\n` (or the server's error). The next SCAN is
	 * sent from here. Returns where the keys start, -1 when the head is not all here yet.
	 */
	#header(buffer: Buffer, from: number): number {
		if (buffer[from] === 0x2d) {
			const end = lineEnd(buffer, from);
			if (end < 0) return -1;
			throw new Error(buffer.toString('utf8', from + 1, end));
		}
		if (buffer[from] !== 0x2a) throw new Error(`unexpected reply from Redis (${JSON.stringify(String.fromCharCode(buffer[from]!))})`);
		const arrayEnd = lineEnd(buffer, from);
		if (arrayEnd < 0) return -1;
		const cursorHead = arrayEnd + 2;
		if (cursorHead >= buffer.length) return -1;
		const lengthEnd = lineEnd(buffer, cursorHead);
		if (lengthEnd < 0) return -1;
		const cursorStart = lengthEnd + 2;
		const cursorEnd = cursorStart + decimal(buffer, cursorHead + 1, lengthEnd);
		if (cursorEnd + 2 > buffer.length) return -1;
		const keysHead = cursorEnd + 2;
		if (keysHead >= buffer.length) return -1;
		const keysEnd = lineEnd(buffer, keysHead);
		if (keysEnd < 0) return -1;
		if (arrayEnd !== from + 2 || buffer[from + 1] !== 0x32 || buffer[cursorHead] !== 0x24 || buffer[keysHead] !== 0x2a) throw new Error('unexpected reply from Redis to SCAN');
		const cursor = buffer.toString('latin1', cursorStart, cursorEnd);
		this.cursor = cursor;
		// the server works on the next batch while this one is read
		// (the timer armed for this reply runs on until its last key is in)
		if (cursor === '0') this.lastSent = true;
		else this.#send(cursor);
		this.#left = Math.max(0, decimal(buffer, keysHead + 1, keysEnd));
		return keysEnd + 2;
	}

	#finish(): void {
		if (this.#finished) return;
		this.#finished = true;
		clearTimeout(this.#timer);
		this.#opening?.destroy();
		this.#socket?.destroy();
		this.#socket = undefined;
		this.#settle?.resolve();
	}

	#fail(error: Error): void {
		if (this.#finished) return;
		this.#finished = true;
		this.#error = error;
		clearTimeout(this.#timer);
		this.#opening?.destroy();
		this.#socket?.destroy();
		this.#socket = undefined;
		this.#settle?.reject(error);
	}
}
