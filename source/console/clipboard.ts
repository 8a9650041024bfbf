// `y` in the console: copies a highlighted thing (a key, a value, a query, a log line) to the
// clipboard of the operator's own terminal, over SSH, with OSC 52 (clipboard/osc52.ts) — only when
// CLIPBOARD=osc52 is set; otherwise nothing is written to the terminal and the flash says how to
// turn it on. What is copied is masked and capped; the flash says what went (sanitized and short).
// A tab that wants `y` for another item calls useClipboard(); most only hand TabScreen their
// current item (share/current.ts) and get `y` from it.
import {useStdout} from 'ink';
import {useCallback, useContext} from 'react';
import {osc52, prepareCopy} from '../clipboard/osc52.js';
import type {ShareSettings} from '../config/share-settings.js';
import {fit, formatBytes} from '../text/format.js';
import {errorMessage} from '../text/mask.js';
import {safe, sanitize, type Safe} from '../text/sanitize.js';
import {BackendsContext, useFrame, type Tone} from './context.js';

export type CopyOptions = {
	readonly settings: Pick<ShareSettings, 'clipboard' | 'clipboardMaxBytes'>;
	/** `$TMUX` set: tmux's passthrough form is sent too */
	readonly tmux: boolean;
	/** writes to the terminal (the console's stdout) */
	readonly write: (data: string) => void;
};

export type CopyOutcome = {readonly message: Safe; readonly tone: Tone; readonly written: boolean};

/** How much of the copied text the flash shows. */
const previewCells = 40;

/** Copies `text` (a `what`: "key", "query", "log line") with OSC 52, when the setting allows. */
export function copyToClipboard(text: string, what: string, options: CopyOptions): CopyOutcome {
	const name = sanitize(what);
	if (options.settings.clipboard !== 'osc52') {
		// the setting first: a 40-column bar keeps it
		return {message: safe`set CLIPBOARD=osc52 to copy the ${name} (copy is off; in tmux also set-clipboard on)`, tone: 'warning', written: false};
	}
	if (text === '') return {message: safe`nothing to copy: the ${name} is empty`, tone: 'warning', written: false};
	const copy = prepareCopy(text, options.settings.clipboardMaxBytes);
	try {
		options.write(osc52(copy.text, {tmux: options.tmux}));
	} catch (error) {
		return {message: sanitize(`copy failed: ${errorMessage(error)}`), tone: 'error', written: false};
	}
	// the start of it, on one line: controls shown escaped, never raw
	const preview = fit(sanitize(Array.from(copy.text).slice(0, previewCells * 2).join('')), previewCells);
	const notes: Safe[] = [];
	if (copy.cut) notes.push(safe`cut to ${formatBytes(copy.bytes)} of ${formatBytes(copy.fullBytes)} (CLIPBOARD_MAX_BYTES)`);
	if (copy.masked) notes.push(sanitize('password masked'));
	const size = copy.cut ? sanitize('') : safe` (${formatBytes(copy.bytes)})`;
	const tail = notes.length > 0 ? sanitize(`; ${notes.join('; ')}`) : sanitize('');
	return {message: safe`copied ${name} ${preview}${size}${tail}`, tone: copy.cut ? 'warning' : 'success', written: true};
}

/** `copy(text, what)`: copies and flashes what happened. */
export function useClipboard(): (text: string, what: string) => void {
	const backends = useContext(BackendsContext);
	const {flash} = useFrame();
	const {stdout} = useStdout();
	return useCallback((text: string, what: string) => {
		const settings = backends?.config ?? {clipboard: undefined, clipboardMaxBytes: 0};
		const outcome = copyToClipboard(text, what, {settings, tmux: Boolean(process.env.TMUX), write: data => stdout.write(data)});
		flash(outcome.message, outcome.tone);
	}, [backends, flash, stdout]);
}
