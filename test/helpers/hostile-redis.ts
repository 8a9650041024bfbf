// A fake Redis for what a real one cannot produce: error replies that carry terminal escapes
// (issue 14, case 1). It speaks enough RESP for ioredis and our raw pipe to connect (PING, INFO,
// SELECT, AUTH, CLIENT, READONLY, QUIT) and answers every other command with `-ERR <payload>`,
// unless `answer` returns a reply of its own (raw RESP) for it.
import net from 'node:net';

export type HostileRedis = {
	readonly url: string;
	readonly port: number;
	/** every command received, upper-cased name first */
	readonly commands: string[][];
	stop(): Promise<void>;
};

export type HostileRedisOptions = {
	/** the text after `-ERR ` (no CR or LF: RESP cannot carry them in an error line) */
	readonly error: string;
	/** a raw RESP reply for a command, or undefined for the hostile error */
	readonly answer?: (args: readonly string[]) => string | undefined;
};

export const resp = {
	ok: '+OK\r\n',
	int: (n: number) => `:${n}\r\n`,
	bulk: (s: string | null) => (s === null ? '$-1\r\n' : `$${Buffer.byteLength(s)}\r\n${s}\r\n`),
	array: (items: readonly string[]) => `*${items.length}\r\n${items.join('')}`,
};

const info = [
	'# Server', 'redis_version:7.2.4', 'redis_mode:standalone', 'uptime_in_seconds:1000',
	'# Clients', 'connected_clients:1', 'blocked_clients:0',
	'# Memory', 'used_memory:1048576', 'used_memory_human:1.00M', 'maxmemory:0', 'maxmemory_policy:noeviction', 'mem_fragmentation_ratio:1.0',
	'# Persistence', 'loading:0', 'rdb_last_bgsave_status:ok', 'aof_enabled:0',
	'# Stats', 'instantaneous_ops_per_sec:0', 'keyspace_hits:0', 'keyspace_misses:0', 'evicted_keys:0', 'expired_keys:0',
	'# Replication', 'role:master', 'connected_slaves:0',
	'# Cluster', 'cluster_enabled:0',
	'# Keyspace', 'db0:keys=3,expires=0,avg_ttl=0',
].join('\r\n') + '\r\n';

function handshake(args: readonly string[]): string | undefined {
	switch (args[0]) {
		case 'PING': return '+PONG\r\n';
		case 'INFO': return resp.bulk(info);
		case 'SELECT':
		case 'AUTH':
		case 'CLIENT':
		case 'READONLY':
		case 'QUIT': return resp.ok;
		default: return undefined;
	}
}

/** Parses as many whole RESP arrays (or inline commands) as `buffer` holds; returns them and the rest. */
function parse(buffer: Buffer): {commands: string[][]; rest: Buffer} {
	const commands: string[][] = [];
	let pos = 0;
	for (;;) {
		if (pos >= buffer.length) break;
		const lineEnd = buffer.indexOf('\r\n', pos);
		if (lineEnd < 0) break;
		if (buffer[pos] !== 0x2a) {
			// inline command: words on one line
			commands.push(buffer.subarray(pos, lineEnd).toString().trim().split(/\s+/).filter(Boolean));
			pos = lineEnd + 2;
			continue;
		}
		const count = Number(buffer.subarray(pos + 1, lineEnd).toString());
		let at = lineEnd + 2;
		const args: string[] = [];
		let whole = true;
		for (let i = 0; i < count; i++) {
			const end = buffer.indexOf('\r\n', at);
			if (end < 0) {
				whole = false;
				break;
			}
			const length = Number(buffer.subarray(at + 1, end).toString());
			if (end + 2 + length + 2 > buffer.length) {
				whole = false;
				break;
			}
			args.push(buffer.subarray(end + 2, end + 2 + length).toString('latin1'));
			at = end + 2 + length + 2;
		}
		if (!whole) break;
		commands.push(args);
		pos = at;
	}
	return {commands, rest: buffer.subarray(pos)};
}

export async function startHostileRedis(options: HostileRedisOptions): Promise<HostileRedis> {
	if (/[\r\n]/.test(options.error)) throw new Error('an error line cannot hold CR or LF');
	const commands: string[][] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		let pending: Buffer = Buffer.alloc(0);
		socket.on('data', chunk => {
			pending = Buffer.concat([pending, chunk]);
			const parsed = parse(pending);
			pending = parsed.rest;
			let out = '';
			for (const command of parsed.commands) {
				if (command.length === 0) continue;
				const args = [command[0]!.toUpperCase(), ...command.slice(1)];
				commands.push(args);
				out += options.answer?.(args) ?? handshake(args) ?? `-ERR ${options.error}\r\n`;
				// like Redis: QUIT is answered, then the connection is closed
				if (args[0] === 'QUIT') {
					socket.end(out);
					return;
				}
			}
			if (out) socket.write(out);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		url: `redis://127.0.0.1:${port}/0`,
		port,
		commands,
		stop: () => new Promise<void>(resolve => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		}),
	};
}
