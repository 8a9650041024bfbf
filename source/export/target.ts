// Where an export goes: the path the operator typed (prefilled with EXPORT_DIR and a name made
// from what is exported and the time), made absolute, and its format — `.json` writes JSON,
// `.csv` CSV; a name with neither gets the extension of the format chosen in the prompt.
import os from 'node:os';
import path from 'node:path';
import type {ExportFormat} from './table.js';

/** `2026-11-30T12-30-05`: sorts by time, and no `:` (not a character every filesystem takes) */
function stamp(date: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}

/** `opsdeck-slow-log-2026-11-30T12-30-05.csv` */
export function defaultFileName(what: string, format: ExportFormat, date = new Date()): string {
	const slug = what.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'rows';
	return `opsdeck-${slug}-${stamp(date)}.${format}`;
}

/** The format a file name asks for, if it says one. */
export function formatOf(file: string): ExportFormat | undefined {
	const ext = path.extname(file).toLowerCase();
	return ext === '.json' ? 'json' : ext === '.csv' ? 'csv' : undefined;
}

/** The same path with the other format's extension (the prompt's toggle). */
export function withFormat(file: string, format: ExportFormat): string {
	const ext = path.extname(file);
	const base = formatOf(file) ? file.slice(0, file.length - ext.length) : file;
	return `${base}.${format}`;
}

export type Target = {readonly file: string; readonly format: ExportFormat};

/**
 * The file and format for what was typed: `~` is the home folder; a relative path is from `cwd`;
 * a folder (an existing one, or a path ending in /) gets the default name in it.
 */
export function resolveTarget(typed: string, options: {readonly cwd: string; readonly what: string; readonly format: ExportFormat; readonly isFolder: (file: string) => boolean; readonly date?: Date}): Target {
	let text = typed.trim();
	if (text === '~' || text.startsWith('~/')) text = path.join(os.homedir(), text.slice(1));
	const folderOnly = text === '' || text.endsWith('/') || text.endsWith(path.sep);
	let file = path.resolve(options.cwd, text);
	if (folderOnly || options.isFolder(file)) file = path.join(file, defaultFileName(options.what, options.format, options.date));
	const format = formatOf(file);
	return format ? {file, format} : {file: `${file}.${options.format}`, format: options.format};
}
