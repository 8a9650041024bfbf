// Network faults a real server cannot produce on demand: a connection that stalls (data held, not
// forwarded), connections cut mid-command, a server that accepts and never answers.
import net from 'node:net';

export type StallDirection = 'both' | 'requests' | 'responses';

export type TcpProxy = {
	readonly port: number;
	/** connections accepted so far */
	readonly accepted: number;
	/** connections open right now */
	readonly open: number;
	/** bytes held by stall() and not yet forwarded (both directions) */
	readonly heldBytes: number;
	/**
	 * Holds data instead of forwarding it: 'requests' (client → server), 'responses'
	 * (server → client) or 'both' (default). New connections are still accepted.
	 */
	stall(direction?: StallDirection): void;
	/** Forwards again, held data first. */
	resume(): void;
	/** Destroys every open connection (both sides); held data is dropped. */
	cutAll(): void;
	/**
	 * Calls fn with each chunk a client sends, before it is forwarded (undefined: no more calls), e.g.
	 * to cut when a given query goes out. A chunk whose connection fn cut is not forwarded.
	 */
	onRequest(fn: ((data: Buffer) => void) | undefined): void;
	/** Cuts everything and stops listening. */
	close(): Promise<void>;
};

type Pair = {client: net.Socket; server: net.Socket; heldRequests: Buffer[]; heldResponses: Buffer[]};

function listen(server: net.Server, port = 0): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve((server.address() as net.AddressInfo).port);
		});
	});
}

function closeServer(server: net.Server): Promise<void> {
	return new Promise(resolve => server.close(() => resolve()));
}

/** A TCP proxy on 127.0.0.1:<free port> to targetHost:targetPort. */
export async function startProxy(opts: {targetPort: number; targetHost?: string; port?: number}): Promise<TcpProxy> {
	const pairs = new Set<Pair>();
	let stalled: StallDirection | undefined;
	let accepted = 0;
	let requestHook: ((data: Buffer) => void) | undefined;
	const holds = (direction: 'requests' | 'responses') => stalled === 'both' || stalled === direction;

	const server = net.createServer(client => {
		accepted++;
		const upstream = net.connect({port: opts.targetPort, host: opts.targetHost ?? '127.0.0.1'});
		const pair: Pair = {client, server: upstream, heldRequests: [], heldResponses: []};
		pairs.add(pair);
		const end = () => {
			pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		client.on('error', end);
		upstream.on('error', end);
		client.on('close', end);
		upstream.on('close', end);
		client.on('data', data => {
			requestHook?.(data);
			if (!pairs.has(pair)) return;
			if (holds('requests')) pair.heldRequests.push(data);
			else upstream.write(data);
		});
		upstream.on('data', data => {
			if (holds('responses')) pair.heldResponses.push(data);
			else client.write(data);
		});
	});
	const port = await listen(server, opts.port);

	const cutAll = () => {
		for (const pair of [...pairs]) {
			pair.heldRequests = [];
			pair.heldResponses = [];
			pair.client.destroy();
			pair.server.destroy();
			pairs.delete(pair);
		}
	};

	return {
		port,
		get accepted() {
			return accepted;
		},
		get open() {
			return pairs.size;
		},
		get heldBytes() {
			let n = 0;
			for (const pair of pairs) for (const data of [...pair.heldRequests, ...pair.heldResponses]) n += data.length;
			return n;
		},
		stall(direction = 'both') {
			stalled = direction;
		},
		resume() {
			stalled = undefined;
			for (const pair of pairs) {
				for (const data of pair.heldRequests.splice(0)) pair.server.write(data);
				for (const data of pair.heldResponses.splice(0)) pair.client.write(data);
			}
		},
		cutAll,
		onRequest(fn) {
			requestHook = fn;
		},
		async close() {
			cutAll();
			await closeServer(server);
		},
	};
}

export type Blackhole = {
	readonly port: number;
	/** connections accepted so far */
	readonly accepted: number;
	/** bytes received and ignored */
	readonly bytesReceived: number;
	close(): Promise<void>;
};

/** A TCP server that accepts connections, reads what it is sent and never answers. */
export async function startBlackhole(): Promise<Blackhole> {
	const sockets = new Set<net.Socket>();
	let accepted = 0;
	let bytesReceived = 0;
	const server = net.createServer(socket => {
		accepted++;
		sockets.add(socket);
		socket.on('data', data => {
			bytesReceived += data.length;
		});
		socket.on('error', () => undefined);
		socket.on('close', () => sockets.delete(socket));
	});
	const port = await listen(server);
	return {
		port,
		get accepted() {
			return accepted;
		},
		get bytesReceived() {
			return bytesReceived;
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await closeServer(server);
		},
	};
}
