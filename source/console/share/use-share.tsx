// The `y` (copy) and `E` (export) keys of a screen, from what it offers (current.ts), and the
// export's prompt: "export to: /srv/exports/opsdeck-keys-2026-11-30T12-30-05.csv", prefilled from
// EXPORT_DIR; Tab switches CSV / JSON (the extension), Enter writes, Esc cancels. The flash says
// where the file went, or why nothing was written.
//
// `E`, not `e`: the Logs tab's `e` shows errors only (issue 18), and a key that exports on one tab
// must not filter on another. `y` is free on every tab.
import fs from 'node:fs';
import {useContext, useState, type ReactNode} from 'react';
import {resolveTarget, withFormat, defaultFileName} from '../../export/target.js';
import type {ExportFormat} from '../../export/table.js';
import {ExportError, writeExport} from '../../export/write.js';
import {fitMiddle, formatCount} from '../../text/format.js';
import {errorMessage, mask} from '../../text/mask.js';
import {safe, sanitize} from '../../text/sanitize.js';
import {useClipboard} from '../clipboard.js';
import {BackendsContext, useFrame} from '../context.js';
import type {KeyEntry} from '../input/keymap.js';
import {TextField} from '../components/text-field.js';
import type {Current} from './current.js';

const isFolder = (file: string) => {
	try {
		return fs.statSync(file).isDirectory();
	} catch {
		return false;
	}
};

export type Share = {
	/** `y` and `E` (each only while there is something for it) */
	readonly keys: readonly KeyEntry[];
	/** the export prompt while it is open (one line) */
	readonly prompt: ReactNode;
};

export function useShare(current: Current | undefined, width: number): Share {
	const backends = useContext(BackendsContext);
	const {flash} = useFrame();
	const copy = useClipboard();
	const [prompt, setPrompt] = useState<{readonly initial: string; readonly format: ExportFormat; readonly generation: number} | undefined>();
	// the text in the field (the format toggle rewrites its extension)
	const [typed, setTyped] = useState('');
	const exportDir = backends?.config.exportDir ?? process.cwd();

	const item = current?.item;
	const rows = current?.rows;
	const keys: KeyEntry[] = [];
	if (item !== undefined || rows !== undefined) {
		keys.push({key: 'y', label: 'copy', help: `copy the highlighted ${item?.what ?? 'item'} to the clipboard (OSC 52, with CLIPBOARD=osc52)`, when: item !== undefined, run: () => item && copy(item.text, item.what)});
	}
	if (rows !== undefined) {
		keys.push({
			key: 'E', label: 'export', help: `export the ${rows.name} listed to a CSV or JSON file (asks where; never overwrites)`,
			run: () => {
				const initial = `${exportDir}/${defaultFileName(rows.name, 'csv')}`;
				setTyped(initial);
				setPrompt({initial, format: 'csv', generation: 0});
			},
		});
	}

	const submit = (value: string) => {
		setPrompt(undefined);
		// the rows as the screen shows them when Enter is pressed (the field's handlers are this render's)
		const offer = current?.rows;
		if (!offer) return flash('nothing to export here any more', 'warning');
		const target = resolveTarget(value, {cwd: exportDir, what: offer.name, format: prompt?.format ?? 'csv', isFolder});
		let table;
		try {
			table = offer.table();
		} catch (error) {
			return flash(sanitize(`export failed: ${errorMessage(error)}`), 'error');
		}
		const name = sanitize(offer.name);
		flash(safe`exporting ${formatCount(table.rows.length)} ${name}…`, 'info');
		writeExport(table, target.file, target.format).then(
			result => {
				// the path first, cut in its middle (its end is the file's name): a narrow bar keeps it
				const where = fitMiddle(sanitize(result.file), Math.max(12, width - 40));
				flash(safe`exported to ${where} (${formatCount(result.rows)} ${name}, ${sanitize(target.format.toUpperCase())})${result.renamed ? sanitize(' (a new name: the one asked for was taken)') : sanitize('')}`, 'success');
			},
			// the reason first, then the path cut in its middle: a narrow bar keeps the why
			(error: unknown) => flash(error instanceof ExportError
				? safe`export failed, nothing written: ${sanitize(mask(error.reason))} (${fitMiddle(sanitize(error.path), Math.max(16, width - 60))})`
				: sanitize(`export failed, nothing written: ${errorMessage(error)}`), 'error'),
		);
	};

	const toggle: KeyEntry = {
		key: 'Tab', label: prompt?.format === 'json' ? 'CSV' : 'JSON', help: 'switch between CSV and JSON',
		run: () => {
			if (!prompt) return;
			const format = prompt.format === 'csv' ? 'json' : 'csv';
			const initial = withFormat(typed, format);
			setTyped(initial);
			setPrompt({initial, format, generation: prompt.generation + 1});
		},
	};

	const field = prompt ? (
		<TextField
			key={prompt.generation}
			label="export to:"
			initial={prompt.initial}
			max={4096}
			submitLabel={`write ${prompt.format.toUpperCase()}`}
			isActive
			width={width}
			keys={[toggle]}
			onChange={setTyped}
			onCancel={() => setPrompt(undefined)}
			onSubmit={submit}
		/>
	) : null;
	return {keys, prompt: field};
}
