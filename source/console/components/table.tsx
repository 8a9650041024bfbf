// A small windowed table: only the rows that fit are rendered, the cursor stays in view, columns
// take the width they can and the least important ones are dropped on a narrow terminal instead of
// wrapping. Every cell is sanitized here as a last line of defence.
import {Box, Text} from 'ink';
import {cellWidth, fit, fitMiddle} from '../../text/format.js';
import {sanitize, type Safe} from '../../text/sanitize.js';

export type Column<Row> = {
	readonly key: string;
	readonly title: string;
	/** Safe: a cell shows server text, so it must have been sanitized (the title is the console's own) */
	readonly value: (row: Row) => Safe;
	/** fixed width; without it the column shares the remaining width */
	readonly width?: number;
	readonly minWidth?: number;
	readonly align?: 'left' | 'right';
	/** where a value too wide is cut: at the end (default) or in the middle (names whose end tells rows apart) */
	readonly cut?: 'end' | 'middle';
	/** when the terminal is narrow the highest number is dropped first; 0 (default) is never dropped */
	readonly priority?: number;
	readonly color?: (row: Row) => string | undefined;
};

type Props<Row> = {
	readonly columns: readonly Column<Row>[];
	readonly rows: readonly Row[];
	readonly cursor?: number;
	/** total height in lines, header included */
	readonly height: number;
	readonly width: number;
	readonly rowKey?: (row: Row, index: number) => string;
	readonly showCursor?: boolean;
	readonly empty?: string;
};

/** The first visible row so that the cursor is in view (kept near the same place while it moves). */
export function windowStart(cursor: number, count: number, visible: number): number {
	if (count <= visible) return 0;
	const start = cursor - Math.floor(visible / 2);
	return Math.min(Math.max(0, start), count - visible);
}

/** Widths for the columns that fit, dropping the lowest-priority ones first. */
export function layoutColumns<Row>(columns: readonly Column<Row>[], width: number): {column: Column<Row>; width: number}[] {
	let kept = [...columns];
	const need = (cols: Column<Row>[]) => cols.reduce((sum, c) => sum + (c.width ?? c.minWidth ?? 8), 0) + Math.max(0, cols.length - 1);
	while (need(kept) > width && kept.some(c => (c.priority ?? 0) > 0)) {
		const droppable = kept.filter(c => (c.priority ?? 0) > 0);
		const first = droppable.reduce((a, b) => ((b.priority ?? 0) > (a.priority ?? 0) ? b : a));
		kept = kept.filter(c => c !== first);
	}
	const fixed = kept.reduce((sum, c) => sum + (c.width ?? 0), 0) + Math.max(0, kept.length - 1);
	const flexible = kept.filter(c => c.width === undefined);
	const share = flexible.length > 0 ? Math.max(0, width - fixed) / flexible.length : 0;
	let leftover = flexible.length > 0 ? Math.max(0, width - fixed) - Math.floor(share) * flexible.length : 0;
	return kept.map(column => {
		if (column.width !== undefined) return {column, width: column.width};
		const extra = leftover > 0 ? 1 : 0;
		leftover -= extra;
		return {column, width: Math.max(1, Math.floor(share) + extra)};
	});
}

function cell(text: string, width: number, align: 'left' | 'right' = 'left', cut: 'end' | 'middle' = 'end'): string {
	const clean = cut === 'middle' ? fitMiddle(sanitize(text), width) : fit(sanitize(text), width);
	// padded by terminal cells: a wide character takes two
	const pad = Math.max(0, width - cellWidth(clean));
	return align === 'right' ? ' '.repeat(pad) + clean : clean + ' '.repeat(pad);
}

export function Table<Row>({columns, rows, cursor = 0, height, width, rowKey, showCursor = true, empty = 'nothing to show'}: Props<Row>) {
	const layout = layoutColumns(columns, width);
	const visible = Math.max(0, height - 1);
	const start = windowStart(cursor, rows.length, visible);
	const shown = rows.slice(start, start + visible);
	return (
		<Box flexDirection="column" height={height} width={width} overflowY="hidden">
			<Text bold wrap="truncate">
				{layout.map(({column, width: w}, i) => (i > 0 ? ' ' : '') + cell(column.title, w, column.align)).join('')}
			</Text>
			{rows.length === 0 ? <Text dimColor>{fit(empty, width)}</Text> : null}
			{shown.map((row, i) => {
				const index = start + i;
				const selected = showCursor && index === cursor;
				return (
					<Text key={rowKey ? rowKey(row, index) : index} inverse={selected} wrap="truncate">
						{layout.map(({column, width: w}, c) => (
							<Text key={column.key} color={column.color?.(row)}>
								{(c > 0 ? ' ' : '') + cell(column.value(row), w, column.align, column.cut)}
							</Text>
						))}
					</Text>
				);
			})}
		</Box>
	);
}
