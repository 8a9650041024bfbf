// Memory summed by key prefix: each key's bytes added to every ':'-prefix above it, down to a depth
// (`chat:` then `chat:42:`). The last segment is the key's own name, never a prefix. The number of
// prefixes kept is bounded (a keyspace of ids would otherwise grow one node per key): past the
// bound, a key's bytes stop at the deepest prefix already kept, so every sum stays exact and only
// detail is lost. Keys are lossless strings (key-bytes.ts); ':' is ASCII, so splitting keeps bytes.

type Node = {
	readonly prefix: string;
	bytes: number;
	keys: number;
	readonly children: Map<string, Node>;
	/** keys under a prefix of the next level that was past the bound (not kept) */
	unkeptBytes: number;
	unkeptKeys: number;
};

export type PrefixView = {
	/** "chat:42:" ('' for the whole keyspace) */
	readonly prefix: string;
	/** 0 for the root, 1 for "chat:", 2 for "chat:42:" */
	readonly depth: number;
	readonly keys: number;
	readonly bytes: number;
	/** bytes / the total's bytes */
	readonly share: number;
	/** the prefixes under it, most bytes first */
	readonly children: readonly PrefixView[];
	/** keys whose name ends here (no further prefix) */
	readonly rest: {readonly keys: number; readonly bytes: number};
	/** keys under further prefixes that were not kept (past the bound on prefixes, or below `depth`) */
	readonly unkept: {readonly keys: number; readonly bytes: number};
};

const newNode = (prefix: string): Node => ({prefix, bytes: 0, keys: 0, children: new Map(), unkeptBytes: 0, unkeptKeys: 0});

export class PrefixTree {
	readonly #root = newNode('');
	#nodes = 1;

	/** depth: how many prefix levels to keep; maxNodes: the bound on prefixes kept */
	constructor(readonly depth = 3, readonly maxNodes = 20_000) {}

	get bytes(): number {
		return this.#root.bytes;
	}

	get keys(): number {
		return this.#root.keys;
	}

	add(key: string, bytes: number): void {
		let node = this.#root;
		node.bytes += bytes;
		node.keys++;
		let from = 0;
		for (let level = 0; level < this.depth; level++) {
			const at = key.indexOf(':', from);
			if (at === -1) return;
			const prefix = key.slice(0, at + 1);
			let child = node.children.get(prefix);
			if (!child) {
				if (this.#nodes >= this.maxNodes) {
					node.unkeptBytes += bytes;
					node.unkeptKeys++;
					return;
				}
				child = newNode(prefix);
				node.children.set(prefix, child);
				this.#nodes++;
			}
			child.bytes += bytes;
			child.keys++;
			node = child;
			from = at + 1;
		}
	}

	/** The tree as plain data, children sorted by bytes (down to `depth`, default all kept). */
	view(depth = this.depth): PrefixView {
		const total = this.#root.bytes;
		const walk = (node: Node, level: number): PrefixView => {
			const children = level < depth ? [...node.children.values()].sort((a, b) => b.bytes - a.bytes || (a.prefix < b.prefix ? -1 : 1)).map(child => walk(child, level + 1)) : [];
			// below the depth shown, the children kept count as not kept
			let keys = node.keys - node.unkeptKeys;
			let bytes = node.bytes - node.unkeptBytes;
			for (const child of node.children.values()) {
				keys -= child.keys;
				bytes -= child.bytes;
			}
			const unkept = {keys: node.keys - keys, bytes: node.bytes - bytes};
			for (const child of children) {
				unkept.keys -= child.keys;
				unkept.bytes -= child.bytes;
			}
			return {prefix: node.prefix, depth: level, keys: node.keys, bytes: node.bytes, share: total > 0 ? node.bytes / total : 0, children, rest: {keys, bytes}, unkept};
		};
		return walk(this.#root, 0);
	}
}

/** The N largest entries seen, by a score, without keeping the rest (a sort every N adds). */
export class TopList<T> {
	#items: {readonly item: T; readonly score: number}[] = [];
	#floor = Number.NEGATIVE_INFINITY;

	constructor(readonly size: number) {}

	add(item: T, score: number): void {
		if (this.size <= 0 || (score <= this.#floor && this.#items.length >= this.size)) return;
		this.#items.push({item, score});
		if (this.#items.length >= this.size * 2) this.#trim();
	}

	#trim(): void {
		this.#items.sort((a, b) => b.score - a.score);
		this.#items.length = Math.min(this.#items.length, this.size);
		if (this.#items.length >= this.size) this.#floor = this.#items.at(-1)!.score;
	}

	list(): T[] {
		this.#trim();
		return this.#items.map(e => e.item);
	}
}
