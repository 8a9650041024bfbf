// Sizes and counts as text, apart from format.ts: `logs` prints them (log-text.ts) and must not load
// string-width, whose Intl.Segmenter and Unicode property regexes cost ~10 ms of its start-up (P9).
// What they return is made of digits and units only, so it is Safe (sanitize.ts) to show as it is.
import type {Safe} from './sanitize.js';

export function formatBytes(bytes: number | undefined | null): Safe {
	if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '-' as Safe;
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (Math.abs(value) >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return (unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`) as Safe;
}

export function formatCount(n: number | undefined | null): Safe {
	if (n === undefined || n === null || !Number.isFinite(n)) return '-' as Safe;
	const rounded = Math.round(n);
	// By hand: the first toLocaleString() loads ICU's number formatting, 20-50 ms before the
	// console's first frame (start-up profile, bench P5). Beyond 1e21 String() switches to exponents.
	if (Math.abs(rounded) >= 1e21) return rounded.toLocaleString('en-US') as Safe;
	// (no regex: the Status tab formats a dozen counts a poll, bench P5b)
	const digits = String(Math.abs(rounded));
	if (digits.length <= 3) return (rounded < 0 ? `-${digits}` : digits) as Safe;
	let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
	for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
	return (rounded < 0 ? `-${out}` : out) as Safe;
}
