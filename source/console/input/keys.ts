// Splits whatever arrives in one read into the keys it holds, in order. Over SSH, from a paste or
// key repeat, one read can hold `jjj` or a pattern followed by Enter (Ink hands such a run over as
// one string): here each is a key of its own, so the router can handle each against the state
// the one before it left.
//
// Bracketed paste (run-console.tsx switches it on): the terminal wraps a paste in ESC [200~ …
// ESC [201~. A KeyReader hands what a read holds of a paste over as ONE key (name 'paste', `paste`:
// which paste, `text`: its printable text), so the router never runs any of it as a command
// (router.ts) and a paste of megabytes is a few keys, not one per character. Its state spans reads:
// a marker may be split between two (Ink holds back an unfinished escape sequence only until the
// event loop turns), and a long paste arrives in several reads, each of them with no marker. An end
// marker does not end the paste at once: everything in the same burst after it is pasted too
// (pasteTailMs), as a paste may hold an ESC [201~ of its own.

/**
 * One key. `name` is what keymaps match: the character itself for a printable key ('j', 'G', '/'),
 * 'space', or a named key ('enter', 'escape', 'tab', 'shift-tab', 'backspace', 'delete', 'up',
 * 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'ctrl-c', 'unknown').
 * `text` is what it types into a text field: the character for a printable key, '' otherwise.
 */
export type KeyPress = {
	readonly name: string;
	readonly text: string;
	/** set on a key of a bracketed paste: the number of that paste (one KeyReader counts them from 1) */
	readonly paste?: number;
};

const named = (name: string): KeyPress => ({name, text: ''});

// ESC [ <final> and ESC O <final>
const finals: Readonly<Record<string, string>> = {A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'shift-tab', P: 'f1', Q: 'f2', R: 'f3', S: 'f4'};
// ESC [ <number> ~
const tildes: Readonly<Record<string, string>> = {'1': 'home', '2': 'insert', '3': 'delete', '4': 'end', '5': 'pageup', '6': 'pagedown', '7': 'home', '8': 'end', '200': 'paste-start', '201': 'paste-end'};

/** A key that is not an escape sequence. */
function single(char: string): KeyPress {
	if (char === '\r' || char === '\n') return named('enter');
	if (char === '\t') return named('tab');
	if (char === '\u007f' || char === '\b') return named('backspace');
	if (char === ' ') return {name: 'space', text: ' '};
	if (char === '\u0000') return named('ctrl-space');
	const code = char.codePointAt(0)!;
	if (code <= 0x1a) return named(`ctrl-${String.fromCharCode(code + 0x60)}`);
	// other controls (C0 and C1) type nothing and reach no screen
	if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return named('unknown');
	return {name: char, text: char};
}

/** The CSI sequence starting at `start` (just after ESC [): its key and where the next one starts. */
function csiAt(chunk: string, start: number): [KeyPress, number] {
	let i = start;
	// Linux console function keys: ESC [ [ A
	if (chunk[i] === '[') i++;
	while (i < chunk.length) {
		const code = chunk.charCodeAt(i);
		if (code >= 0x40 && code <= 0x7e) break;
		if (code < 0x20 || code > 0x3f) return [named('unknown'), i];
		i++;
	}
	if (i >= chunk.length) return [named('unknown'), i];
	const final = chunk[i]!;
	const params = chunk.slice(start, i).split(';');
	// modifiers (ESC [ 1 ; 5 A) are ignored: Ctrl-↑ moves like ↑, as it did through Ink
	const name = final === '~' ? tildes[params[0]!] : chunk[start] === '[' ? undefined : finals[final];
	return [named(name ?? 'unknown'), i + 1];
}

/** The key of the escape sequence starting at `at` (an ESC) and where the next key starts. */
function escapeAt(chunk: string, at: number): [KeyPress, number] {
	const next = chunk[at + 1];
	if (next === undefined) return [named('escape'), at + 1];
	if (next === '[') return csiAt(chunk, at + 2);
	if (next === 'O' && at + 2 < chunk.length) return [named(finals[chunk[at + 2]!] ?? 'unknown'), at + 3];
	if (next === '\u001b') {
		// ESC ESC [ A: Alt with an arrow, read as the arrow (Ink did the same)
		const after = chunk[at + 2];
		if (after === '[' || after === 'O') return escapeAt(chunk, at + 1);
		// Esc pressed twice in one read: two keys (closing a view, then its parent)
		return [named('escape'), at + 1];
	}
	// ESC x: Esc, then x. A terminal sends Alt-x this way too, but nothing here uses Alt, while Esc and
	// then a key in one read is common (a slow link, keys typed while a frame is drawn): closing a view
	// and moving in the one below must not become one unknown key
	return [named('escape'), at + 1];
}

/**
 * A paste whose end marker never comes (a cut connection, a terminal that lost it) ends by itself
 * after this long with nothing read. A paste comes in one burst: its reads follow each other as
 * fast as the console reads them, so a second of silence is not one paste any more, and keys the
 * operator types after it are keys again. (Ending it at the first read with no marker instead
 * would run the middle of every long paste as keys: that read is just its next 4 KB.) Generous on
 * purpose: a console busy drawing for a moment must not end a real paste in its middle.
 */
export const pasteIdleMs = 1000;

/**
 * After an end marker the paste goes on while input keeps coming in the same burst: until the
 * input has been quiet this long (each read starts the wait again). A paste can hold ESC [201~
 * itself (terminals and tmux's paste-buffer -p pass it through raw), and what follows it in the
 * paste must not run as keys: `ESC[201~delete⏎` into a confirm dialog, `ESC[201~x` and then a
 * dialog's word, `ls⏏ESC[201~q`. Nobody types a key within 50 ms of a paste's end.
 */
