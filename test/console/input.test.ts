// The input layer without a terminal: a read split into keys in order, a keymap's matching, the
// bottom bar's fitting, and who gets a key first (router.ts's order).
import {describe, expect, it} from 'vitest';
import {barItems, fitBar, helpLines, keyNames, runKeymap, type KeyEntry} from '../../source/console/input/keymap.js';
import {keepPasted, KeyReader, pasteIdleMs, pasteKeep, pasteTailMs, splitKeys} from '../../source/console/input/keys.js';
import {InputRouter} from '../../source/console/input/router.js';

const names = (chunk: string) => splitKeys(chunk).map(k => k.name);

describe('splitKeys', () => {
	it('splits a run of text into one key per character, in order', () => {
		expect(names('jjj')).toEqual(['j', 'j', 'j']);
		expect(names('/b*\r')).toEqual(['/', 'b', '*', 'enter']);
		expect(splitKeys('flush\r').map(k => k.text).join('')).toBe('flush');
		expect(names('n n')).toEqual(['n', 'space', 'n']);
	});

	it('reads escape sequences, controls and editing keys as the keys they are', () => {
		expect(names('\u001b[A\u001b[B\u001bOC\u001b[D')).toEqual(['up', 'down', 'right', 'left']);
		expect(names('\u001b[5~\u001b[6~\u001b[H\u001b[F\u001b[1~\u001b[4~')).toEqual(['pageup', 'pagedown', 'home', 'end', 'home', 'end']);
		expect(names('\t\u001b[Z')).toEqual(['tab', 'shift-tab']);
		expect(names('ab\u007f\bc')).toEqual(['a', 'b', 'backspace', 'backspace', 'c']);
		expect(names('\u0003\u0015\n')).toEqual(['ctrl-c', 'ctrl-u', 'enter']);
		expect(names('\u001b')).toEqual(['escape']);
		// Esc twice in one read is two presses, each closing something
		expect(names('\u001b\u001b')).toEqual(['escape', 'escape']);
		// Ctrl-↑ moves like ↑; Alt-↑ is ↑; Esc then j in one read is both keys (Alt-j reads the same: nothing uses Alt)
		expect(names('\u001b[1;5A\u001bj\u001b\u001b[A')).toEqual(['up', 'escape', 'j', 'up']);
	});

	it('types nothing for controls, drops paste markers, keeps any printable character', () => {
		expect(splitKeys('\u0007\u009b').map(k => k.text)).toEqual(['', '']);
		expect(names('\u001b[200~ab\u001b[201~')).toEqual(['paste']);
		expect(splitKeys('é😀').map(k => k.text)).toEqual(['é', '😀']);
		expect(names('\u001b[99x')).toEqual(['unknown']);
	});
});

