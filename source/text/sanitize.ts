// Everything a server sends us (keys, values, rows, error messages) passes through here before it
// is drawn or printed. Nothing that can move the cursor, retitle the window, write the clipboard,
// flip text direction or hide characters reaches the terminal raw: it is shown escaped instead.
import {isUtf8} from 'node:buffer';

// C0 controls, DEL, C1 controls.
const controls = /[\u0000-\u001f\u007f-\u009f]/;
// Bidi overrides/isolates/marks, zero-width and invisible formatting characters, BOM, line/para separators.
const invisibles = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/;
const dangerous = new RegExp(`${controls.source}|${invisibles.source}`, 'gu');

function escapeChar(ch: string): string {
	const code = ch.codePointAt(0)!;
	if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
	return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of untrusted text: every control (newline and tab included) shown escaped. */
export function sanitize(text: string): string {
	return text.replace(dangerous, escapeChar);
}

/** Multi-line untrusted text: keeps newlines, turns tabs into two spaces, escapes the rest. */
export function sanitizeMultiline(text: string): string {
	return text
		.split(/\r?\n/)
		.map(line => sanitize(line.replaceAll('\t', '  ')))
		.join('\n');
}

/** Hex dump of bytes, e.g. `\x00\xff` style, bounded to `max` bytes. */
export function hex(bytes: Uint8Array, max = 4096): string {
	const shown = bytes.subarray(0, max);
	let out = '';
	for (const byte of shown) out += `\\x${byte.toString(16).padStart(2, '0')}`;
	if (bytes.length > max) out += ` … (${bytes.length - max} more bytes)`;
	return out;
}

export function isBinary(bytes: Uint8Array): boolean {
	if (!isUtf8(bytes)) return true;
	// Valid UTF-8 that is mostly NULs or controls is still binary for a person.
	let controlCount = 0;
	const n = Math.min(bytes.length, 4096);
	for (let i = 0; i < n; i++) {
		const b = bytes[i]!;
		if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) controlCount++;
	}
	return n > 0 && controlCount / n > 0.1;
}

/** Bytes from a server: text when it is text (sanitized), hex when it is binary. */
export function sanitizeBytes(bytes: Uint8Array, max = 4096): string {
	if (isBinary(bytes)) return hex(bytes, max);
	return sanitize(Buffer.from(bytes).toString('utf8'));
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls (0x9B is CSI to some terminals),
// bidi overrides and zero-width characters raw. Escaped as \uXXXX the JSON means the same data.
const jsonUnsafe = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/** JSON text that is safe to print on a terminal: same data, nothing a terminal acts on. */
export function jsonText(value: unknown, space?: number): string {
	return JSON.stringify(value, null, space).replace(jsonUnsafe, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
