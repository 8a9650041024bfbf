// The Logs tab's lines as screen rows: each line sanitized (text/log-text.ts), the filter's matches
// marked, a line over 64 KB with its byte count, cut to the width or wrapped onto several rows.
// Only the lines on screen are ever turned into rows: a 64 KB line costs a screenful, not 64 KB.
import {lineLevel, type Level} from '../../../logs/level.js';
import type {LogLine} from '../../../logs/lines.js';
import {cellWidth, formatCount} from '../../../text/format.js';
import {expandTabs} from '../../../text/log-text.js';
import {safe, sanitize, type Safe} from '../../../text/sanitize.js';

export type Segment = {readonly text: Safe; readonly mark?: boolean};

export type Row = {
	readonly segments: readonly Segment[];
	readonly level: Level | undefined;
	/** the line n/N is on */
	readonly current: boolean;
};

type Ranges = (text: string) => ReadonlyArray<readonly [number, number]>;

/** A line's text in parts, the matches marked; at most `maxChars` of the raw text looked at. */
export function lineSegments(line: LogLine, ranges: Ranges | undefined, maxChars: number): Segment[] {
	const raw = line.text.length > maxChars ? line.text.slice(0, maxChars) : line.text;
	const shown = (text: string) => sanitize(expandTabs(text));
	const out: Segment[] = [];
	let at = 0;
	for (const [start, end] of ranges?.(raw) ?? []) {
		if (start < at) continue;
		if (start > at) out.push({text: shown(raw.slice(at, start))});
		out.push({text: shown(raw.slice(start, end)), mark: true});
		at = end;
	}
	if (at < raw.length || out.length === 0) out.push({text: shown(raw.slice(at))});
	return out;
}

/** What ends a line over 64 KB on screen, always in view: ` [cut: 70,039 bytes]`. */
export function cutText(line: LogLine): Safe {
	return safe` [cut: ${formatCount(line.bytes)} bytes]`;
}

/** A line's rows: its text cut or wrapped, and a line over 64 KB ending with its byte count in view. */
export function lineRows(line: LogLine, ranges: Ranges | undefined, width: number, wrap: boolean, maxRows: number): Segment[][] {
	const maxChars = wrap ? width * maxRows * 2 + 16 : width * 2 + 16;
	const segments = lineSegments(line, ranges, maxChars);
	if (!line.cut) return layoutSegments(segments, width, wrap, maxRows);
	const mark: Segment = {text: cutText(line)};
	const markWidth = cellWidth(mark.text);
	if (!wrap || maxRows === 1) {
		// the mark takes the end of the row (a pane too narrow for both keeps the mark)
		const room = width - markWidth;
		return room < 4 ? [[mark]] : [[...layoutSegments(segments, room, false, 1)[0]!, mark]];
	}
	const rows = layoutSegments(segments, width, true, maxRows - 1);
	return [...rows, [mark]];
}

/** The pieces a row may break between: a whole escape (\x1b, \u200b) or one character. */
function pieces(text: string): string[] {
	if (/^[\u0020-\u007e]*$/.test(text) && !text.includes('\\')) return Array.from(text);
	return text.match(/\\(?:x[0-9a-f]{2}|u\{[0-9a-f]+\}|u[0-9a-f]{4})|[\s\S]/gu) ?? [];
}

/** Segments laid out in rows of `width` cells: one row cut with … , or all of them wrapped (at most `maxRows`). */
export function layoutSegments(segments: readonly Segment[], width: number, wrap: boolean, maxRows: number): Segment[][] {
	const rows: Segment[][] = [[]];
	let used = 0;
	const room = Math.max(1, width);
	for (const segment of segments) {
		const whole = cellWidth(segment.text);
		if (used + whole <= room) {
			rows.at(-1)!.push(segment);
			used += whole;
			continue;
		}
		let piece = '';
		for (const ch of pieces(segment.text)) {
			const w = cellWidth(ch);
			if (used + w > room) {
				if (!wrap) {
					// cut: the last cell says there is more
					const row = rows.at(-1)!;
					if (piece) row.push({text: piece as Safe, mark: segment.mark});
					return [trimForEllipsis(row, room)];
				}
				if (piece) rows.at(-1)!.push({text: piece as Safe, mark: segment.mark});
				if (rows.length >= maxRows) return rows;
				rows.push([]);
				piece = '';
				used = 0;
			}
			piece += ch;
			used += w;
		}
		if (piece) rows.at(-1)!.push({text: piece as Safe, mark: segment.mark});
	}
	return rows;
}

/** A full row with its last cell given to `…`. */
function trimForEllipsis(row: Segment[], room: number): Segment[] {
	const out: Segment[] = [];
	let used = 0;
	for (const segment of row) {
		let text = '';
		for (const ch of pieces(segment.text)) {
			const w = cellWidth(ch);
			if (used + w > room - 1) break;
			text += ch;
			used += w;
		}
		if (text) out.push({text: text as Safe, mark: segment.mark});
		if (used >= room - 1) break;
	}
	out.push({text: '…' as Safe});
	return out;
}

export type ViewOptions = {
	readonly lines: readonly LogLine[];
	/** index in `lines` of the last line shown */
	readonly bottom: number;
	readonly width: number;
	readonly height: number;
	readonly wrap: boolean;
	readonly ranges?: Ranges;
	/** index of the line n/N is on */
	readonly current?: number;
};

/** The rows on screen, ending with line `bottom`; and the index of the first line (part) shown. */
export function viewRows({lines, bottom, width, height, wrap, ranges, current}: ViewOptions): {rows: Row[]; first: number} {
	const rows: Row[] = [];
	let i = Math.min(bottom, lines.length - 1);
	let first = i + 1;
	for (; i >= 0 && rows.length < height; i--) {
		const line = lines[i]!;
		const level = lineLevel(line.text.length > 400 ? line.text.slice(0, 400) : line.text) ?? line.level;
		// (enough of a line's text to fill the screen: a 64 KB line is not sanitized whole)
		const laid = lineRows(line, ranges, width, wrap, height);
		rows.unshift(...laid.map(segments => ({segments, level, current: i === current})));
		first = i;
	}
	return {rows: rows.slice(Math.max(0, rows.length - height)), first};
}

/** The rows one line takes (1 unless wrapped; at most a screenful). */
export function lineRowCount(line: LogLine, width: number, height: number, wrap: boolean): number {
	return wrap ? lineRows(line, undefined, width, true, height).length : 1;
}
