// What an export holds: the rows of a list as the console shows them (its column titles, each
// cell's text), and the two formats it is written in. CSV per RFC 4180 (a field with a comma, a
// quote or a line break is quoted, quotes doubled, CRLF between records) and safe to open in a
// spreadsheet: a cell that starts with = + - @ (or a tab or CR) would run as a formula there
// (CSV injection, OWASP), so it gets a leading apostrophe — except a plain number (-3, +12.5).
// Every cell is masked first: a query or a client name can carry a password.
import {mask} from '../text/mask.js';

export type Cell = string | number | boolean | null;

export type ExportTable = {
	/** what the rows are, for the default file name and the message ("keys", "slow log") */
	readonly name: string;
	readonly columns: readonly string[];
	readonly rows: readonly (readonly Cell[])[];
};

export type ExportFormat = 'csv' | 'json';

const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function masked(cell: Cell): Cell {
	return typeof cell === 'string' ? mask(cell) : cell;
}

/** A cell as CSV: masked, defused (a formula becomes text), quoted when it has to be. */
export function csvField(cell: Cell): string {
	let text = cell === null ? '' : String(masked(cell));
	if (typeof cell === 'string' && formulaStart.test(text) && !plainNumber.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: ExportTable): string {
	const lines = [table.columns.map(csvField), ...table.rows.map(row => table.columns.map((_, i) => csvField(row[i] ?? null)))];
	return lines.map(fields => fields.join(',')).join('\r\n') + '\r\n';
}

/** An array of objects, one a row, keyed by the column titles (a title used twice gets " 2"). */
export function toJson(table: ExportTable): string {
	const keys: string[] = [];
	for (const [i, title] of table.columns.entries()) {
		let key = title || `column ${i + 1}`;
		for (let n = 2; keys.includes(key); n++) key = `${title || `column ${i + 1}`} ${n}`;
		keys.push(key);
	}
	const rows = table.rows.map(row => Object.fromEntries(keys.map((key, i) => [key, masked(row[i] ?? null)])));
	return JSON.stringify(rows, null, 2) + '\n';
}

export function serialize(table: ExportTable, format: ExportFormat): string {
	return format === 'json' ? toJson(table) : toCsv(table);
}
