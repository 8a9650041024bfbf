/* global WebAssembly */
// The code cache's checksum (scripts/code-cache-loader.cjs): a WebAssembly function written here as
// bytes, which scripts/bundle.mjs puts into bin.js (SUM_WASM). bin.js reads its scripts and caches
// into a WebAssembly.Memory already; the function sums the cache's data where it lies, as machine
// code from its first call (~0.05 ms for the 160 KB of `logs`'s cache, ~0.5 ms for the console's
// 1.7 MB), where loading node:crypto for a sha256 (~5 ms) or node:v8 to have V8 check its own
// checksum (~4 ms) cost more than the rest of bin.js at every start (bench P9).
//
// sum(at, length) over the bytes [at, at + length) of the memory imported as m.memory, as a 64-bit
// number: h = length xor FNV-1a's offset basis; for each 8-byte little-endian word w, then each byte
// left over, h = rotl64((h xor w) * FNV's 64-bit prime, 29). Each step is a bijection of h, so a
// change of any one word always changes the sum; the rotation carries the product's high bits back
// down, where later words mix them in. A check against damage (a disk, a cut write), not against
// someone who can write the user's own 0600 files, which no hash without a key would stop.

const offsetBasis = 0xcbf29ce484222325n;
const prime = 0x100000001b3n;
const rotation = 29;

const uleb = n => {
	const out = [];
	do {
		let byte = n & 0x7f;
		n >>>= 7;
		if (n) byte |= 0x80;
		out.push(byte);
	} while (n);
	return out;
};
const sleb64 = value => {
	let v = BigInt.asIntN(64, value);
	const out = [];
	for (;;) {
		const byte = Number(v & 0x7fn);
		v >>= 7n;
		if ((v === 0n && !(byte & 0x40)) || (v === -1n && byte & 0x40)) return [...out, byte];
		out.push(byte | 0x80);
	}
};
const name = text => [...uleb(text.length), ...Buffer.from(text)];
const section = (id, body) => [id, ...uleb(body.length), ...body];

/** The module's bytes: (import "m" "memory" (memory 0)) (func (export "sum") (param i32 i32) (result i64)). */
export function sumWasm() {
	// params: 0 at, 1 length; locals: 2 h (i64), 3 end of the whole words, 4 end (i32)
	const get = i => [0x20, i];
	const set = i => [0x21, i];
	const i64const = v => [0x42, ...sleb64(v)];
	// h = rotl((h xor load(at)) * prime, rotation)
	const mix = load => [...get(2), ...get(0), ...load, 0x85, ...i64const(prime), 0x7e, ...i64const(BigInt(rotation)), 0x89, ...set(2)];
	// block { loop { if at >= limit break; mix; at += step; continue } }
	const loop = (limit, load, step) => [0x02, 0x40, 0x03, 0x40, ...get(0), ...get(limit), 0x4f, 0x0d, 1, ...mix(load), ...get(0), 0x41, step, 0x6a, ...set(0), 0x0c, 0, 0x0b, 0x0b];
	const body = [
		2, 1, 0x7e, 2, 0x7f,
		// h = u64(length) xor offsetBasis
		...get(1), 0xad, ...i64const(offsetBasis), 0x85, ...set(2),
		// end = at + length; words end = at + (length & ~7)
		...get(0), ...get(1), 0x6a, ...set(4),
		...get(0), ...get(1), 0x41, 0x78, 0x71, 0x6a, ...set(3),
		// i64.load, then i64.load8_u (alignment hint 0, offset 0)
		...loop(3, [0x29, 0, 0], 8),
		...loop(4, [0x31, 0, 0], 1),
		...get(2), 0x0b,
	];
	return Buffer.from([
		0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
		...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7e]),
		...section(2, [1, ...name('m'), ...name('memory'), 0x02, 0x00, 0x00]),
		...section(3, [1, 0]),
		...section(7, [1, ...name('sum'), 0x00, 0]),
		...section(10, [1, ...uleb(body.length), ...body]),
	]);
}

/** The same sum in plain JavaScript (BigInt, slow): what the tests hold the WebAssembly one to. */
export function referenceSum(bytes) {
	const mask = (1n << 64n) - 1n;
	const rotl = x => ((x << BigInt(rotation)) | (x >> BigInt(64 - rotation))) & mask;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
	let h = (BigInt(bytes.length) ^ offsetBasis) & mask;
	let at = 0;
	for (; at + 8 <= bytes.length; at += 8) h = rotl(((h ^ view.getBigUint64(at, true)) * prime) & mask);
	for (; at < bytes.length; at++) h = rotl(((h ^ BigInt(bytes[at])) * prime) & mask);
	return h;
}

/** The WebAssembly function run over `bytes`, placed `at` bytes into a memory of their own (for the tests). */
export function wasmSum(bytes, at = 0) {
	const memory = new WebAssembly.Memory({initial: Math.floor((at + bytes.length) / 65_536) + 1});
	new Uint8Array(memory.buffer).set(bytes, at);
	return BigInt.asUintN(64, new WebAssembly.Instance(new WebAssembly.Module(sumWasm()), {m: {memory}}).exports.sum(at, bytes.length));
}
