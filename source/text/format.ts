// Human formatting of sizes, durations, counts and times. Pure functions. What they return is made
// of digits and units only, so it is Safe (sanitize.ts) to show as it is.
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

/** 1500 → "1.5s", 90_000 → "1m30s", 86_400_000 → "1d0h". */
export function formatDuration(ms: number | undefined | null): Safe {
	if (ms === undefined || ms === null || !Number.isFinite(ms)) return '-' as Safe;
	if (ms < 0) return '-' as Safe;
	// boundaries where rounding would print the next unit's value (1000ms, 10.0s, 60s) move down
	if (ms < 999.5) return `${Math.round(ms)}ms` as Safe;
	const s = ms / 1000;
	if (s < 9.95) return `${s.toFixed(1)}s` as Safe;
	if (s < 59.5) return `${Math.round(s)}s` as Safe;
	const totalSeconds = Math.round(s);
	const d = Math.floor(totalSeconds / 86_400);
	const h = Math.floor((totalSeconds % 86_400) / 3600);
	const m = Math.floor((totalSeconds % 3600) / 60);
	const sec = totalSeconds % 60;
	if (d > 0) return `${d}d${h}h` as Safe;
	if (h > 0) return `${h}h${String(m).padStart(2, '0')}m` as Safe;
	return `${m}m${String(sec).padStart(2, '0')}s` as Safe;
}

/** Redis PTTL semantics: -1 no expiry, -2 gone. */
export function formatTtl(pttl: number | undefined | null): Safe {
	if (pttl === undefined || pttl === null) return '-' as Safe;
	if (pttl === -1) return 'none' as Safe;
	if (pttl === -2) return 'gone' as Safe;
	return formatDuration(pttl);
}

export function formatCount(n: number | undefined | null): Safe {
	if (n === undefined || n === null || !Number.isFinite(n)) return '-' as Safe;
	const rounded = Math.round(n);
	// By hand: the first toLocaleString() loads ICU's number formatting, 20-50 ms before the
	// console's first frame (start-up profile, bench P5). Beyond 1e21 String() switches to exponents.
	if (Math.abs(rounded) >= 1e21) return rounded.toLocaleString('en-US') as Safe;
	return String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, ',') as Safe;
}

/**
 * A count with its noun: "1 key", "2 keys", "1,234 keys"; `many` for a plural that is not `one` + s
 * ("1 entry", "2 entries"). The nouns are literals in opsdeck's code, so the result is Safe.
 */
export function plural(n: number, one: string, many = `${one}s`): Safe {
	return `${formatCount(n)} ${n === 1 ? one : many}` as Safe;
}

export function formatDelta(n: number): Safe {
	if (n > 0) return `+${formatCount(n)}` as Safe;
	if (n < 0) return `-${formatCount(-n)}` as Safe;
	return '0' as Safe;
}

export function formatPercent(ratio: number | undefined | null, digits = 1): Safe {
	if (ratio === undefined || ratio === null || !Number.isFinite(ratio)) return '-' as Safe;
	return `${(ratio * 100).toFixed(digits)}%` as Safe;
}

/** 10:15:32 in local time. */
export function formatClock(date: Date): Safe {
	return date.toTimeString().slice(0, 8) as Safe;
}

/** 2025-12-04 10:30:00 (UTC) */
export function formatDateTime(date: Date | number): Safe {
	const d = typeof date === 'number' ? new Date(date) : date;
	return d.toISOString().replace('T', ' ').slice(0, 19) as Safe;
}

/** Cut to width with an ellipsis; pad to width when pad is set. Safe in, Safe out. */
export function fit(text: Safe, width: number, pad?: boolean): Safe;
export function fit(text: string, width: number, pad?: boolean): string;
export function fit(text: string, width: number, pad = false): string {
	if (width <= 0) return '';
	const chars = Array.from(text);
	let out = chars.length > width ? chars.slice(0, Math.max(0, width - 1)).join('') + '…' : text;
	if (pad && chars.length < width) out += ' '.repeat(width - chars.length);
	return out;
}
