// The Redis tab's keys: what they run, what the bottom bar and the `?` help say. One view at a time
// (the figures, the slow log, latency, clients, memory by prefix); the keys of the others are off.
import type {KeyEntry} from '../../input/keymap.js';

export type RedisView = 'info' | 'slowlog' | 'latency' | 'clients' | 'memory';

export type RedisActions = {
	readonly view: RedisView;
	/** more than one server (a Cluster): `[` `]` pick the one shown */
	readonly many: boolean;
	/** a row is highlighted (a client, a prefix) */
	readonly selected: boolean;
	/** a memory scan has started (space stops or continues it) */
	readonly scanning: boolean;
	readonly show: (view: RedisView) => void;
	readonly node: (step: 1 | -1) => void;
	readonly resetSlowlog: () => void;
	readonly sortClients: () => void;
	readonly kill: () => void;
	readonly toggleScan: () => void;
	readonly rescan: () => void;
	/** open (→), close (←) or toggle (Enter) the highlighted prefix */
	readonly expand: (open: boolean | undefined) => void;
	readonly refresh: () => void;
};

export function redisKeymap(a: RedisActions): KeyEntry[] {
	const on = (view: RedisView) => a.view === view;
	return [
		{key: 's', label: 'slow log', help: 'the slow log (newest first)', when: !on('slowlog'), run: () => a.show('slowlog')},
		{key: 'L', label: 'latency', help: 'LATENCY LATEST (or how to turn the monitor on)', when: !on('latency'), run: () => a.show('latency')},
		{key: 'c', label: 'clients', help: 'the clients (CLIENT LIST)', when: !on('clients'), run: () => a.show('clients')},
		{key: 'p', label: 'memory', help: 'memory by key prefix and the biggest keys (a SCAN)', when: !on('memory'), run: () => a.show('memory')},
		{key: 'Esc', label: 'figures', help: 'back to the memory and INFO figures', when: !on('info'), run: () => a.show('info')},
		{key: '[ ]', label: 'node', help: 'previous / next server of the Cluster', when: a.many, run: p => a.node(p.name === '[' ? -1 : 1)},
		{key: 'k', label: 'kill', help: 'kill the highlighted client (type its id)', when: on('clients') && a.selected, run: a.kill},
		{key: 'o', label: 'sort', help: 'sort the clients by idle time or by memory', when: on('clients'), run: a.sortClients},
		{key: 'R', label: 'reset', help: 'empty the slow log of every server (type reset)', when: on('slowlog'), run: a.resetSlowlog},
		{key: 'space', label: a.scanning ? 'stop/continue' : 'scan', help: 'stop or continue the memory scan', when: on('memory'), run: a.toggleScan},
		{key: 'Enter', keys: ['enter', 'right', 'left'], label: 'open', help: 'open or close the highlighted prefix (→ ←)', when: on('memory') && a.selected, run: p => a.expand(p.name === 'right' ? true : p.name === 'left' ? false : undefined)},
		{key: 'n', label: 'new scan', help: 'scan the keyspace again', when: on('memory') && a.scanning, run: a.rescan},
		{key: 'r', label: 'refresh', help: 'read again now', when: !on('memory'), run: a.refresh},
	];
}
