// What a tab's screen offers to copy and export: its current item (`y`) and its current rows (`E`).
// A screen hands this to TabScreen (`current`), which adds the two keys to its keymap (so the bar
// and the `?` help list them) and runs them. The rows are made only when exported: a list of
// 100,000 keys is not copied on every frame.
import {keyText} from '../../backends/redis/key-bytes.js';
import type {Safe} from '../../text/sanitize.js';
import type {Cell, ExportTable} from '../../export/table.js';
import type {Column} from '../components/table.js';

export type CopyItem = {
	/** the text copied, as it is (not as the screen cuts it) */
	readonly text: string;
	/** what it is, for the flash and the help: "key", "value", "query", "log line" */
	readonly what: string;
};

export type CurrentRows = {
	/** what the rows are ("keys", "sessions", "slow log"): the default file name and the flash */
	readonly name: string;
	readonly table: () => ExportTable;
};

export type Current = {
	readonly item?: CopyItem | undefined;
	readonly rows?: CurrentRows | undefined;
};

/**
 * The rows of a table as the screen shows them: each column's title and each cell's text (every
 * column, also those a narrow pane drops). `extra` adds columns the table does not show.
 */
export function tableRows<Row>(name: string, columns: readonly Column<Row>[], rows: readonly Row[], extra: readonly {readonly title: string; readonly value: (row: Row) => Cell | Safe}[] = []): ExportTable {
	return {
		name,
		columns: [...columns.map(column => column.title || column.key), ...extra.map(e => e.title)],
		rows: rows.map(row => [...columns.map(column => column.value(row) as string), ...extra.map(e => e.value(row))]),
	};
}

// a byte that is not UTF-8, kept in a key name as a lone surrogate (backends/redis/key-bytes.ts)
const notUtf8 = /[\udc80-\udcff]/;

/** A key as copied: as it is, or — with bytes that are not UTF-8 — in the form the list shows (`\xff`), which `opsdeck inspect` reads back. */
export function copyableKey(key: string): string {
	return notUtf8.test(key) ? keyText(key) : key;
}
