// What `y` copies and `E` exports on the Redis tab, per view: the highlighted slow-log command and
// the slow log; the highlighted client's address and the clients; the highlighted prefix and the
// memory tree as shown (open prefixes with their children; the prefix whole, its depth apart).
import type {ClientInfo} from '../../../redis-server/clients.js';
import type {SlowlogEntry} from '../../../redis-server/slowlog.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
import {commandText} from '../../../text/redis-server-text.js';
import {tableRows, type Current} from '../../share/current.js';
import type {RedisView} from './keymap.js';
import {memoryColumns, type PrefixRow} from './memory-view.js';
import {clientColumns, slowlogColumns} from './redis-views.js';

type List<Row> = {readonly rows: readonly Row[]; readonly selected: Row | undefined};

type Lists = {
	readonly view: RedisView;
	readonly slow: List<SlowlogEntry>;
	readonly clients: List<ClientInfo>;
	readonly prefixes: List<PrefixRow>;
};

export function redisCurrent({view, slow, clients, prefixes}: Lists): Current | undefined {
	if (view === 'slowlog') {
		return {
			item: slow.selected && {text: commandText(slow.selected), what: 'command'},
			rows: {name: 'slow log', table: () => tableRows('slow log', slowlogColumns(), slow.rows, [{title: 'SERVER', value: e => e.server}, {title: 'UNIX TIME', value: e => e.time}, {title: 'MICROSECONDS', value: e => e.durationMicros}])},
		};
	}
	if (view === 'clients') {
		return {
			item: clients.selected && {text: clients.selected.addr, what: 'client address'},
			rows: {name: 'clients', table: () => tableRows('clients', clientColumns(), clients.rows, [{title: 'SERVER', value: c => c.server}])},
		};
	}
	if (view === 'memory') {
		const plain = memoryColumns().map(c => (c.key === 'prefix' ? {...c, value: (r: PrefixRow) => keyText(r.node.prefix)} : c));
		return {
			item: prefixes.selected && {text: prefixes.selected.node.prefix, what: 'prefix'},
			rows: {name: 'memory by prefix', table: () => tableRows('memory by prefix', plain, prefixes.rows, [{title: 'DEPTH', value: r => r.node.depth}, {title: 'BYTES (EXACT)', value: r => r.node.bytes}])},
		};
	}
	return undefined;
}
