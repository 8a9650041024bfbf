// The settings of copy and export (issue 20): CLIPBOARD (osc52 or off), CLIPBOARD_MAX_BYTES (the
// cap on one copy) and EXPORT_DIR (the folder an export's prompt starts in). Kept apart from
// config.ts, which only picks the values from their sources.
import path from 'node:path';
import {defaultClipboardMaxBytes} from '../clipboard/osc52.js';
import {ConfigError} from './config-file.js';
import {quote} from '../text/sanitize.js';

export type ShareSettings = {
	/** CLIPBOARD=osc52: `y` writes OSC 52; undefined: `y` says how to turn it on and writes nothing */
	readonly clipboard: 'osc52' | undefined;
	readonly clipboardMaxBytes: number;
	/** where the export prompt starts (absolute) */
	readonly exportDir: string;
};

type Picked = {readonly value: unknown; readonly name: string};

/** The largest cap CLIPBOARD_MAX_BYTES takes: 1 MiB (4/3 of it in base64 through the terminal). */
export const clipboardMaxLimit = 1024 * 1024;

export function shareSettings(picked: {readonly clipboard: Picked; readonly clipboardMax: Picked; readonly exportDir: Picked}, cwd: string): ShareSettings {
	const {clipboard, clipboardMax, exportDir} = picked;
	const mode = clipboard.value === undefined ? '' : String(clipboard.value).trim().toLowerCase();
	if (!['', 'osc52', 'off', 'none'].includes(mode)) throw new ConfigError(`${clipboard.name} must be osc52 or off (got ${quote(String(clipboard.value).slice(0, 40))})`);
	let max = defaultClipboardMaxBytes;
	if (clipboardMax.value !== undefined) {
		const text = String(clipboardMax.value).trim();
		max = /^\d+$/.test(text) ? Number(text) : Number.NaN;
		if (!Number.isInteger(max) || max < 1 || max > clipboardMaxLimit) throw new ConfigError(`${clipboardMax.name} must be a whole number of bytes from 1 to ${clipboardMaxLimit} (got ${quote(text.slice(0, 40))})`);
	}
	return {
		clipboard: mode === 'osc52' ? 'osc52' : undefined,
		clipboardMaxBytes: max,
		exportDir: path.resolve(cwd, String(exportDir.value ?? '.')),
	};
}
