// Log lines for a terminal, a pipe or JSON: every line sanitized here (a log is text from outside:
// an escape sequence in it is shown as \x1b, never acted on), tabs expanded, a line over 64 KB
// marked with its real length. `opsdeck logs` and the Logs tab both draw lines with these.
import type {LogLine} from '../logs/lines.js';
import {lineLevel} from '../logs/level.js';
import type {LogSource} from '../logs/sources.js';
import {lineTime} from '../logs/timestamps.js';
import {formatBytes, formatCount} from './numbers.js';
import {safe, sanitize, type Safe} from './sanitize.js';

/** Tabs to the next multiple of 8 (sanitize would show them as \x09). */
export function expandTabs(text: string): string {
	if (!text.includes('\t')) return text;
	let out = '';
	for (const ch of text) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
	return out;
}

/** ` … [cut: 1,048,576 bytes]` after a line over 64 KB. */
export function cutMark(line: LogLine): Safe {
	return line.cut ? safe` … [cut: ${formatCount(line.bytes)} bytes, ${formatBytes(line.bytes)}]` : ('' as Safe);
}

/** One line as shown: sanitized, tabs expanded, the cut marked. */
export function logLineText(line: LogLine): Safe {
	return safe`${sanitize(expandTabs(line.text))}${cutMark(line)}`;
}

/** `--json`: one object a line (JSON lines); the text is escaped by the JSON writer. */
export function logLineJson(source: LogSource, line: LogLine) {
	const time = line.time ?? lineTime(line.text);
	return {
		source: source.name,
		...(line.cursor === undefined ? {offset: line.offset} : {cursor: line.cursor}),
		time: time === undefined ? null : new Date(time).toISOString(),
		level: line.level ?? lineLevel(line.text) ?? null,
		line: line.text,
		bytes: line.bytes,
		cut: line.cut,
	};
}
