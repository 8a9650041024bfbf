// The known keyspace of issue 22's memory tests: `user:*` strings, `chat:*:messages` sorted sets,
// one big hash — written through an auto-pipelining client (a single server or a Cluster alike),
// and the reference the memory scan must match: MEMORY USAGE SAMPLES 0 of each key, summed by the
// first ':' prefix.
import calculateSlot from 'cluster-key-slot';
import {Cluster, type Redis} from 'ioredis';

export type KeyspaceSizes = {readonly users: number; readonly userBytes: number; readonly chats: number; readonly members: number; readonly hashFields: number; readonly fieldBytes: number};

/** 10,000 strings of 1 KB, 100 sorted sets of 1,000 members, a hash of ~5 MB. */
export const issueSizes: KeyspaceSizes = {users: 10_000, userBytes: 1024, chats: 100, members: 1000, hashFields: 5120, fieldBytes: 1024};

export const bigHash = 'big:hash';

async function inChunks<T>(items: readonly T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
	for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const range = (n: number) => Array.from({length: n}, (_, i) => i);

/** Writes the keyspace; returns every key written. `client` should have enableAutoPipelining. */
export async function fillKeyspace(client: Redis | Cluster, sizes: KeyspaceSizes): Promise<string[]> {
	const users = range(sizes.users).map(i => `user:${i}`);
	await inChunks(users, 1000, key => client.set(key, 'u'.repeat(sizes.userBytes)));
	const chats = range(sizes.chats).map(i => `chat:${i}:messages`);
	await inChunks(chats, 20, key => client.zadd(key, ...range(sizes.members).flatMap(m => [m, `{"id":"${key}-${m}","content":"message ${m}"}`])));
	const value = 'h'.repeat(sizes.fieldBytes);
	for (let f = 0; f < sizes.hashFields; f += 500) {
		await client.hset(bigHash, Object.fromEntries(range(Math.min(500, sizes.hashFields - f)).map(n => [`field:${f + n}`, value])));
	}
	return [...users, ...chats, bigHash];
}

/** The node that owns the key (ioredis does not know where MEMORY USAGE's key is: it would be sent anywhere). */
function nodeFor(client: Redis | Cluster, key: string): Redis {
	if (!(client instanceof Cluster)) return client;
	const owner = client.slots[calculateSlot(key)]![0];
	return client.nodes('master').find(node => `${node.options.host}:${node.options.port}` === owner)!;
}

/** MEMORY USAGE SAMPLES 0 of each key, summed by its first prefix ("user:"). */
export async function referenceBytes(client: Redis | Cluster, keys: readonly string[]): Promise<Map<string, number>> {
	const sums = new Map<string, number>();
	await inChunks(keys, 1000, async key => {
		const bytes = Number(await nodeFor(client, key).call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
		const prefix = key.slice(0, key.indexOf(':') + 1);
		sums.set(prefix, (sums.get(prefix) ?? 0) + bytes);
	});
	return sums;
}
