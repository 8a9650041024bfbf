// A keymap: the keys of one screen, each written once. The same entries are what a key press runs
// (router.ts), what the bottom bar lists and what the `?` help says: a key added here shows in
// both and works, with no other edit.
import type {KeyPress} from './keys.js';

export type KeyEntry = {
	/** how the bar and the help write it: key names apart, e.g. 'Enter', 'j k', 'PgUp PgDn' */
	readonly key: string;
	/** the key names it matches when `key` is not just a list of them (e.g. '+/-' is + = - _) */
	readonly keys?: readonly string[];
	/** its words in the bottom bar; without them it is not listed there */
	readonly label?: string;
	/** its line in the `?` help; without it it is not listed there */
	readonly help?: string;
	/** a destructive action (mutations/): in read-only mode it is refused (and audited) when pressed, so not listed in the bar */
	readonly mutates?: boolean;
	/** whether it does something now (default true): otherwise it neither runs nor shows in the bar */
	readonly when?: boolean;
	/** what it does; gets the key pressed (an entry may stand for several) */
	readonly run: (press: KeyPress) => void;
};

/** One item of the bottom bar; a pinned one shows whatever the width (the frame's `? help`). */
export type BarItem = {readonly key: string; readonly label: string; readonly pinned?: boolean};

// how a keymap writes the named keys (anything else is a single character standing for itself)
const written: Readonly<Record<string, string>> = {
	Enter: 'enter', Esc: 'escape', Tab: 'tab', 'S-Tab': 'shift-tab', space: 'space', Backspace: 'backspace',
	'↑': 'up', '↓': 'down', '←': 'left', '→': 'right', PgUp: 'pageup', PgDn: 'pagedown', Home: 'home', End: 'end',
	'Ctrl-C': 'ctrl-c', 'Ctrl-U': 'ctrl-u',
};

/** The key names an entry matches. A word that names no key is a mistake in the keymap: it throws. */
export function keyNames(entry: KeyEntry): readonly string[] {
	if (entry.keys) return entry.keys;
	return entry.key.split(/\s+/).filter(Boolean).map(word => {
		const name = written[word] ?? (Array.from(word).length === 1 ? word : undefined);
		if (name === undefined) throw new Error(`keymap: "${word}" (in "${entry.key}") names no key; give the entry its keys`);
		return name;
	});
}

/** Runs the first entry that matches and works now; false when none did. */
export function runKeymap(entries: readonly KeyEntry[], press: KeyPress): boolean {
	for (const entry of entries) {
		if (entry.when === false || !keyNames(entry).includes(press.name)) continue;
		entry.run(press);
		return true;
	}
	return false;
}

/**
 * The keymap in read-only mode: a destructive key still runs (to be refused with a message and
 * audited) but the bar does not offer it, and its help says it is refused (hostile defect 15).
 */
export function forReadOnly(entries: readonly KeyEntry[], readOnly: boolean): readonly KeyEntry[] {
	if (!readOnly) return entries;
	return entries.map(entry => (entry.mutates ? {...entry, label: undefined, help: entry.help && `${entry.help} (refused in read-only mode)`} : entry));
}

/** What the bottom bar lists: the entries with a label that work now. */
export function barItems(entries: readonly KeyEntry[]): BarItem[] {
	return entries.filter(entry => entry.label && entry.when !== false).map(entry => ({key: entry.key, label: entry.label!}));
}

/** The width an item takes in the bar: "key label" and two spaces. */
export function barItemWidth(item: BarItem): number {
	return Array.from(item.key).length + 1 + Array.from(item.label).length + 2;
}

/** The items that fit in `width`, in order: pinned ones always, the others until one does not fit. */
export function fitBar(items: readonly BarItem[], width: number): BarItem[] {
	let room = width - items.filter(item => item.pinned).reduce((sum, item) => sum + barItemWidth(item), 0);
	let full = false;
	return items.filter(item => {
		if (item.pinned) return true;
		if (full || barItemWidth(item) > room) {
			full = true;
			return false;
		}
		room -= barItemWidth(item);
		return true;
	});
}

/** The `?` help lines of a keymap: every entry with help, whether it works right now or not. */
export function helpLines(entries: readonly KeyEntry[]): [string, string][] {
	const lines: [string, string][] = [];
	for (const entry of entries) {
		if (entry.help && !lines.some(([key, help]) => key === entry.key && help === entry.help)) lines.push([entry.key, entry.help]);
	}
	return lines;
}
