// A systemd unit's journal (LOG_UNIT), read with `journalctl -o json`: one JSON object a line, the
// fields as journald keeps them (MESSAGE, PRIORITY, __REALTIME_TIMESTAMP in µs, _PID,
// SYSLOG_IDENTIFIER, __CURSOR). A MESSAGE that is not UTF-8 comes as an array of bytes; one that
// journalctl thinks too large as null (--all asks for it anyway); a field given twice as an array.
// Each entry becomes a LogLine like `journalctl -o short-iso` prints it, with the level from
// PRIORITY and the cursor paging up and following go on from.
import {levelRank, lineLevel, priorityLevel, type Level} from './level.js';
import {maxLineBytes, type LogLine} from './lines.js';

export type JournalArgs = {
	readonly unit: string;
	/** newest first (the last N, paging up) */
	readonly reverse?: boolean;
	readonly lines?: number;
	/** epoch ms */
	readonly since?: number;
	/** begin at this entry (with reverse: it and older ones) */
	readonly cursor?: string;
	/** begin after this entry (following) */
	readonly afterCursor?: string;
	readonly follow?: boolean;
};

/** journalctl's arguments, every value in its `--name=value` form (a unit named `-x` stays a value). */
export function journalArgs(options: JournalArgs): string[] {
	const args = [`--unit=${options.unit}`, '--output=json', '--all', '--no-pager', '--quiet'];
	if (options.reverse) args.push('--reverse');
	if (options.lines !== undefined) args.push(`--lines=${options.lines}`);
	if (options.since !== undefined) args.push(`--since=@${Math.floor(options.since / 1000)}`);
	if (options.cursor !== undefined) args.push(`--cursor=${options.cursor}`);
	if (options.afterCursor !== undefined) args.push(`--after-cursor=${options.afterCursor}`);
	if (options.follow) args.push('--follow');
	return args;
}

type Value = string | number[] | null | undefined;

/** A field's text: a string, bytes (an array of numbers), or the last of several values. */
function fieldText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) {
		if (value.length > 0 && value.every(v => typeof v === 'number')) return Buffer.from(value as number[]).toString('utf8');
		return fieldText(value.at(-1));
	}
	return undefined;
}

const number = (value: unknown): number | undefined => {
	const text = fieldText(value);
	return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
};

/** One line of `journalctl -o json` as a LogLine (`index`: its place in the read); undefined when it is not an entry. */
export function journalLine(json: string, index: number): LogLine | undefined {
	let entry: Record<string, Value>;
	try {
		entry = JSON.parse(json) as Record<string, Value>;
	} catch {
		return undefined;
	}
	if (!entry || typeof entry !== 'object' || typeof entry.__CURSOR !== 'string') return undefined;
	const message = fieldText(entry.MESSAGE) ?? (entry.MESSAGE === null ? '[message not shown: journalctl left it out]' : '');
	const micros = number(entry.__REALTIME_TIMESTAMP);
	const time = micros === undefined ? undefined : Math.floor(micros / 1000);
	const priority = number(entry.PRIORITY);
	const ident = fieldText(entry.SYSLOG_IDENTIFIER) ?? fieldText(entry._COMM) ?? '';
	const pid = fieldText(entry._PID) ?? fieldText(entry.SYSLOG_PID);
	const prefix = `${time === undefined ? '-' : new Date(time).toISOString()} ${ident}${pid ? `[${pid}]` : ''}: `;
	const bytes = Buffer.byteLength(message);
	const cut = bytes > maxLineBytes;
	const level = entryLevel(priority, message);
	const shown = cut ? Buffer.from(message).subarray(0, maxLineBytes).toString('utf8').replace(/\uFFFD$/, '') : message;
	return {
		offset: index,
		text: prefix + shown.replace(/\r?\n$/, ''),
		bytes,
		cut,
		cursor: entry.__CURSOR,
		...(time === undefined ? {} : {time}),
		...(level === undefined ? {} : {level}),
	};
}

/**
 * The worse of PRIORITY and what the message says: an app's stdout is all PRIORITY 6 (info) unless
 * it prefixes <3>, so "ERROR …" printed by a node app is still an error.
 */
function entryLevel(priority: number | undefined, message: string): Level | undefined {
	const said = lineLevel(message);
	const given = priority === undefined ? undefined : priorityLevel(priority);
	if (said === undefined || given === undefined) return said ?? given;
	return levelRank[said] > levelRank[given] ? said : given;
}

/** journalctl's complaint as one line (its stderr), for an error that names the unit. */
export function journalError(unit: string, code: number | null, stderr: string): Error {
	const said = stderr.split('\n').map(line => line.trim()).find(Boolean);
	return new Error(`journalctl --unit=${unit} failed${code === null ? '' : ` (exit ${code})`}${said ? `: ${said}` : ''}`);
}
