// A bare second connection to one Redis server for the Monitor's count pipelines. Every tick sends a
// count and a PTTL for each watched key — 2,000 commands a second for 1,000 keys — and through
// ioredis each one is an object, a promise, a timer and a reply callback: most of an idle console's
// CPU (bench P5c). Here a tick is one write of the whole pipeline (already encoded) and one pass
// over the replies, with one timeout for the lot. Same server, same credentials, same commands,
// still one round trip; the connection is opened when first needed and again after any failure.
import net from 'node:net';
import type {ConnectionOptions} from 'node:tls';
import {addOwnClient, ownServerKey, removeOwnClient} from './own-clients.js';
import {quote} from '../../text/sanitize.js';

export type RawReply = number | string | null | Error | RawReply[];

export type PipeTarget = {
	readonly host?: string;
	readonly port?: number;
	/** a unix socket instead of host:port */
	readonly path?: string;
	readonly tls?: ConnectionOptions;
	readonly username?: string;
	readonly password?: string;
	readonly db?: number;
	readonly connectionName?: string;
};

/** One command in RESP (arguments as UTF-8). */
export function encodeCommand(args: readonly string[]): string {
	let out = `*${args.length}\r\n`;
	for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
	return out;
}

/** One command in RESP with each Buffer argument sent as its exact bytes (a key's keyBytes). */
export function encodeCommandBytes(args: readonly (string | Buffer)[]): Buffer {
	if (args.every(arg => typeof arg === 'string')) return Buffer.from(encodeCommand(args as readonly string[]));
	const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
	for (const arg of args) {
		const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
		parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
	}
	return Buffer.concat(parts);
}

/** Parses RESP2 replies from a buffer; `undefined` when the next reply is not complete yet. */
export class ReplyReader {
	#buffer: Buffer = Buffer.alloc(0);
	#offset = 0;

	push(chunk: Buffer): void {
		this.#buffer = this.#offset < this.#buffer.length ? Buffer.concat([this.#buffer.subarray(this.#offset), chunk]) : chunk;
		this.#offset = 0;
	}

	/** The bytes not read yet (what came after the last complete reply). */
	rest(): Buffer {
		return this.#buffer.subarray(this.#offset);
	}

	next(): RawReply | undefined {
		const start = this.#offset;
		const reply = this.#read();
		if (reply === undefined) this.#offset = start;
		return reply;
	}

	#line(): string | undefined {
		const end = this.#buffer.indexOf('\r\n', this.#offset);
		if (end < 0) return undefined;
		const line = this.#buffer.toString('utf8', this.#offset + 1, end);
		this.#offset = end + 2;
		return line;
	}

	/** An integer reply's digits read straight from the bytes (the common case: counts and TTLs). */
	#integer(): number | undefined {
		const buffer = this.#buffer;
		let i = this.#offset + 1;
		let negative = false;
		if (buffer[i] === 0x2d) {
			negative = true;
			i++;
		}
		let value = 0;
		for (; i < buffer.length; i++) {
			const byte = buffer[i]!;
			if (byte === 0x0d) break;
			if (byte < 0x30 || byte > 0x39 || value > 2 ** 52) return this.#slowInteger();
			value = value * 10 + (byte - 0x30);
		}
		if (i + 1 >= buffer.length) return undefined;
		this.#offset = i + 2;
		return negative ? -value : value;
	}

	#slowInteger(): number | undefined {
		const line = this.#line();
		return line === undefined ? undefined : Number(line);
	}

	#read(): RawReply | undefined {
		if (this.#offset >= this.#buffer.length) return undefined;
		const type = this.#buffer[this.#offset];
		if (type === 0x3a) return this.#integer();
		const line = this.#line();
		if (line === undefined) return undefined;
		switch (type) {
			case 0x2b: // +
				return line;
			case 0x2d: // -
				return new Error(line);
			case 0x3a: // :
				return Number(line);
			case 0x24: {
				// $
				const length = Number(line);
				if (length < 0) return null;
				if (this.#offset + length + 2 > this.#buffer.length) return undefined;
				const value = this.#buffer.toString('utf8', this.#offset, this.#offset + length);
				this.#offset += length + 2;
				return value;
			}
			case 0x2a: {
				// *
				const length = Number(line);
				if (length < 0) return null;
				const items: RawReply[] = [];
				for (let i = 0; i < length; i++) {
					const item = this.#read();
					if (item === undefined) return undefined;
					items.push(item);
				}
				return items;
			}
			default:
				throw new Error(`unexpected reply from Redis (${quote(String.fromCharCode(type ?? 0))})`);
		}
	}
}

