// The keys `opsdeck keys` prints, written as bytes straight from SCAN's replies (bench P1: 1M keys).
// The output is exactly what the string path gives (keyText for a line; in JSON the key, or for a
// key that is not UTF-8 {key: keyText, keyHex}; jsonText's escapes; mask), with no string per key
// in the common case: a key of printable ASCII that needs no escape and nothing masked is its own
// bytes. Any other key takes that string path, one key at a time.
import {isBinaryKey, keyFromBytes, keyHex, keyText} from '../backends/redis/key-bytes.js';
import {mask, mayMask, secretFirstChars} from './mask.js';
import {jsonText} from './sanitize.js';

/** A byte a key is copied with as it is. */
const PLAIN = 0;
/** A byte that needs an escape (or starts a character that may): the string path. */
const ESCAPE = 1;
/** A byte that may start what mask() hides (`pass`, `pwd`, a secret): mask's own test decides. */
const SUSPECT = 2;
/** `:` — `://` is a URL, mask's to look at. */
const COLON = 3;

function byteClasses(json: boolean): Uint8Array {
	const classes = new Uint8Array(256);
	for (let b = 0; b < 256; b++) {
		// controls, DEL and every non-ASCII byte; a backslash (doubled by keyText, escaped by JSON);
		// in JSON the quote
		if (b < 0x20 || b > 0x7e || b === 0x5c || (json && b === 0x22)) classes[b] = ESCAPE;
	}
	for (const ch of 'pP') classes[ch.charCodeAt(0)] = SUSPECT;
	for (const ch of secretFirstChars()) {
		const b = ch.charCodeAt(0);
		if (b < 0x80 && classes[b] === PLAIN) classes[b] = SUSPECT;
	}
	if (classes[0x3a] === PLAIN) classes[0x3a] = COLON;
	return classes;
}

/** mask() of a JSON string's contents as it applies inside the whole document (not at its start). */
function maskInJson(contents: string): string {
	return mask(`"${contents}`).slice(1);
}

/** One key as the string path writes it: a line's text, or a JSON array element. */
export function keyListEntry(key: string, json: boolean): string {
	if (!json) return mask(keyText(key));
	if (isBinaryKey(key)) return `{"key":"${maskInJson(jsonText(keyText(key)).slice(1, -1))}","keyHex":"${maskInJson(keyHex(key))}"}`;
	return `"${maskInJson(jsonText(key).slice(1, -1))}"`;
}

/**
 * Collects keys as output bytes: one a line, or JSON array elements separated by commas. take()
 * hands over what is ready in chunks of about chunkBytes (few, large writes).
 */
export class KeyListWriter {
	count = 0;
	readonly #classes: Uint8Array;
	#out: Buffer;
	#pos = 0;
	#full: Buffer[] = [];
	#fullBytes = 0;

	constructor(
		readonly json: boolean,
		readonly chunkBytes = 256 * 1024,
	) {
		// built after the secrets are registered (cli.tsx does that before any command runs)
		this.#classes = byteClasses(json);
		this.#out = Buffer.allocUnsafe(chunkBytes);
	}

	/** Bytes waiting to be taken. */
	get pending(): number {
		return this.#fullBytes + this.#pos;
	}

	/** Adds the key whose bytes are buffer[start..end). */
	add(buffer: Buffer, start: number, end: number): void {
		const json = this.json;
		// room for the key, a separator and two quotes
		if (this.#pos + end - start + 3 > this.#out.length) this.#grow(end - start + 3);
		const out = this.#out;
		const classes = this.#classes;
		const mark = this.#pos;
		let pos = mark;
		if (json) {
			if (this.count > 0) out[pos++] = 0x2c;
			out[pos++] = 0x22;
		}
		let plain = true;
		let suspect = false;
		for (let i = start; i < end; i++) {
			const b = buffer[i]!;
			const c = classes[b]!;
			if (c !== PLAIN) {
				if (c === ESCAPE) {
					plain = false;
					break;
				}
				if (c === SUSPECT || (i + 2 < end && buffer[i + 1] === 0x2f && buffer[i + 2] === 0x2f)) suspect = true;
			}
			out[pos++] = b;
		}
		if (plain && suspect && mayMask(buffer.toString('latin1', start, end))) plain = false;
		// a line for the empty name is `""`, and the key named `""` is `\x22\x22` (keyText)
		if (plain && !json && (end === start || (end - start === 2 && buffer[start] === 0x22 && buffer[start + 1] === 0x22))) plain = false;
		if (plain) {
			out[pos++] = json ? 0x22 : 0x0a;
			this.#pos = pos;
		} else {
			const entry = keyListEntry(keyFromBytes(buffer.subarray(start, end)), json);
			const text = json ? (this.count > 0 ? ',' : '') + entry : `${entry}\n`;
			const bytes = Buffer.byteLength(text);
			if (mark + bytes > this.#out.length) {
				this.#pos = mark;
				this.#grow(bytes);
				this.#pos += this.#out.write(text, this.#pos, 'utf8');
			} else this.#pos = mark + this.#out.write(text, mark, 'utf8');
		}
		this.count++;
	}

	/**
	 * The bytes collected so far, as chunks to write in order (the writer starts afresh). With
	 * `all` false, only the filled chunks: the one being filled stays for the next take (a flush in
	 * the middle of a listing is then one write of ~chunkBytes, not that and the few keys after it).
	 */
	take(all = true): Buffer[] {
		const chunks = this.#full;
		if (all && this.#pos > 0) {
			chunks.push(this.#out.subarray(0, this.#pos));
			this.#out = Buffer.allocUnsafe(this.chunkBytes);
			this.#pos = 0;
		}
		this.#full = [];
		this.#fullBytes = 0;
		return chunks;
	}

	/** Sets the current buffer aside (written by the next take()) and starts one with room for `bytes`. */
	#grow(bytes: number): void {
		if (this.#pos > 0) {
			this.#full.push(this.#out.subarray(0, this.#pos));
			this.#fullBytes += this.#pos;
		}
		this.#out = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
		this.#pos = 0;
	}
}
