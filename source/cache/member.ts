// One member of a value opened whole (the Keys tab's Enter on a member): the preview (values.ts)
// shares 64 KB between its items, so a big member, or the last one read, comes cut. Such a one is
// read again here by what names it — list index, sorted-set score, hash field, stream id — and
// checked against the bytes the preview showed, so it is the member that was highlighted and not
// whatever took its place since. Redis sends a member whole (no range read exists for one); what
// is kept is cut at previewLimits.member bytes.
import type {RedisBackend} from '../backends/redis/client.js';
import {keyBytes} from '../backends/redis/key-bytes.js';
import {previewLimits, show, shownBytes, type Shown, type ValueItem} from './values.js';

/** The bytes a preview's Shown certainly starts with (all of them when it was not cut). */
function knownBytes(s: Shown): Buffer {
	const bytes = shownBytes(s);
	// a cut text may end in half a character, shown as U+FFFD: only the bytes before it are known
	return s.truncated && !s.binary && bytes.subarray(-3).equals(replacement) ? bytes.subarray(0, -3) : bytes;
}

const replacement = Buffer.from('\ufffd', 'utf8');

/** Whether `bytes` is the member a preview showed as `s` (whole, or cut: then its start). */
export function isShownAs(bytes: Buffer, s: Shown): boolean {
	const known = knownBytes(s);
	if (!s.truncated) return bytes.equals(known);
	return bytes.length >= known.length && bytes.subarray(0, known.length).equals(known);
}

/** Whether an item was cut by the preview (then readMember gets it whole). */
export function isCut(item: ValueItem): boolean {
	return item.value.truncated || item.field?.truncated === true || (item.fields ?? []).some(([f, v]) => f.truncated || v.truncated);
}

/** A SCAN MATCH pattern for the members that start with `prefix` (glob characters escaped). */
function startsWithPattern(prefix: Buffer): Buffer {
	const out: number[] = [];
	for (const byte of prefix) {
		if ('*?[]\\'.includes(String.fromCharCode(byte))) out.push(0x5c);
		out.push(byte);
	}
	out.push(0x2a);
	return Buffer.from(out);
}

const scoreArg = (score: number) => (score === Infinity ? '+inf' : score === -Infinity ? '-inf' : String(score));

/**
 * The item whole (each piece up to `maxBytes`), or undefined when it is no longer there (the value
 * changed since the preview: a reload shows it as it is now).
 */
export async function readMember(redis: RedisBackend, name: string, type: string, item: ValueItem, maxBytes = previewLimits.member): Promise<ValueItem | undefined> {
	const key = keyBytes(name);
	const client = redis.client;
	const whole = (bytes: Buffer) => show(bytes, maxBytes);
	switch (type) {
		case 'list': {
			const value = await client.lindexBuffer(key, item.index ?? 0);
			return value && isShownAs(value, item.value) ? {...item, value: whole(value)} : undefined;
		}
		case 'zset': {
			const flat = await client.zrangebyscoreBuffer(key, scoreArg(item.score ?? 0), scoreArg(item.score ?? 0), 'LIMIT', 0, 1000);
			const member = flat.find(m => isShownAs(m, item.value));
			return member ? {...item, value: whole(member)} : undefined;
		}
		case 'hash': {
			if (!item.field!.truncated) {
				const value = await client.hgetBuffer(key, shownBytes(item.field!));
				return value ? {...item, value: whole(value)} : undefined;
			}
			// a field too big for the preview: found by its start
			const pair = await scanFor(redis, key, 'hash', item.field!);
			return pair ? {...item, field: whole(pair[0]), value: whole(pair[1]!)} : undefined;
		}
		case 'set': {
			const pair = await scanFor(redis, key, 'set', item.value);
			return pair ? {...item, value: whole(pair[0])} : undefined;
		}
		case 'stream': {
			const entries = (await client.xrangeBuffer(key, item.id ?? '-', item.id ?? '+', 'COUNT', 1)) as unknown as [Buffer, Buffer[]][];
			const flat = entries[0]?.[1];
			if (!flat) return undefined;
			const fields: [Shown, Shown][] = [];
			for (let i = 0; i + 1 < flat.length; i += 2) fields.push([whole(flat[i]!), whole(flat[i + 1]!)]);
			return {...item, fields};
		}
		default:
			return undefined;
	}
}

/** The member (set) or field and value (hash) that the preview showed as `s`, by SCAN MATCH on its start. */
async function scanFor(redis: RedisBackend, key: string | Buffer, type: 'hash' | 'set', s: Shown): Promise<[Buffer, Buffer?] | undefined> {
	const client = redis.client;
	// the pattern in bytes (ioredis sends a Buffer argument as it is; its types only say string)
	const match = startsWithPattern(knownBytes(s)) as unknown as string;
	let cursor = '0';
	do {
		const [next, flat] = type === 'hash' ? await client.hscanBuffer(key, cursor, 'MATCH', match, 'COUNT', 1000) : await client.sscanBuffer(key, cursor, 'MATCH', match, 'COUNT', 1000);
		cursor = next.toString();
		const step = type === 'hash' ? 2 : 1;
		for (let i = 0; i < flat.length; i += step) if (isShownAs(flat[i]!, s)) return type === 'hash' ? [flat[i]!, flat[i + 1]!] : [flat[i]!];
	} while (cursor !== '0');
	return undefined;
}
