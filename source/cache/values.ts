// A bounded look at one value of any type: at most `limit` items or `maxBytes` bytes are read
// (HSCAN / SSCAN / ZRANGE / LRANGE / XRANGE / GETRANGE), with the full size from HLEN / SCARD /
// ZCARD / LLEN / XLEN / STRLEN, so a 100 MB value is never loaded whole. Values are returned raw
// (text, or hex when binary): whoever draws or prints them sanitizes. A set is shown sorted
// bytewise (read whole up to previewLimits.sortedSet members; a bigger one page by page, each page
// sorted). readMember reads one member again whole (up to previewLimits.member bytes) when the
// preview had to cut it.
import type {RedisBackend} from '../backends/redis/client.js';
import {hex, isBinary} from '../text/sanitize.js';
import {keyBytes} from '../backends/redis/key-bytes.js';

export const previewLimits = {
	items: 100,
	bytes: 64 * 1024,
	/** one member opened whole (readMember): shown up to this many bytes */
	member: 256 * 1024,
	/** a set up to this many members is read whole to be shown sorted */
	sortedSet: 10_000,
};

/** A piece of a value as text: utf-8, or a hex dump when the bytes are binary. */
export type Shown = {readonly text: string; readonly binary: boolean; readonly bytes: number; readonly truncated: boolean};

export type ValueItem = {
	/** hash field, stream entry id, or list index */
	readonly field?: Shown;
	readonly id?: string;
	readonly index?: number;
	readonly value: Shown;
	readonly score?: number;
	/** the score read as a date when it looks like epoch milliseconds */
	readonly scoreDate?: string;
	/** stream entry fields */
	readonly fields?: readonly (readonly [Shown, Shown])[];
};

export type ValuePreview = {
	readonly key: string;
	readonly type: string;
	/** items (or bytes for a string) in the whole value */
	readonly total: number;
	/** true when only part of the value is shown */
	readonly partial: boolean;
	/** string values */
	readonly string?: Shown & {readonly json?: string};
	readonly items: readonly ValueItem[];
	/** where the next page starts: an offset, a SCAN cursor or a stream id; undefined at the end */
	readonly next?: string;
};

export type ValueOptions = {
	readonly limit?: number;
	readonly maxBytes?: number;
	/** from a previous preview's `next` */
	readonly from?: string;
};

