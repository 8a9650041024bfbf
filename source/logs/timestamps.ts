// When a line was written, from the timestamp formats logs use (looked for in its first 200
// characters; the first one found wins):
//   ISO 8601 / RFC 3339   2024-05-01T10:00:00.123Z, 2024-05-01 10:00:00,123 (Python's asctime), +02:00 / +0200 / UTC
//   Common Log Format     [01/May/2024:10:00:00 +0000] (nginx, Apache)
//   syslog (RFC 3164)     May  1 10:00:00 at the start of the line (the year is the current one,
//                         or the last one for a date that would lie ahead)
//   JSON epoch            "time":1714557600123 (pino: ms), "ts":1714557600.12 (seconds)
// A time without a zone is local time, as the app that wrote it most likely meant it.
export const timestampFormats = 'ISO 8601 (2024-05-01T10:00:00Z, 2024-05-01 10:00:00,123), Common Log Format ([01/May/2024:10:00:00 +0000]), syslog (May  1 10:00:00), JSON epoch ("time":1714557600123)';

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const monthIndex = (name: string) => months.indexOf(name.toLowerCase());

const iso = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?(?![\d])/;
const clf = /\[(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\]/;
const syslog = /^(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})\b/;
const jsonEpoch = /"(?:time|timestamp|ts|@timestamp|t)"\s*:\s*(\d{10}(?:\.\d+)?|\d{13})(?![\d])/;

function zoneOffsetMs(zone: string | undefined): number | undefined {
	if (zone === undefined) return undefined;
	if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
	const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
	return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

function fromParts(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number | undefined): number | undefined {
	if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
	if (offset === undefined) return new Date(y, mo, d, h, mi, s, ms).getTime();
	return Date.UTC(y, mo, d, h, mi, s, ms) - offset;
}

/** The line's time (epoch ms), or undefined when it carries none of the formats above. */
export function lineTime(text: string, now = Date.now()): number | undefined {
	const head = text.length > 200 ? text.slice(0, 200) : text;
	const i = iso.exec(head);
	if (i) {
		const ms = i[7] ? Number(i[7].slice(0, 3).padEnd(3, '0')) : 0;
		return fromParts(Number(i[1]), Number(i[2]) - 1, Number(i[3]), Number(i[4]), Number(i[5]), Number(i[6]), ms, zoneOffsetMs(i[8]));
	}
	const c = clf.exec(head);
	if (c) {
		const offset = (c[7] === '-' ? -1 : 1) * (Number(c[8]) * 60 + Number(c[9])) * 60_000;
		return fromParts(Number(c[3]), monthIndex(c[2]!), Number(c[1]), Number(c[4]), Number(c[5]), Number(c[6]), 0, offset);
	}
	const s = syslog.exec(head);
	if (s) {
		const year = new Date(now).getFullYear();
		const at = fromParts(year, monthIndex(s[1]!), Number(s[2]), Number(s[3]), Number(s[4]), Number(s[5]), 0, undefined);
		// December's lines read in January
		if (at !== undefined && at > now + 86_400_000) return fromParts(year - 1, monthIndex(s[1]!), Number(s[2]), Number(s[3]), Number(s[4]), Number(s[5]), 0, undefined);
		return at;
	}
	if (head.includes('"')) {
		const e = jsonEpoch.exec(head);
		if (e) return e[1]!.length === 13 ? Number(e[1]) : Math.round(Number(e[1]) * 1000);
	}
	return undefined;
}

/** --since is neither a duration nor a time. */
export class SinceError extends Error {}

const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};

/** `--since`: a duration back from now (90s, 10m, 2h, 1d, 1w, or 1h30m) or a time (2024-05-01, 2024-05-01T10:00, ISO 8601 with a zone). Epoch ms. */
export function parseSince(value: string, now = Date.now()): number {
	const trimmed = value.trim();
	if (/^(\d+[smhdw])+$/.test(trimmed)) {
		let ms = 0;
		for (const [, n, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * units[unit!]!;
		return now - ms;
	}
	const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
	if (date) {
		const at = fromParts(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 0, 0, 0, 0, undefined);
		if (at !== undefined) return at;
	}
	const time = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}(?::?\d{2})?|UTC)?$/.exec(trimmed);
	if (time) {
		const ms = time[7] ? Number(time[7].slice(0, 3).padEnd(3, '0')) : 0;
		const at = fromParts(Number(time[1]), Number(time[2]) - 1, Number(time[3]), Number(time[4]), Number(time[5]), Number(time[6] ?? 0), ms, zoneOffsetMs(time[8]));
		if (at !== undefined) return at;
	}
	throw new SinceError(`--since must be a duration (90s, 10m, 2h, 1d, 1h30m) or a time (2024-05-01, 2024-05-01T10:00, with a zone or local); got ${JSON.stringify(value.slice(0, 40))}`);
}