describe('KeyReader: bracketed paste', () => {
	// a paste's part of a read is one key: paste@N:text
	const shown = (keys: ReturnType<typeof splitKeys>) => keys.map(k => (k.paste === undefined ? k.name : `paste@${k.paste}:${k.text}`));
	const later = pasteTailMs + 1;

	it('makes what a read holds of a paste one key, its text without controls and escapes; the markers no keys; counts the pastes', () => {
		const reader = new KeyReader();
		expect(shown(reader.read('j\u001b[200~x\rq\u001b[A\u0003\u001b[201~', 0))).toEqual(['j', 'paste@1:xq']);
		expect(shown(reader.read('\u001b[200~2\u001b[201~', later))).toEqual(['paste@2:2']);
		// Ink hands a marker over as a read of its own
		expect(shown([...reader.read('\u001b[200~', 2 * later), ...reader.read('F\u001b', 2 * later + 1), ...reader.read('\u001b[201~', 2 * later + 2), ...reader.read('F', 3 * later + 2)])).toEqual(['paste@3:F', 'paste@3:', 'F']);
		// a paste of nothing but a newline is still a paste (dropped, and said so, outside a field)
		expect(shown(reader.read('\u001b[200~\r\u001b[201~', 5 * later))).toEqual(['paste@4:']);
	});

	it('a paste spans reads with no marker in them (a long paste comes 4 KB a read)', () => {
		const reader = new KeyReader();
		expect(shown(reader.read('\u001b[200~ab', 0))).toEqual(['paste@1:ab']);
		expect(shown(reader.read('q\r', 5))).toEqual(['paste@1:q']);
		expect(shown(reader.read('x\u001b[201~', 10))).toEqual(['paste@1:x']);
		expect(shown(reader.read('q', 10 + later))).toEqual(['q']);
	});

	it('what comes in the same burst after an end marker is pasted too: a paste holding ESC [201~ runs none of its keys', () => {
		const reader = new KeyReader();
		// ESC[201~delete⏎ pasted: the terminal passes the inner marker through raw
		expect(shown(reader.read('\u001b[200~\u001b[201~delete\r\u001b[201~', 0))).toEqual(['paste@1:delete']);
		// the tail goes on while reads keep coming less than pasteTailMs apart, each extending it
		expect(shown(reader.read('x', pasteTailMs))).toEqual(['paste@1:x']);
		expect(shown(reader.read('\u007f'.repeat(10), 2 * pasteTailMs))).toEqual(['paste@1:']);
		expect(shown(reader.read('delete\r', 3 * pasteTailMs))).toEqual(['paste@1:delete']);
		expect(reader.inPaste(4 * pasteTailMs)).toBe(true);
		expect(reader.inPaste(4 * pasteTailMs + 1)).toBe(false);
		// quiet for longer: keys again (q quits, Ctrl-C)
		expect(shown(reader.read('q\u0003', 4 * pasteTailMs + 1))).toEqual(['q', 'ctrl-c']);
		// ls -la⏎ESC[201~q in one read: q is pasted
		expect(shown(reader.read('\u001b[200~ls -la\n\u001b[201~q', 1000))).toEqual(['paste@2:ls -laq']);
		// a start marker inside a paste (or its tail) goes on with the same paste, and lifts the tail
		expect(shown(reader.read('\u001b[200~a\u001b[200~b\u001b[201~c', 2000))).toEqual(['paste@3:abc']);
		expect(shown(reader.read('\u001b[200~d', 2000 + pasteTailMs))).toEqual(['paste@3:d']);
		expect(reader.inPaste(2000 + pasteTailMs + pasteIdleMs)).toBe(true);
		// time the console was busy (a late tick: its event loop blocked) is not quiet time
		expect(shown(reader.read('\u001b[200~e\u001b[201~', 4000))).toEqual(['paste@4:e']);
		reader.busyUntil(4000 + 5 * pasteTailMs);
		expect(shown(reader.read('q', 4000 + 6 * pasteTailMs))).toEqual(['paste@4:q']);
		// a stray end marker outside a paste is nothing
		expect(shown(reader.read('\u001b[201~j', 6000))).toEqual(['j']);
	});

	it('keeps at most pasteKeep characters of a paste a read, however long it is, at once', () => {
		const reader = new KeyReader();
		const started = performance.now();
		const [key] = reader.read(`\u001b[200~${'a'.repeat(1_000_000)}\u001b[201~`, 0);
		expect(performance.now() - started).toBeLessThan(500);
		expect(key?.text.length).toBe(pasteKeep);
		// a pair of surrogates is not cut in two
		expect(keepPasted('a' + '😀'.repeat(pasteKeep))).toHaveLength(pasteKeep - 1);
	});

	it('joins a marker split between two reads: ESC [20 then 0~…, and ESC then [201~', () => {
		const reader = new KeyReader();
		expect(shown(reader.read('j\u001b[20', 0))).toEqual(['j']);
		expect(shown(reader.read('0~x\nq2F', 1))).toEqual(['paste@1:xq2F']);
		expect(shown(reader.read('q\u001b[2', 2))).toEqual(['paste@1:q']);
		expect(shown(reader.read('01~q', 3))).toEqual(['paste@1:q']);
		expect(shown(reader.read('q', 3 + later))).toEqual(['q']);
		// ESC alone at the end is Esc at once (it may be the key); a [200~ right after makes it a marker
		expect(shown(reader.read('\u001b', 200))).toEqual(['escape']);
		expect(shown(reader.read('[200~x', 201))).toEqual(['paste@2:x']);
		expect(shown(reader.read('\u001b', 202))).toEqual(['paste@2:']);
		expect(shown(reader.read('[201~x', 203))).toEqual(['paste@2:x']);
		expect(shown(reader.read('x', 203 + later))).toEqual(['x']);
	});

	it('a held part of a marker that the next read does not finish is nothing, and the next read its own keys', () => {
		const reader = new KeyReader();
		expect(shown(reader.read('\u001b[20', 0))).toEqual([]);
		expect(shown(reader.read('jq', 1))).toEqual(['j', 'q']);
		// Alt-[ (ESC [) then a key
		expect(shown(reader.read('\u001b[', 2))).toEqual([]);
		expect(shown(reader.read('2', 3))).toEqual(['2']);
		// too late to be one marker: the rest is keys
		expect(shown(reader.read('\u001b[20', 10))).toEqual([]);
		expect(shown(reader.read('0~x', 10 + pasteIdleMs + 1))).toEqual(['0', '~', 'x']);
	});

	it('a paste whose end never comes ends after a quiet second: the keyboard is not locked', () => {
		const reader = new KeyReader();
		expect(shown(reader.read('\u001b[200~abc', 0))).toEqual(['paste@1:abc']);
		expect(reader.inPaste(pasteIdleMs)).toBe(true);
		expect(shown(reader.read('q', pasteIdleMs))).toEqual(['paste@1:q']);
		expect(reader.inPaste(2 * pasteIdleMs + 1)).toBe(false);
		expect(shown(reader.read('2q', 2 * pasteIdleMs + 1))).toEqual(['2', 'q']);
		// its end marker arriving late is no key either
		expect(shown(reader.read('\u001b[201~j', 2 * pasteIdleMs + 2))).toEqual(['j']);
	});
});