/** Scores between 2001 and 2100 in milliseconds are taken for times. */
export function scoreAsDate(score: number): string | undefined {
	if (!Number.isFinite(score) || score < 978_307_200_000 || score > 4_102_444_800_000) return undefined;
	return new Date(score).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function show(bytes: Buffer, maxBytes = previewLimits.bytes, fullLength = bytes.length): Shown {
	const cut = bytes.subarray(0, maxBytes);
	const truncated = fullLength > cut.length;
	if (isBinary(cut)) return {text: hex(cut, maxBytes), binary: true, bytes: fullLength, truncated};
	// a cut in the middle of a multi-byte character shows as one replacement character, not binary
	return {text: cut.toString('utf8'), binary: false, bytes: fullLength, truncated};
}

/** The bytes a Shown stands for (a binary one is `\xHH` per byte; a text one valid UTF-8). */
export function shownBytes(s: Shown): Buffer {
	if (!s.binary) return Buffer.from(s.text, 'utf8');
	const bytes: number[] = [];
	for (const m of s.text.matchAll(/\\x([0-9a-f]{2})/g)) bytes.push(Number.parseInt(m[1]!, 16));
	return Buffer.from(bytes);
}

/** JSON text pretty-printed with two spaces, when it is an object or an array that parses. */
export function prettyJson(text: string): string | undefined {
	const t = text.trim();
	if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
	try {
		return JSON.stringify(JSON.parse(t), null, 2);
	} catch {
		return undefined;
	}
}

/** Budget of bytes shared by the items of one preview. */
class Budget {
	#left: number;
	constructor(bytes: number) {
		this.#left = bytes;
	}
	get spent(): boolean {
		return this.#left <= 0;
	}
	take(bytes: Buffer): Shown {
		const shown = show(bytes, Math.max(64, this.#left));
		this.#left -= Math.min(bytes.length, Math.max(64, this.#left));
		return shown;
	}
}

export async function readValue(redis: RedisBackend, name: string, options: ValueOptions = {}): Promise<ValuePreview> {
	// the exact bytes of the key (backends/redis/key-bytes): a key that is not UTF-8 is read, not its look-alike
	const key = keyBytes(name);
	const limit = Math.max(1, options.limit ?? previewLimits.items);
	const maxBytes = Math.max(64, options.maxBytes ?? previewLimits.bytes);
	const client = redis.client;
	const type = await client.type(key);
	const budget = new Budget(maxBytes);
	const offset = options.from !== undefined && /^\d+$/.test(options.from) ? Number(options.from) : 0;
	const base = {key: name, type};

	switch (type) {
		case 'none':
			return {...base, total: 0, partial: false, items: []};
		case 'string': {
			const length = await client.strlen(key);
			const bytes = await client.getrangeBuffer(key, 0, maxBytes - 1);
			const shown = show(bytes, maxBytes, length);
			const json = !shown.binary && !shown.truncated ? prettyJson(shown.text) : undefined;
			return {...base, total: length, partial: shown.truncated, string: json === undefined ? shown : {...shown, json}, items: []};
		}
		case 'list': {
			const total = await client.llen(key);
			const values = await client.lrangeBuffer(key, offset, offset + limit - 1);
			const items: ValueItem[] = [];
			for (const [i, value] of values.entries()) {
				if (budget.spent) break;
				items.push({index: offset + i, value: budget.take(value)});
			}
			const end = offset + items.length;
			return {...base, total, partial: offset > 0 || end < total, items, next: end < total ? String(end) : undefined};
		}
		case 'zset': {
			const total = await client.zcard(key);
			const flat = await client.zrangeBuffer(key, offset, offset + limit - 1, 'WITHSCORES');
			const items: ValueItem[] = [];
			for (let i = 0; i + 1 < flat.length; i += 2) {
				if (budget.spent) break;
				const score = Number(flat[i + 1]!.toString());
				items.push({index: offset + i / 2, value: budget.take(flat[i]!), score, scoreDate: scoreAsDate(score)});
			}
			const end = offset + items.length;
			return {...base, total, partial: offset > 0 || end < total, items, next: end < total ? String(end) : undefined};
		}
		case 'set': {
			const total = await client.scard(key);
			if (total <= previewLimits.sortedSet) return {...base, ...sortedSetPage(await allMembers(redis, key), offset, limit, budget), total};
			return scanPage(redis, {key: name, type}, total, options.from, limit, budget);
		}
		case 'hash':
			return scanPage(redis, {key: name, type}, await client.hlen(key), options.from, limit, budget);
		case 'stream': {
			const total = await client.xlen(key);
			const start = options.from ?? '-';
			const entries = (await client.xrangeBuffer(key, start, '+', 'COUNT', limit + 1)) as unknown as [Buffer, Buffer[]][];
			const items: ValueItem[] = [];
			for (const [id, flat] of entries.slice(0, limit)) {
				if (budget.spent) break;
				const fields: [Shown, Shown][] = [];
				for (let i = 0; i + 1 < flat.length; i += 2) fields.push([budget.take(flat[i]!), budget.take(flat[i + 1]!)]);
				items.push({id: id.toString(), value: {text: fields.map(([f, v]) => `${f.text}=${v.text}`).join(' '), binary: false, bytes: 0, truncated: false}, fields});
			}
			const more = entries.length > items.length;
			const next = more ? entries[items.length]![0].toString() : undefined;
			return {...base, total, partial: start !== '-' || more, items, next};
		}
		default:
			return {...base, total: 0, partial: false, items: []};
	}
}

/** Every member of a set (SSCAN to the end; a member SSCAN returned twice kept once), sorted bytewise. */
async function allMembers(redis: RedisBackend, key: string | Buffer): Promise<Buffer[]> {
	const members: Buffer[] = [];
	let cursor = '0';
	do {
		const [next, flat] = await redis.client.sscanBuffer(key, cursor, 'COUNT', 1000);
		cursor = next.toString();
		members.push(...flat);
	} while (cursor !== '0');
	members.sort(Buffer.compare);
	return members.filter((m, i) => i === 0 || !m.equals(members[i - 1]!));
}

function sortedSetPage(members: readonly Buffer[], offset: number, limit: number, budget: Budget): Pick<ValuePreview, 'partial' | 'items' | 'next'> {
	const items: ValueItem[] = [];
	for (const member of members.slice(offset, offset + limit)) {
		if (budget.spent) break;
		items.push({value: budget.take(member)});
	}
	const end = offset + items.length;
	return {partial: offset > 0 || end < members.length, items, next: end < members.length ? String(end) : undefined};
}

/** A page of a hash or a big set, by SCAN cursor (a set's page sorted bytewise). */
async function scanPage(redis: RedisBackend, base: {key: string; type: 'hash' | 'set'}, total: number, from: string | undefined, limit: number, budget: Budget): Promise<ValuePreview> {
	const client = redis.client;
	const key = keyBytes(base.key);
	const items: ValueItem[] = [];
	let cursor = from ?? '0';
	// SCAN-family COUNT is a hint: loop until enough items or the end, never more than limit kept
	do {
		const [next, flat] = base.type === 'hash'
			? await client.hscanBuffer(key, cursor, 'COUNT', Math.min(limit, 1000))
			: await client.sscanBuffer(key, cursor, 'COUNT', Math.min(limit, 1000));
		cursor = next.toString();
		if (base.type === 'hash') {
			for (let i = 0; i + 1 < flat.length && items.length < limit && !budget.spent; i += 2) {
				items.push({field: budget.take(flat[i]!), value: budget.take(flat[i + 1]!)});
			}
		} else {
			for (const member of flat) {
				if (items.length >= limit || budget.spent) break;
				items.push({value: budget.take(member)});
			}
		}
	} while (cursor !== '0' && items.length < limit && !budget.spent);
	if (base.type === 'set') items.sort((a, b) => Buffer.compare(shownBytes(a.value), shownBytes(b.value)));
	// The page boundary is the SCAN cursor: a few items of the last call may be skipped on
	// "next", which SCAN's own guarantees allow; the total is always exact.
	return {...base, total, partial: from !== undefined && from !== '0' ? true : cursor !== '0' || items.length < total, items, next: cursor === '0' ? undefined : cursor};
}
