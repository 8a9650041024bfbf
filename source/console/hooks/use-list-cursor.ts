// The cursor of a list, by identity: its state is the id of the highlighted item (and the row it
// was on last), so the highlight stays on the same key, backup or row while the list re-sorts,
// grows above it or is read again. An action reads `selected`: the very item highlighted in the
// frame the key was pressed on, never an index into a list that may have changed since. When the
// item is gone, the cursor lands on the row now at its place (clamped). A new list (a new scan)
// starts at the top: `toTop()`.
// Its keys (↑↓ j k, PgUp PgDn, g G / Home End) are keymap entries the tab lists with its own; each
// runs against the list of the commit before it, so `G` right after the list grew goes to the real
// last row.
import {useState} from 'react';
import type {KeyEntry} from '../input/keymap.js';

export function clampCursor(cursor: number, count: number): number {
	if (count <= 0) return 0;
	return Math.min(Math.max(0, cursor), count - 1);
}

export type ListCursor<T> = {
	/** the highlighted row */
	readonly cursor: number;
	/** the highlighted item (undefined when the list is empty) */
	readonly selected: T | undefined;
	/** a new list: the top row, until the operator moves when `untilMoved` */
	readonly toTop: () => void;
	/** the item of this id, once the list holds it (going back to where one came from) */
	readonly select: (id: string) => void;
	readonly keys: readonly KeyEntry[];
};

export type ListCursorOptions = {
	readonly pageSize: number;
	/** the help's word for moving (a row is selected, a list is moved in) */
	readonly what?: string;
	/**
	 * the list holds every item there is (default true). While it fills (a scan under way), an
	 * item not in it yet may still come: the cursor keeps its identity and waits for it.
	 */
	readonly complete?: boolean;
	/**
	 * a fresh list keeps the cursor on its top row, whatever comes to be there, until the operator
	 * moves: a scan that fills in server order and is sorted when it ends starts at the top of the
	 * sorted list, not wherever the first key found was sorted to
	 */
	readonly untilMoved?: boolean;
};

type State = {
	/** the highlighted item's id; undefined: none chosen yet */
	readonly id: string | undefined;
	/** the row it was on when last seen */
	readonly index: number;
};

function locate<T>(items: readonly T[], idOf: (item: T) => string, state: State): number {
	if (state.id === undefined) return -1;
	const there = items[state.index];
	// where it was last, as a rule (a list growing at its end); searched for after a re-sort
	if (there !== undefined && idOf(there) === state.id) return state.index;
	return items.findIndex(item => idOf(item) === state.id);
}

export function useListCursor<T>(items: readonly T[], idOf: (item: T) => string, options: ListCursorOptions): ListCursor<T> {
	const {pageSize, what = 'move', complete = true, untilMoved = false} = options;
	const [state, setState] = useState<State>({id: undefined, index: 0});
	const found = locate(items, idOf, state);
	const cursor = found >= 0 ? found : clampCursor(state.index, items.length);
	const selected = items[cursor];

	// Keep the state in step with what this frame highlights (updates during render: React renders
	// again at once, before anything is drawn; the second render changes nothing).
	if (found >= 0) {
		if (found !== state.index) setState({id: state.id, index: found});
	} else if (selected !== undefined && complete && !(untilMoved && state.id === undefined)) {
		// gone (or nothing chosen yet): the row now in its place is the highlighted one
		setState({id: idOf(selected), index: cursor});
	}

	const moveTo = (to: number) => {
		const index = clampCursor(to, items.length);
		const item = items[index];
		setState({id: item === undefined ? undefined : idOf(item), index});
	};
	const page = Math.max(1, pageSize);
	const keys: KeyEntry[] = [
		{key: '↑ ↓ j k', help: what, run: p => moveTo(p.name === 'up' || p.name === 'k' ? cursor - 1 : cursor + 1)},
		{key: 'PgUp PgDn', help: 'page up / down', run: p => moveTo(p.name === 'pageup' ? cursor - page : cursor + page)},
		{key: 'g G', keys: ['g', 'home', 'G', 'end'], help: 'top / bottom', run: p => moveTo(p.name === 'g' || p.name === 'home' ? 0 : items.length - 1)},
	];
	return {cursor, selected, toTop: () => setState({id: undefined, index: 0}), select: id => setState({id, index: 0}), keys};
}