describe('keymap', () => {
	const ran: string[] = [];
	const entry = (key: string, more: Partial<KeyEntry> = {}): KeyEntry => ({key, run: press => ran.push(`${key}:${press.name}`), ...more});

	it('matches the keys the display names, or the ones it lists, and skips what does not work now', () => {
		expect(keyNames(entry('↑ ↓ j k'))).toEqual(['up', 'down', 'j', 'k']);
		expect(keyNames(entry('Enter'))).toEqual(['enter']);
		expect(keyNames(entry('+/-', {keys: ['+', '-']}))).toEqual(['+', '-']);
		expect(() => keyNames(entry('Foo'))).toThrow(/names no key/);
		ran.length = 0;
		const map = [entry('x', {when: false}), entry('x y')];
		expect(runKeymap(map, {name: 'x', text: 'x'})).toBe(true);
		expect(runKeymap(map, {name: 'z', text: 'z'})).toBe(false);
		expect(ran).toEqual(['x y:x']);
	});

	it('lists in the bar what works now, fits it to the width with the pinned items always there', () => {
		const map = [entry('a', {label: 'add'}), entry('x', {label: 'remove', when: false}), entry('space', {label: 'pause'}), entry('+/-', {keys: ['+'], label: 'interval'}), entry('r')];
		const items = [...barItems(map), {key: '?', label: 'help', pinned: true}, {key: 'q', label: 'quit'}];
		expect(items.map(i => i.key)).toEqual(['a', 'space', '+/-', '?', 'q']);
		expect(fitBar(items, 100).map(i => i.key)).toEqual(['a', 'space', '+/-', '?', 'q']);
		// 40 columns: room kept for "? help", "+/- interval" no longer fits (nor anything after it)
		expect(fitBar(items, 40).map(i => i.key)).toEqual(['a', 'space', '?']);
		expect(fitBar(items, 10).map(i => i.key)).toEqual(['?']);
	});

	it('writes every entry with help into the help, once, whether it works now or not', () => {
		const map = [entry('x', {help: 'delete'}), entry('r', {help: 'reload', when: false}), entry('x', {help: 'delete'}), entry('j')];
		expect(helpLines(map)).toEqual([['x', 'delete'], ['r', 'reload']]);
	});
});

