// The frame's own keys: they work on every tab, and make the help's "Everywhere" section and the
// end of every bottom bar (`? help` pinned there, whatever the width).
import {barItems, type BarItem, type KeyEntry} from '../input/keymap.js';

type Frame = {
	readonly titles: readonly string[];
	readonly active: number;
	readonly select: (index: number) => void;
	readonly openHelp: () => void;
	readonly quit: (again: boolean) => void;
	/** P: the environment picker (listed in the bar when the config file defines profiles) */
	readonly profiles?: {readonly open: () => void; readonly any: boolean} | undefined;
};

/** Before anything else, a text field and a dialog included. */
export function firstKeymap(quit: (again: boolean) => void): KeyEntry[] {
	return [{key: 'Ctrl-C', help: 'quit too; while a restore asks, a second one abandons it', run: () => quit(true)}];
}

export function frameKeymap({titles, active, select, openHelp, quit, profiles}: Frame): KeyEntry[] {
	return [
		// written `1-5`: one number a tab, each its own key
		{key: `1-${titles.length}`, keys: titles.map((_, i) => String(i + 1)), help: titles.join(' · '), run: p => select(Number(p.name) - 1)},
		{key: 'Tab S-Tab', help: 'next / previous tab', run: p => select(p.name === 'tab' ? active + 1 : active - 1)},
		// on the Status tab P is the product's "reconnect PostgreSQL" (PRODUCT.md): the picker is on every other tab
		{key: 'P', label: profiles?.any ? 'profile' : undefined, when: active !== 0, help: profiles?.any ? 'switch environment: the profiles of the config file (on any tab but Status, where P reconnects PostgreSQL)' : 'switch environment (no profiles defined: see the README, Environments)', run: () => profiles?.open()},
		// no key of its own (keys: []): the help's line on what a paste does (input/router.ts)
		{key: 'paste', keys: [], help: 'types into an open text field (a newline in it submits nothing; the field keeps what it holds); anywhere else, a confirm dialog too, it is ignored, never run as keys, nor is what comes in its burst after its end (a terminal with bracketed paste)', run: () => undefined},
		{key: '?', label: 'help', help: 'this help', run: openHelp},
		{key: 'q', label: 'quit', help: 'quit (during a restore: asks finish or abandon)', run: () => quit(false)},
	];
}

/** What ends every tab's bottom bar: `? help` always, `q quit` when it fits. */
export function frameBar(keymap: readonly KeyEntry[]): BarItem[] {
	return barItems(keymap).map(item => ({...item, pinned: item.key === '?'}));
}

/** While the help is open: it takes every key; these close it. */
export function helpKeymap(close: () => void): KeyEntry[] {
	return [
		{key: 'Esc', label: 'close help', run: close},
		{key: 'q', label: 'close', run: close},
		{key: '?', run: close},
	];
}
