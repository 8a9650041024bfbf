// The Status tab's keys: what they run, what the bottom bar and the `?` help say.
import type {ReconnectTarget} from '../../../health/reconnect.js';
import type {KeyEntry} from '../../input/keymap.js';

export type StatusActions = {
	readonly reconnect: (which: ReconnectTarget) => void;
	readonly flush: () => void;
	readonly refresh: () => void;
};

export function statusKeymap(actions: StatusActions): KeyEntry[] {
	return [
		{key: 'P', label: 'reconnect PG', help: 'reconnect PostgreSQL', run: () => actions.reconnect('postgres')},
		{key: 'R', label: 'reconnect Redis', help: 'reconnect Redis', run: () => actions.reconnect('redis')},
		{key: 'F', label: 'flush', mutates: true, help: 'flush the Redis cache (type "flush" to confirm)', run: actions.flush},
		{key: 'r', label: 'refresh', help: 'refresh now', run: actions.refresh},
	];
}
