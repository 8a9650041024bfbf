// Copy over SSH: the OSC 52 escape sequence that asks the terminal (or tmux) to set its clipboard.
// The text travels base64-encoded, so nothing in it can act on the terminal; what is copied is
// masked first (a password never leaves through the clipboard) and cut to a size cap on a
// character boundary. Pure: nothing here writes — console/clipboard.ts does, when CLIPBOARD=osc52.
import {mask} from '../text/mask.js';

/** The default cap on what one copy sends (bytes of UTF-8 text, before base64). */
export const defaultClipboardMaxBytes = 64 * 1024;

export type PreparedCopy = {
	/** what goes to the clipboard */
	readonly text: string;
	/** its size in bytes (UTF-8) */
	readonly bytes: number;
	/** the size of the whole text before the cap */
	readonly fullBytes: number;
	/** cut at the cap */
	readonly cut: boolean;
	/** a password (a URL's, a registered secret) was replaced by *** */
	readonly masked: boolean;
};

/** The first `maxBytes` bytes of `text` as whole characters. */
export function cutToBytes(text: string, maxBytes: number): string {
	const bytes = Buffer.from(text, 'utf8');
	if (bytes.length <= maxBytes) return text;
	let end = maxBytes;
	// back to the start of a character: UTF-8 continuation bytes are 10xxxxxx
	while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
	return bytes.subarray(0, end).toString('utf8');
}

/** The text as it will be copied: masked, then cut to `maxBytes`. */
export function prepareCopy(text: string, maxBytes: number): PreparedCopy {
	const masked = mask(text);
	const fullBytes = Buffer.byteLength(masked, 'utf8');
	const out = cutToBytes(masked, maxBytes);
	return {text: out, bytes: Buffer.byteLength(out, 'utf8'), fullBytes, cut: out.length < masked.length, masked: masked !== text};
}

/**
 * The sequence that sets the clipboard to `text`: OSC 52 on the clipboard selection, ended by BEL
 * (xterm, kitty, iTerm2, WezTerm, foot and tmux all take it).
 *
 * Inside tmux (`$TMUX` set): tmux itself reads OSC 52 when `set-clipboard` is `on` — it puts the
 * text in its paste buffer and passes it on to the outer terminal (checked with tmux 3.3a: the
 * plain sequence lands in `tmux show-buffer`; the DCS-wrapped one does not). With `set-clipboard`
 * off or `external` tmux drops it; the same sequence wrapped in tmux's DCS passthrough
 * (`ESC P tmux; …ESC doubled… ESC \`) then reaches the outer terminal when `allow-passthrough` is
 * on. Both are sent: the one tmux does not take is dropped without a trace.
 */
export function osc52(text: string, options: {readonly tmux?: boolean} = {}): string {
	const plain = `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
	if (!options.tmux) return plain;
	const wrapped = `\u001bPtmux;${plain.replaceAll('\u001b', '\u001b\u001b')}\u001b\\`;
	return plain + wrapped;
}
