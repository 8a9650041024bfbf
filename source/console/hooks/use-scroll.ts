// The scroll of a block of lines (ScrollLines): j k ↑ ↓ a line, PgUp PgDn space a page, g G the
// ends (only ↑ ↓ PgUp PgDn above a text field); back to the top when `resetKey` changes (another
// value, another page).
import {useState} from 'react';
import type {KeyEntry} from '../input/keymap.js';

/** The lines a ScrollLines `height` rows high shows (its last row says where you are). */
export function scrollRoom(height: number): number {
	return Math.max(1, height - 1);
}

type Options = {
	/**
	 * the lines sit above a text field (a confirm dialog): letters and space type, so only the arrows
	 * and PgUp PgDn scroll, and the entries are listed in the bar only while there is more to see
	 */
	readonly typing?: boolean;
};

export function useScroll(count: number, height: number, resetKey: string, {typing = false}: Options = {}): {readonly top: number; readonly keys: readonly KeyEntry[]} {
	const room = scrollRoom(height);
	const maxTop = Math.max(0, count - room);
	// the scroll belongs to the lines it was made for: other lines start at the top
	const [scroll, setScroll] = useState({resetKey, top: 0});
	const top = Math.min(scroll.resetKey === resetKey ? scroll.top : 0, maxTop);
	const to = (next: number) => setScroll({resetKey, top: Math.min(maxTop, Math.max(0, next))});
	if (typing) {
		// (a dialog shows its lines without the position line when they all fit)
		const more = count > height;
		return {top, keys: [
			{key: '↑ ↓', label: 'scroll', help: 'scroll what the dialog says', when: more, run: p => to(p.name === 'down' ? top + 1 : top - 1)},
			{key: 'PgUp PgDn', help: 'page up / down', when: more, run: p => to(p.name === 'pageup' ? top - room : top + room)},
		]};
	}
	const keys: KeyEntry[] = [
		{key: 'j k', keys: ['j', 'down', 'k', 'up'], label: 'scroll', help: 'scroll (also ↑ ↓)', run: p => to(p.name === 'j' || p.name === 'down' ? top + 1 : top - 1)},
		{key: 'PgUp PgDn', keys: ['pageup', 'pagedown', 'space'], help: 'page up / down (space: down)', run: p => to(p.name === 'pageup' ? top - room : top + room)},
		{key: 'g G', keys: ['g', 'home', 'G', 'end'], help: 'top / bottom', run: p => to(p.name === 'g' || p.name === 'home' ? 0 : maxTop)},
	];
	return {top, keys};
}

/**
 * A highlighted line in a scrolled block (a value's members, one line each): j k ↑ ↓ move it, PgUp
 * PgDn space a page, g G the ends, and the block scrolls as little as keeps it in view. Back to the
 * first line when `resetKey` changes.
 */
export function useScrollCursor(count: number, height: number, resetKey: string): {readonly top: number; readonly selected: number; readonly keys: readonly KeyEntry[]} {
	const room = scrollRoom(height);
	const [state, setState] = useState({resetKey, selected: 0, top: 0});
	const current = state.resetKey === resetKey ? state : {resetKey, selected: 0, top: 0};
	const selected = Math.min(current.selected, Math.max(0, count - 1));
	const inView = (top: number, at: number) => Math.min(Math.max(top, at - room + 1, 0), at, Math.max(0, count - room));
	const top = inView(current.top, selected);
	const to = (next: number) => {
		const at = Math.min(Math.max(0, next), Math.max(0, count - 1));
		setState({resetKey, selected: at, top: inView(top, at)});
	};
	const keys: KeyEntry[] = [
		{key: '↑ ↓ j k', help: 'select a line', run: p => to(p.name === 'j' || p.name === 'down' ? selected + 1 : selected - 1)},
		{key: 'PgUp PgDn', keys: ['pageup', 'pagedown', 'space'], help: 'page up / down (space: down)', run: p => to(p.name === 'pageup' ? selected - room : selected + room)},
		{key: 'g G', keys: ['g', 'home', 'G', 'end'], help: 'top / bottom', run: p => to(p.name === 'g' || p.name === 'home' ? 0 : count - 1)},
	];
	return {top, selected, keys};
}
