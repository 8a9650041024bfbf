// The code cache's checksum (scripts/code-cache-sum.mjs): the WebAssembly function bin.js runs over a
// cache's data gives the sum the plain JavaScript reference gives, at any offset and length (whole
// words and the bytes left over), changes with any one byte changed, and is the one bin.js holds.
import fs from 'node:fs';
import path from 'node:path';
import {expect, it} from 'vitest';
// @ts-expect-error a build script, plain JavaScript
import {referenceSum, sumWasm, wasmSum} from '../../scripts/code-cache-sum.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const wasm = wasmSum as (bytes: Uint8Array, at?: number) => bigint;
const reference = referenceSum as (bytes: Uint8Array) => bigint;
const pattern = (length: number) => Uint8Array.from({length}, (_, i) => (Math.imul(i, 2_654_435_761) >>> 13) & 0xff);

it('sums as the reference does, at any offset and length', () => {
	const bytes = pattern(200_000);
	for (const [at, length] of [[0, 0], [0, 1], [3, 7], [5, 8], [0, 9], [13, 1000], [128, 163_000], [0, bytes.length]] as const) {
		const part = bytes.subarray(at, at + length);
		expect(wasm(part, at), `${at}+${length}`).toBe(reference(part));
	}
});

it('changes with any one byte changed, and with the length', () => {
	const bytes = pattern(163_000);
	const good = wasm(bytes, 128);
	for (let at = 0; at < bytes.length; at += 331) {
		for (const bit of [0x01, 0x80]) {
			bytes[at]! ^= bit;
			expect(wasm(bytes, 128), `byte ${at}`).not.toBe(good);
			bytes[at]! ^= bit;
		}
	}
	expect(wasm(bytes.subarray(0, -1), 128)).not.toBe(good);
	expect(wasm(new Uint8Array(4096))).not.toBe(wasm(new Uint8Array(4088)));
});

it('is the function bin.js runs', () => {
	const bin = path.join(root, 'build/bundle/bin.js');
	if (!fs.existsSync(bin)) throw new Error('build/bundle/bin.js is missing: run npm run build first');
	expect(fs.readFileSync(bin, 'utf8')).toContain(`Buffer.from(${JSON.stringify((sumWasm() as Buffer).toString('base64'))}, 'base64')`);
});
