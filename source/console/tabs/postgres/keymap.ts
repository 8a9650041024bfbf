// The Postgres tab's keys: the sessions list's, and those of the screens opened from it (the whole
// query, the tables, the top queries). What they run, what the bottom bar and the `?` help say.
import type {View} from '../../../postgres/views.js';
import {keyNames, type KeyEntry} from '../../input/keymap.js';

export const viewKeys: Readonly<Record<string, View>> = {a: 'running', w: 'waiting', b: 'blocking', A: 'all'};

export type SessionsActions = {
	/** a session is highlighted (not a prepared transaction or a row gone from the tree) */
	readonly onSession: boolean;
	/** its query can be read (not hidden from this role) */
	readonly canOpen: boolean;
	/** a text filter or a minimum duration is set */
	readonly filtered: boolean;
	readonly open: () => void;
	readonly cancel: () => void;
	readonly terminate: () => void;
	readonly view: (view: View) => void;
	readonly filter: () => void;
	readonly minDuration: () => void;
	readonly clearFilter: () => void;
	readonly sort: () => void;
	readonly tables: () => void;
	readonly queries: () => void;
	readonly refresh: () => void;
};

export function sessionsKeymap(a: SessionsActions): KeyEntry[] {
	return [
		{key: 'Enter', label: 'query', help: 'the whole query of the session, wrapped', when: a.canOpen, run: a.open},
		{key: 'c', label: 'cancel', mutates: true, help: 'cancel its query: the session stays (type its pid)', when: a.onSession, run: a.cancel},
		{key: 'k', label: 'terminate', mutates: true, help: 'terminate the whole session: its connection is closed (type its pid)', when: a.onSession, run: a.terminate},
		{key: 'a w b A', label: 'views', help: 'running / waiting on a lock / who blocks whom (tree) / all, idle included', run: p => a.view(viewKeys[p.name]!)},
		{key: '/', label: 'filter', help: 'filter by text: database, user, application, query, pid', run: a.filter},
		{key: 'Esc', label: 'clear filter', help: 'clear the filter and the minimum time', when: a.filtered, run: a.clearFilter},
		{key: 't', label: 'tables', help: 'tables: size, dead tuples, vacuum, scans', run: a.tables},
		// `q` is quit everywhere (the frame's key comes first): top queries are on Q
		{key: 'Q', label: 'queries', help: 'top queries by total time (pg_stat_statements)', run: a.queries},
		{key: 'm', label: 'min time', help: 'only sessions at least this long in their state (500ms, 5s, 2m)', run: a.minDuration},
		{key: 's', label: 'sort', help: 'sort by time in state, pid or state', run: a.sort},
		{key: 'r', label: 'refresh', help: 'refresh now', run: a.refresh},
	];
}

/**
 * The list cursor's keys without `k`, which terminates here (↑ still moves up). Written against
 * whatever keys the cursor hook gives, so a change there keeps working.
 */
export function withoutK(keys: readonly KeyEntry[]): KeyEntry[] {
	return keys.map(entry => {
		const names = keyNames(entry);
		if (!names.includes('k')) return entry;
		return {...entry, key: entry.key.split(/\s+/).filter(word => word !== 'k').join(' '), keys: names.filter(name => name !== 'k')};
	});
}

export type ScreenActions = {
	readonly back: () => void;
	readonly refresh?: () => void;
	/** what `r` says in the help */
	readonly refreshHelp?: string;
	readonly open?: () => void;
	readonly canOpen?: boolean;
};

/** A screen opened from the list (tables, top queries, a whole query): Esc goes back. */
export function screenKeymap(a: ScreenActions): {readonly lead: KeyEntry[]; readonly trail: KeyEntry[]} {
	return {
		lead: [
			{key: 'Esc', label: 'back', help: 'back to the sessions', run: a.back},
			...(a.open ? [{key: 'Enter', label: 'query', help: 'the whole query, wrapped', when: a.canOpen !== false, run: a.open}] : []),
		],
		trail: a.refresh ? [{key: 'r', label: 'refresh', help: a.refreshHelp ?? 'refresh now', run: a.refresh}] : [],
	};
}
