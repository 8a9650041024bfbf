// Listening TCP sockets, the way `lsof -ti:5555` finds them but from /proc: /proc/net/tcp and tcp6
// list every socket in LISTEN (state 0A) with its inode (readable by every user); /proc/PID/fd/*
// link to `socket:[inode]` (readable only for one's own processes, or as root). So "port 5555 is
// listened on" is always known; by which process only when its fds can be read — and said so.
import fs from 'node:fs/promises';

export type Listener = {readonly port: number; readonly address: string; readonly inode: number};

/** /proc/net/tcp's hex address (little-endian words) as text: 0100007F:1F90 → 127.0.0.1, 8080. */
export function parseAddress(hex: string): {address: string; port: number} {
	const [ip, port] = hex.split(':') as [string, string];
	let address: string;
	if (ip.length === 8) {
		address = [6, 4, 2, 0].map(i => parseInt(ip.slice(i, i + 2), 16)).join('.');
	} else {
		const groups: string[] = [];
		for (let word = 0; word < 4; word++) {
			const w = ip.slice(word * 8, word * 8 + 8);
			const bytes = [6, 4, 2, 0].map(i => w.slice(i, i + 2));
			groups.push(bytes[0]! + bytes[1]!, bytes[2]! + bytes[3]!);
		}
		address = groups.map(g => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':');
	}
	return {address, port: parseInt(port, 16)};
}

/** The LISTEN entries of one /proc/net/tcp* file's text. */
export function parseListeners(text: string): Listener[] {
	const out: Listener[] = [];
	for (const line of text.split('\n').slice(1)) {
		const f = line.trim().split(/\s+/);
		if (f.length < 10 || f[3] !== '0A') continue;
		const {address, port} = parseAddress(f[1]!);
		out.push({port, address, inode: Number(f[9])});
	}
	return out;
}

export async function listeningSockets(): Promise<Listener[]> {
	const all: Listener[] = [];
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		const text = await fs.readFile(file, 'utf8').catch(() => '');
		all.push(...parseListeners(text));
	}
	return all;
}

/** The socket inodes a process holds; undefined when its fds cannot be read (another user's). */
export async function socketInodes(pid: number): Promise<Set<number> | undefined> {
	let names: string[];
	try {
		names = await fs.readdir(`/proc/${pid}/fd`);
	} catch {
		return undefined;
	}
	const inodes = new Set<number>();
	for (const name of names) {
		const link = await fs.readlink(`/proc/${pid}/fd/${name}`).catch(() => '');
		const m = /^socket:\[(\d+)\]$/.exec(link);
		if (m) inodes.add(Number(m[1]));
	}
	return inodes;
}

/** The TCP ports a process listens on (sorted); [] when none or its fds cannot be read. */
export async function portsOf(pid: number, listeners?: readonly Listener[]): Promise<number[]> {
	const inodes = await socketInodes(pid);
	if (!inodes) return [];
	const found = new Set((listeners ?? (await listeningSockets())).filter(l => inodes.has(l.inode)).map(l => l.port));
	return [...found].sort((a, b) => a - b);
}

export type PortOwner = {
	/** something listens on the port */
	readonly listening: boolean;
	/** the processes holding its listening socket that this user can see (the oldest first) */
	readonly pids: number[];
	/** some listening socket's process could not be seen (another user's; run as root to see it) */
	readonly hidden: boolean;
};

/** Who listens on `port` (lsof -ti:PORT, from /proc). */
export async function portOwner(port: number): Promise<PortOwner> {
	const inodes = new Set((await listeningSockets()).filter(l => l.port === port).map(l => l.inode));
	if (inodes.size === 0) return {listening: false, pids: [], hidden: false};
	const pids: number[] = [];
	const seen = new Set<number>();
	for (const name of await fs.readdir('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const held = await socketInodes(Number(name));
		if (!held) continue;
		for (const inode of inodes) {
			if (held.has(inode)) {
				pids.push(Number(name));
				seen.add(inode);
			}
		}
	}
	// a listener forked off (pre-fork servers, cluster workers) shares the socket: the parent first
	return {listening: true, pids: [...new Set(pids)].sort((a, b) => a - b), hidden: seen.size < inodes.size};
}
