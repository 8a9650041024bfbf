// The cursor of a list and its keys: ↑↓ / j k move, PgUp PgDn page, g G (Home End) top and bottom.
// The keys are keymap entries the tab lists with its own; each runs against the row count of the
// commit before it, so `G` right after the list grew goes to the real last row.
import {useState} from 'react';
import type {KeyEntry} from '../input/keymap.js';

export function clampCursor(cursor: number, count: number): number {
	if (count <= 0) return 0;
	return Math.min(Math.max(0, cursor), count - 1);
}

export type ListCursor = {
	readonly cursor: number;
	readonly setCursor: (cursor: number) => void;
	readonly keys: readonly KeyEntry[];
};

/** `what` is the help's word for moving (a row is selected, a list is moved in). */
export function useListCursor(count: number, pageSize: number, what = 'move'): ListCursor {
	const [raw, setRaw] = useState(0);
	const cursor = clampCursor(raw, count);
	const page = Math.max(1, pageSize);
	const setCursor = (next: number) => setRaw(clampCursor(next, count));
	const keys: KeyEntry[] = [
		{key: '↑ ↓ j k', help: what, run: p => setCursor(p.name === 'up' || p.name === 'k' ? cursor - 1 : cursor + 1)},
		{key: 'PgUp PgDn', help: 'page up / down', run: p => setCursor(p.name === 'pageup' ? cursor - page : cursor + page)},
		{key: 'g G', keys: ['g', 'home', 'G', 'end'], help: 'top / bottom', run: p => setCursor(p.name === 'g' || p.name === 'home' ? 0 : count - 1)},
	];
	return {cursor, setCursor, keys};
}