/** The handshake ioredis would do on a new connection: AUTH, SELECT, CLIENT SETNAME. */
export function helloCommands(target: PipeTarget): string[][] {
	const hello: string[][] = [];
	if (target.password) hello.push(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password]);
	if (target.db) hello.push(['SELECT', String(target.db)]);
	if (target.connectionName) hello.push(['CLIENT', 'SETNAME', target.connectionName]);
	return hello;
}

/**
 * ioredis' AUTH errors that it only warns about (then goes on): a password given to a server that
 * needs none (Redis < 6, and 6+'s default user), a username given to Redis < 6 (its next command is
 * refused with NOAUTH instead).
 */
const authWarnings = /no password is set|without any password configured for the default user|wrong number of arguments for 'auth' command/;

/**
 * Throws for a refused AUTH or SELECT among the handshake's replies, as ioredis does (a name
 * refused is no failure, nor an AUTH ioredis only warns about: its own connection said so).
 */
export function checkHello(target: PipeTarget, hello: readonly (readonly string[])[], replies: readonly RawReply[]): void {
	replies.forEach((reply, i) => {
		if (reply instanceof Error && hello[i]?.[0] === 'AUTH' && authWarnings.test(reply.message)) return;
		if (reply instanceof Error && hello[i]?.[0] !== 'CLIENT') {
			// a refused SELECT names its db (the socket would otherwise count db 0); AUTH never its password
			const command = hello[i]?.[0] === 'SELECT' ? `SELECT ${target.db}` : (hello[i]?.[0] ?? 'the handshake');
			throw new Error(`${command}: ${reply.message}`);
		}
	});
}

/**
 * A socket to the target, connected (TLS when the target has TLS options), no delay. onOpening sees
 * the socket at once, so a caller's timeout can destroy one that is still connecting.
 */
export async function connectSocket(target: PipeTarget, onOpening?: (socket: net.Socket) => void): Promise<net.Socket> {
	// (node:tls loaded only for a TLS server: not on every console's start-up)
	const tls = target.tls ? await import('node:tls') : undefined;
	const socket = await new Promise<net.Socket>((resolve, reject) => {
		const options = target.path ? {path: target.path} : {host: target.host ?? '127.0.0.1', port: target.port ?? 6379};
		const s: net.Socket = tls && target.tls ? tls.connect({...options, ...target.tls}, () => resolve(s)) : net.connect(options, () => resolve(s));
		onOpening?.(s);
		s.once('error', reject);
		s.once('close', () => reject(new Error('connection lost')));
	});
	socket.setNoDelay(true);
	return socket;
}

type Waiting = {
	readonly want: number;
	/** sized for `want` up front (a 2,001-reply tick grew its array through a dozen copies) */
	readonly replies: RawReply[];
	got: number;
	resolve(replies: RawReply[]): void;
	reject(error: Error): void;
};

export class RawPipe {
	#socket: net.Socket | undefined;
	/** the socket being opened (dropped with the rest when the call times out) */
	#opening: net.Socket | undefined;
	#reader = new ReplyReader();
	#waiting: Waiting | undefined;
	#chain: Promise<unknown> = Promise.resolve();
	#closed = false;
	/** the server's CLIENT ID for the open socket */
	#clientId: number | undefined;

	constructor(readonly target: PipeTarget, readonly timeoutMs = 5000) {}

