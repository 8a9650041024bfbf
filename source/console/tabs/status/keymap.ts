// The Status tab's keys: what they run, what the bottom bar and the `?` help say.
import type {ReconnectTarget} from '../../../health/reconnect.js';
import type {KeyEntry} from '../../input/keymap.js';

export type StatusActions = {
	readonly reconnect: (which: ReconnectTarget) => void;
	readonly flush: () => void;
	readonly refresh: () => void;
	/** a: the overview of every profile instead of the cards, and back */
	readonly overview: {readonly on: boolean; readonly any: boolean; readonly toggle: () => void};
};

export function statusKeymap(actions: StatusActions): KeyEntry[] {
	return [
		// (P, everywhere, is the environment picker)
		{key: 'P', keys: ['P', 'p'], label: 'reconnect PG', help: 'reconnect PostgreSQL (P or p; the environment picker is P on the other tabs)', run: () => actions.reconnect('postgres')},
		{key: 'R', label: 'reconnect Redis', help: 'reconnect Redis', run: () => actions.reconnect('redis')},
		{key: 'F', label: 'flush', mutates: true, help: 'flush the Redis cache (type "flush" to confirm)', run: actions.flush},
		{key: 'r', label: 'refresh', help: 'refresh now', run: actions.refresh},
		{key: 'a', label: actions.overview.on ? 'this env' : actions.overview.any ? 'all envs' : undefined, help: 'every environment (profile): verdict, latencies, backup age; again: back to the cards', run: actions.overview.toggle},
	];
}
