// Splits whatever arrives in one read into the keys it holds, in order. Over SSH, from a paste or
// key repeat, one read can hold `jjj` or a pattern followed by Enter (Ink hands such a run over as
// one string): here each is a key of its own, so the router can handle each against the state
// the one before it left.

/**
 * One key. `name` is what keymaps match: the character itself for a printable key ('j', 'G', '/'),
 * 'space', or a named key ('enter', 'escape', 'tab', 'shift-tab', 'backspace', 'delete', 'up',
 * 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'ctrl-c', 'unknown').
 * `text` is what it types into a text field: the character for a printable key, '' otherwise.
 */
export type KeyPress = {readonly name: string; readonly text: string};

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

/** Every key in `chunk`, in order. */
export function splitKeys(chunk: string): KeyPress[] {
	const keys: KeyPress[] = [];
	let i = 0;
	while (i < chunk.length) {
		if (chunk[i] === '\u001b') {
			const [key, next] = escapeAt(chunk, i);
			// bracketed paste is never switched on; markers a terminal sends anyway are not keys
			if (key.name !== 'paste-start' && key.name !== 'paste-end') keys.push(key);
			i = next;
			continue;
		}
		const char = String.fromCodePoint(chunk.codePointAt(i)!);
		keys.push(single(char));
		i += char.length;
	}
	return keys;
}
