// Bytes as `xxd` shows them: offset, sixteen bytes in groups of two, the same bytes as ASCII with a
// dot for anything that is not printable ASCII — so the dump is safe on a terminal by construction
// (nothing but hex digits, spaces and printable ASCII), whatever the bytes.
import type {Safe} from './sanitize.js';

export const hexdumpWidth = 16;

/** One line: `00000010: 4865 6c6c 6f20 776f 726c 640a 0001 0203  Hello world.....` */
export function hexdumpLine(bytes: Uint8Array, offset: number): Safe {
	let hex = '';
	let ascii = '';
	for (let i = 0; i < Math.min(hexdumpWidth, bytes.length); i++) {
		const byte = bytes[i]!;
		hex += (i % 2 === 0 && i > 0 ? ' ' : '') + byte.toString(16).padStart(2, '0');
		ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
	}
	return `${offset.toString(16).padStart(8, '0')}: ${hex.padEnd(39)}  ${ascii}` as Safe;
}

/** Every line of the dump (callers bound the bytes: a line is 16 of them). */
export function hexdumpLines(bytes: Uint8Array, offset = 0): Safe[] {
	const lines: Safe[] = [];
	for (let at = 0; at < bytes.length; at += hexdumpWidth) lines.push(hexdumpLine(bytes.subarray(at, at + hexdumpWidth), offset + at));
	return lines;
}