export const pasteTailMs = 50;

/**
 * The most a paste hands on (characters, per key and per paste queued): more than any text
 * field holds (a field keeps its first `max`, router.ts); the rest is dropped at once, so a
 * paste of megabytes is one piece of work, not one per character.
 */
export const pasteKeep = 65_536;

const pasteStart = '\u001b[200~';
const pasteEnd = '\u001b[201~';

/** Controls (C0, DEL, C1) a paste carries: a newline, a tab, a DEL: none types anything. */
const pasteControls = /[\u0000-\u001f\u007f-\u009f]/gu;

/** The first `pasteKeep` characters of pasted text (a pair of surrogates is not cut in two). */
export function keepPasted(text: string): string {
	if (text.length <= pasteKeep) return text;
	const code = text.charCodeAt(pasteKeep - 1);
	return text.slice(0, code >= 0xd800 && code <= 0xdbff ? pasteKeep - 1 : pasteKeep);
}

/** The end of a read that may be the beginning of a paste marker, cut there: the rest may come next. */
function markerStartAt(chunk: string): number {
	for (let at = Math.max(0, chunk.length - (pasteStart.length - 1)); at < chunk.length; at++) {
		const tail = chunk.slice(at);
		if (pasteStart.startsWith(tail) || pasteEnd.startsWith(tail)) return at;
	}
	return -1;
}

/** Splits reads into keys, remembering across reads whether a bracketed paste is open. */
export class KeyReader {
	/** the paste open now (0: none) and how many there were */
	#paste = 0;
	#pastes = 0;
	/** the paste's end marker came: it lasts while the burst goes on (pasteTailMs) */
	#tail = false;
	/** when the last read came */
	#lastRead = Number.NEGATIVE_INFINITY;
	/** the end of the last read when it could be the first part of a marker */
	#held = '';

	/** Whether a paste is open at `now` (its burst not over, nor given up on). */
	inPaste(now = Date.now()): boolean {
		return this.#paste !== 0 && now - this.#lastRead <= (this.#tail ? pasteTailMs : pasteIdleMs);
	}

	/**
	 * The console was busy until `now` (its event loop blocked, drawing): input that waited for it
	 * was not quiet input, so a paste's quiet time counts from here (router.ts watches for this).
	 */
	busyUntil(now: number): void {
		if (this.#paste !== 0) this.#lastRead = Math.max(this.#lastRead, now);
	}

	/**
	 * Every key in `chunk`, in order; `now` is when it was read (tests give their own clock). What
	 * a paste holds in this read is one key (name 'paste', `paste` set), last: its text with the
	 * controls and escape sequences taken out (at most `pasteKeep` characters), '' when it had none.
	 */
	read(chunk: string, now = Date.now()): KeyPress[] {
		if (!this.inPaste(now)) {
			this.#paste = 0;
			this.#tail = false;
		}
		const fresh = now - this.#lastRead <= pasteIdleMs;
		this.#lastRead = now;
		let text = chunk;
		const held = this.#held;
		this.#held = '';
		// the rest of a marker the last read cut: ESC [ 2 then 00~. The held part was no key (a lone
		// ESC was: Esc was handled then, as it would be now); without its rest it stays nothing.
		if (held && fresh) {
			const joined = held + chunk;
			if (joined.startsWith(pasteStart) || joined.startsWith(pasteEnd)) text = joined;
		}
		const keys: KeyPress[] = [];
		// this read's part of a paste: once a paste is open it lasts to the end of the read (an end
		// marker only starts its tail), so it is the read's last key
		let pasted = '';
		let inPasted = false;
		let i = 0;
		while (i < text.length) {
			if (this.#paste !== 0) {
				inPasted = true;
				// text up to the next escape, at once (a paste can be megabytes)
				let escape = text.indexOf('\u001b', i);
				if (escape === -1) escape = text.length;
				if (escape > i) {
					if (pasted.length < pasteKeep) pasted += text.slice(i, Math.min(escape, i + pasteKeep)).replace(pasteControls, '');
					i = escape;
					continue;
				}
			}
			if (text[i] === '\u001b') {
				// an unfinished marker at the end: nothing yet (the next read may finish it); a lone ESC is Esc
				if (i + 1 < text.length && i === markerStartAt(text)) {
					this.#held = text.slice(i);
					break;
				}
				if (i === text.length - 1) this.#held = '\u001b';
				const [key, next] = escapeAt(text, i);
				i = next;
				if (key.name === 'paste-start') {
					// a start inside a paste (or its tail) goes on with the same paste
					if (this.#paste === 0) this.#paste = ++this.#pastes;
					this.#tail = false;
					continue;
				}
				if (key.name === 'paste-end') {
					// the paste's burst goes on until the input is quiet (a stray end marker is nothing)
					if (this.#paste !== 0) this.#tail = true;
					continue;
				}
				// an escape sequence in a paste types nothing
				if (this.#paste === 0) keys.push(key);
				continue;
			}
			const char = String.fromCodePoint(text.codePointAt(i)!);
			keys.push(single(char));
			i += char.length;
		}
		if (inPasted) keys.push({name: 'paste', text: keepPasted(pasted), paste: this.#paste});
		return keys;
	}
}

/** Every key in `chunk`, in order (one read on its own: a paste in it is one key, its markers are no keys). */
export function splitKeys(chunk: string): KeyPress[] {
	return new KeyReader().read(chunk);
}
