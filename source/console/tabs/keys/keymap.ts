// The Keys tab's keys: the list's, and those of a value or chat view opened from it (each view adds
// its scroll and paging keys between the two parts below). What they run, what the bar and the `?`
// help say.
import type {KeyEntry} from '../../input/keymap.js';

export type ListActions = {
	/** a row is highlighted */
	readonly onRow: boolean;
	/** the highlighted row is a key (not a group of the tree view) */
	readonly onKey: boolean;
	/** the highlighted key belongs to a chat's cache (compare and clear work on it) */
	readonly onChat: boolean;
	/** the tree view is inside a group */
	readonly inGroup: boolean;
	/** the scan is not finished: it can be stopped or continued */
	readonly scanning: boolean;
	readonly running: boolean;
	readonly pattern: () => void;
	readonly cycleType: () => void;
	readonly toggleTree: () => void;
	readonly open: () => void;
	readonly up: () => void;
	readonly compare: () => void;
	readonly remove: () => void;
	readonly clear: () => void;
	readonly rescan: () => void;
	readonly toggleScan: () => void;
};

export function listKeymap(a: ListActions): KeyEntry[] {
	return [
		{key: '/', label: 'pattern', help: 'scan with a pattern (glob, e.g. chat:*)', run: a.pattern},
		{key: 't', label: 'type', help: 'type filter: all, string, hash, list, set, zset, stream', run: a.cycleType},
		{key: 'T', label: 'tree', help: 'tree view grouped by ":" (Enter opens a group, Esc goes up)', run: a.toggleTree},
		{key: 'Enter', label: 'open', help: 'open the value, or the chat of a cache key', when: a.onRow, run: a.open},
		{key: 'Esc', label: 'up', help: 'up a level in the tree view', when: a.inGroup, run: a.up},
		{key: 'c', label: 'compare', help: 'compare a chat cache with PostgreSQL', when: a.onChat, run: a.compare},
		{key: 'x', label: 'delete', mutates: true, help: 'delete the key (confirm)', when: a.onKey, run: a.remove},
		{key: 'X', label: 'clear chat', mutates: true, help: 'clear the chat cache (confirm)', when: a.onChat, run: a.clear},
		{key: 'r', label: 'rescan', help: 'rescan', run: a.rescan},
		{key: 's', label: a.running ? 'stop scan' : 'continue scan', help: 'stop or continue the scan', when: a.scanning, run: a.toggleScan},
	];
}

export type ViewActions = {
	/** the view is a chat (not a key's value) */
	readonly chat: boolean;
	/** the chat is compared with PostgreSQL */
	readonly compared: boolean;
	/** the key belongs to a chat, whose cache can be cleared */
	readonly inChat: boolean;
	readonly back: () => void;
	readonly compare: () => void;
	readonly raw: () => void;
	readonly remove: () => void;
	readonly clear: () => void;
	readonly reload: () => void;
};

/** A view's keys: `lead` goes before its own (scroll, pages), `trail` after them. */
export function viewKeymap(a: ViewActions): {readonly lead: KeyEntry[]; readonly trail: KeyEntry[]} {
	return {
		lead: [
			{key: 'Esc', label: 'back', help: 'back', run: a.back},
			{key: 'c', label: 'compare', help: 'compare a chat cache with PostgreSQL', when: a.chat && !a.compared, run: a.compare},
			{key: 'v', label: 'raw value', help: 'raw value (in a chat)', when: a.chat, run: a.raw},
		],
		trail: [
			{key: 'x', label: 'delete', mutates: true, help: 'delete the key (confirm)', run: a.remove},
			{key: 'X', label: 'clear chat', mutates: true, help: 'clear the chat cache (confirm)', when: a.inChat, run: a.clear},
			{key: 'r', label: 'reload', help: 'reload', run: a.reload},
		],
	};
}