	/**
	 * Writes `payload` (`count` encoded commands) and resolves with their replies in order. One at a
	 * time: a second call waits for the first. Past `timeoutMs` (connecting included) the connection
	 * is dropped and the call rejects; the next call connects again.
	 */
	exec(payload: string | Buffer, count: number, timeoutMs = this.timeoutMs): Promise<RawReply[]> {
		const run = this.#chain.then(() => this.#exec(payload, count, timeoutMs));
		this.#chain = run.catch(() => undefined);
		return run;
	}

	close(): void {
		this.#closed = true;
		this.#drop(new Error('closed'));
	}

	async #exec(payload: string | Buffer, count: number, timeoutMs: number): Promise<RawReply[]> {
		if (this.#closed) throw new Error('closed');
		let timer: NodeJS.Timeout | undefined;
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				const error = new Error(`no answer within ${timeoutMs} ms`);
				this.#drop(error);
				reject(error);
			}, timeoutMs);
		});
		try {
			return await Promise.race([this.#send(payload, count), deadline]);
		} finally {
			clearTimeout(timer);
		}
	}

	async #send(payload: string | Buffer, count: number): Promise<RawReply[]> {
		if (!this.#socket) await this.#connect();
		return this.#request(payload, count);
	}

	#request(payload: string | Buffer, count: number): Promise<RawReply[]> {
		const socket = this.#socket;
		if (!socket) return Promise.reject(new Error('connection lost'));
		return new Promise<RawReply[]>((resolve, reject) => {
			this.#waiting = {want: count, replies: new Array<RawReply>(count), got: 0, resolve, reject};
			if (count === 0) this.#settle();
			socket.write(payload);
		});
	}

	async #connect(): Promise<void> {
		const {target} = this;
		const socket = await connectSocket(target, s => {
			this.#opening = s;
		}).finally(() => {
			this.#opening = undefined;
		});
		socket.unref();
		this.#reader = new ReplyReader();
		this.#socket = socket;
		// (events of a socket already dropped must not touch the one that replaced it)
		socket.on('data', chunk => {
			if (this.#socket === socket) this.#onData(chunk);
		});
		socket.on('error', error => {
			if (this.#socket === socket) this.#drop(error);
		});
		socket.on('close', () => {
			if (this.#socket === socket) this.#drop(new Error('connection lost'));
		});
		// the handshake ioredis would do (AUTH, SELECT, CLIENT SETNAME), then CLIENT ID: its id marks it
		// as ours in the client list (a name proves nothing: own-clients.ts)
		const hello = [...helloCommands(target), ['CLIENT', 'ID']];
		const replies = await this.#request(hello.map(encodeCommand).join(''), hello.length);
		const id = replies.at(-1);
		if (typeof id === 'number' && this.#socket === socket) {
			this.#clientId = id;
			addOwnClient(ownServerKey(target), id);
		}
		try {
			checkHello(target, hello, replies);
		} catch (error) {
			this.#drop(error as Error);
			throw error;
		}
	}

	#onData(chunk: Buffer): void {
		const waiting = this.#waiting;
		if (!waiting) return; // nothing asked: a late reply to a call that timed out (its socket is gone anyway)
		try {
			this.#reader.push(chunk);
			for (;;) {
				if (waiting.got >= waiting.want) break;
				const reply = this.#reader.next();
				if (reply === undefined) break;
				waiting.replies[waiting.got++] = reply;
			}
		} catch (error) {
			this.#drop(error as Error);
			return;
		}
		this.#settle();
	}

	#settle(): void {
		const waiting = this.#waiting;
		if (waiting && waiting.got >= waiting.want) {
			this.#waiting = undefined;
			waiting.resolve(waiting.replies);
		}
	}

	#drop(error: Error): void {
		const socket = this.#socket;
		this.#socket = undefined;
		if (this.#clientId !== undefined) removeOwnClient(ownServerKey(this.target), this.#clientId);
		this.#clientId = undefined;
		socket?.destroy();
		this.#opening?.destroy();
		const waiting = this.#waiting;
		this.#waiting = undefined;
		waiting?.reject(error);
	}
}
