// Human formatting of sizes, durations, counts and times. Pure functions.

export function formatBytes(bytes: number | undefined | null): string {
	if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '-';
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (Math.abs(value) >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 1500 → "1.5s", 90_000 → "1m30s", 86_400_000 → "1d0h". */
export function formatDuration(ms: number | undefined | null): string {
	if (ms === undefined || ms === null || !Number.isFinite(ms)) return '-';
	if (ms < 0) return '-';
	// boundaries where rounding would print the next unit's value (1000ms, 10.0s, 60s) move down
	if (ms < 999.5) return `${Math.round(ms)}ms`;
	const s = ms / 1000;
	if (s < 9.95) return `${s.toFixed(1)}s`;
	if (s < 59.5) return `${Math.round(s)}s`;
	const totalSeconds = Math.round(s);
	const d = Math.floor(totalSeconds / 86_400);
	const h = Math.floor((totalSeconds % 86_400) / 3600);
	const m = Math.floor((totalSeconds % 3600) / 60);
	const sec = totalSeconds % 60;
	if (d > 0) return `${d}d${h}h`;
	if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
	return `${m}m${String(sec).padStart(2, '0')}s`;
}

/** Redis PTTL semantics: -1 no expiry, -2 gone. */
export function formatTtl(pttl: number | undefined | null): string {
	if (pttl === undefined || pttl === null) return '-';
	if (pttl === -1) return 'none';
	if (pttl === -2) return 'gone';
	return formatDuration(pttl);
}

export function formatCount(n: number | undefined | null): string {
	if (n === undefined || n === null || !Number.isFinite(n)) return '-';
	const rounded = Math.round(n);
	// By hand: the first toLocaleString() loads ICU's number formatting, 20-50 ms before the
	// console's first frame (start-up profile, bench P5). Beyond 1e21 String() switches to exponents.
	if (Math.abs(rounded) >= 1e21) return rounded.toLocaleString('en-US');
	return String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatDelta(n: number): string {
	if (n > 0) return `+${formatCount(n)}`;
	if (n < 0) return `-${formatCount(-n)}`;
	return '0';
}

export function formatPercent(ratio: number | undefined | null, digits = 1): string {
	if (ratio === undefined || ratio === null || !Number.isFinite(ratio)) return '-';
	return `${(ratio * 100).toFixed(digits)}%`;
}

/** 10:15:32 in local time. */
export function formatClock(date: Date): string {
	return date.toTimeString().slice(0, 8);
}

/** 2025-12-04 10:30:00 (UTC) */
export function formatDateTime(date: Date | number): string {
	const d = typeof date === 'number' ? new Date(date) : date;
	return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** Cut to width with an ellipsis; pad to width when pad is set. */
export function fit(text: string, width: number, pad = false): string {
	if (width <= 0) return '';
	const chars = Array.from(text);
	let out = chars.length > width ? chars.slice(0, Math.max(0, width - 1)).join('') + '…' : text;
	if (pad && chars.length < width) out += ' '.repeat(width - chars.length);
	return out;
}