describe('InputRouter', () => {
	function setUp() {
		const ran: string[] = [];
		const router = new InputRouter();
		const entry = (who: string, key: string): KeyEntry => ({key, run: () => ran.push(who)});
		router.setTab('keys', [entry('tab', 'x'), entry('tab', 'q')]);
		const frame = {first: [entry('first', 'Ctrl-C')], keys: [entry('frame', 'q'), entry('frame', '?')], activeTab: 'keys'};
		router.setFrame(frame);
		return {ran, router, entry, frame};
	}
	// one reader for the file, as the router has one: each paste its own number
	const reader = new KeyReader();
	// each press a second after the one before: a burst of its own (a paste's tail is over)
	let clock = 0;
	const press = (router: InputRouter, chunk: string) => {
		clock += 1000;
		for (const key of reader.read(chunk, clock)) router.dispatch(key);
	};

	it('gives a key to the frame before the tab, and to the tab what the frame does not take', () => {
		const {ran, router} = setUp();
		press(router, 'qx?z');
		expect(ran).toEqual(['frame', 'tab', 'frame']);
	});

	it('a capture takes every key before the frame (typing), except the first keys; a question takes them before a capture', () => {
		const {ran, router, entry, frame} = setUp();
		router.setCapture('field', {entries: [entry('field', 'Enter')], other: key => ran.push(`typed ${key.text}`)});
		router.setCapture('dialog', {entries: [], other: key => ran.push(`dialog ${key.text}`)});
		press(router, 'q');
		router.removeCapture('dialog');
		press(router, 'q\r\u0003');
		expect(ran).toEqual(['dialog q', 'typed q', 'field', 'first']);
		ran.length = 0;
		router.setFrame({...frame, question: [entry('question', 'f')]});
		press(router, 'fq');
		expect(ran).toEqual(['question']);
	});

	it('dropQueued discards the keys of a read still waiting (a confirm dialog opening), and the router is free for the next read', () => {
		const {ran, router} = setUp();
		let wakes = 0;
		router.setWake(() => wakes++);
		router.receive('xxq');
		expect(ran).toEqual(['tab']);
		router.receive('x');
		expect(router.dropQueued()).toBe(3);
		expect(router.step()).toBe(false);
		expect(ran).toEqual(['tab']);
		router.receive('x');
		expect(ran).toEqual(['tab', 'tab']);
		expect(wakes).toBe(2);
	});

	it('the help overlay takes every key a capture does not', () => {
		const {ran, router, entry, frame} = setUp();
		router.setFrame({...frame, help: [entry('help', 'Esc')]});
		press(router, 'qx\u001b');
		expect(ran).toEqual(['help']);
	});

	it('a pasted key is never a command: a text field that takes pastes gets its text only, anything else drops it and is told once a paste', () => {
		const {ran, router, entry, frame} = setUp();
		const told: string[] = [];
		router.setFrame({...frame, pasteIgnored: why => told.push(why)});
		press(router, '\u001b[200~x\rq?\u0003\u001b[201~');
		expect(ran).toEqual([]);
		expect(told).toEqual(['no text field']);
		router.setCapture('field', {entries: [entry('submit', 'Enter'), entry('cancel', 'Esc')], other: key => ran.push(`typed ${key.text}`), paste: 'type'});
		press(router, '\u001b[200~a\rb\u001b\u007f\u001b[201~');
		expect(ran).toEqual(['typed ab']);
		router.setCapture('dialog', {entries: [entry('confirm', 'Enter')], other: key => ran.push(`dialog ${key.name}`), paste: {refused: 'type the word'}});
		press(router, '\u001b[200~\u001b[201~delete\r\u001b[201~');
		expect(ran).toEqual(['typed ab']);
		expect(told).toEqual(['no text field', 'type the word']);
		// typed, not pasted (after the paste's burst): as before
		press(router, 'd\r');
		expect(ran).toEqual(['typed ab', 'dialog d', 'confirm']);
	});

	it('joins the queued pieces of one paste (at most pasteKeep characters): Ctrl-C after a long paste waits for one piece, not a key per character', () => {
		const {ran, router, entry} = setUp();
		router.setWake(() => undefined);
		router.setCapture('field', {entries: [entry('cancel', 'Esc')], other: key => ran.push(`typed ${key.text.length}`), paste: 'type'});
		router.receive('x', 0);
		// a paste of 40 reads of 64 KB (Ink hands each read over) while the router is busy
		router.receive('\u001b[200~', 1000);
		for (let read = 0; read < 40; read++) router.receive('a'.repeat(65_536), 1000 + read);
		router.receive('\u001b[201~', 1040);
		// Ctrl-C once the burst is over
		router.receive('\u0003', 1040 + pasteTailMs + 1);
		expect(ran).toEqual(['typed 1']);
		expect([router.step(), router.step()]).toEqual([true, false]);
		expect(ran).toEqual(['typed 1', `typed ${pasteKeep}`, 'first']);
	});

	it('handles the first key of a read at once, the rest one per step, waking the pump once per burst', () => {
		const {ran, router} = setUp();
		let wakes = 0;
		router.setWake(() => wakes++);
		router.receive('xxx');
		// Ink hands each escape sequence over on its own: a second read before any commit waits too
		router.receive('x');
		expect(wakes).toBe(1);
		expect(ran).toEqual(['tab']);
		expect([router.step(), router.step(), router.step()]).toEqual([true, true, false]);
		expect(ran).toEqual(['tab', 'tab', 'tab', 'tab']);
		// released: the next lone key is handled at once, and still wakes the pump (a commit follows)
		router.receive('x');
		expect([ran.length, wakes]).toEqual([5, 2]);
		router.receive('x');
		expect(ran.length).toBe(5);
		expect([router.step(), router.step()]).toEqual([false, false]);
		expect(ran.length).toBe(6);
	});
});
