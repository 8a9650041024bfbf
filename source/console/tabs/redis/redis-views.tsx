// The Redis tab's views of one server: the figures (INFO with rates), the slow log, latency and the
// clients. Every server string goes through the presenters (text/redis-server-text.ts) or sanitize.
import type {ClientInfo, ClientSort} from '../../../redis-server/clients.js';
import type {LatencyServer} from '../../../redis-server/latency.js';
import type {ServerSample} from '../../../redis-server/server-stats.js';
import type {SlowlogEntry, SlowlogServer} from '../../../redis-server/slowlog.js';
import {cellWidth, formatBytes, formatClock, formatDuration, fit} from '../../../text/format.js';
import {commandText, formatMicros, latencyText, serverLines} from '../../../text/redis-server-text.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import type {Line} from '../../components/scroll-lines.js';
import type {Column} from '../../components/table.js';

/**
 * The lines for a pane `width` cells wide (ScrollLines scrolls them): a figure too long goes on in
 * the next line under its value at a `, ` or `; ` (never at column 0, never a label split from its
 * value: hostile defect W3); a piece still too long is cut with an ellipsis.
 */
export function paneLines(lines: readonly Safe[], width: number, color?: string): Line[] {
	return lines.flatMap((line, i): Line[] => {
		const tint = i === 0 ? color : undefined;
		const row = /^( {2}\S.*?\s{2,})(\S.*)$/.exec(line);
		if (!row || cellWidth(line) <= width) return [{text: fit(line, width), color: tint}];
		const indent = row[1]!.length;
		const room = Math.max(1, width - indent);
		const pieces = row[2]!.split(/(?<=[,;]) /);
		const out: string[] = [];
		for (const piece of pieces) {
			const last = out.length - 1;
			if (last >= 0 && cellWidth(`${out[last]!} ${piece}`) <= room) out[last] = `${out[last]!} ${piece}`;
			else out.push(piece);
		}
		return out.map((text, n) => ({text: fit(sanitize(`${n === 0 ? row[1]! : ' '.repeat(indent)}${text}`), width), color: tint}));
	});
}

/** The figures of one server; the first line names it (and which of how many on a Cluster). */
export function infoLines(sample: ServerSample | undefined, index: number, count: number): Safe[] {
	if (!sample) return [sanitize('reading INFO…')];
	const [head = '', ...rest] = serverLines(sample).split('\n');
	const which = count > 1 ? ` (${index + 1}/${count}, [ ] picks)` : '';
	// the first sample has no rates yet: say when they come
	const note = sample.rates ? [] : ['  (rates from the next poll)'];
	return [sanitize(head + which), ...rest.map(line => sanitize(line)), ...note.map(line => sanitize(line))];
}

export function slowlogHead(server: SlowlogServer | undefined): Safe {
	if (!server) return sanitize('reading the slow log…');
	const slower = server.slowerThanMicros === null ? 'threshold unknown' : server.slowerThanMicros < 0 ? 'logging off' : `slower than ${formatMicros(server.slowerThanMicros)}`;
	return sanitize(`slow log ${server.server}: ${server.length} entries (${slower})`);
}

export const slowlogId = (e: SlowlogEntry) => `${e.server}/${e.id}`;

export function slowlogColumns(): Column<SlowlogEntry>[] {
	return [
		{key: 'time', title: 'TIME', width: 8, value: e => formatClock(new Date(e.time * 1000)), priority: 3},
		{key: 'dur', title: 'DUR', width: 7, align: 'right', value: e => formatMicros(e.durationMicros)},
		{key: 'cmd', title: 'COMMAND', minWidth: 16, value: e => sanitize(commandText(e))},
		{key: 'client', title: 'CLIENT', width: 21, priority: 2, cut: 'middle', value: e => sanitize(e.clientName ? `${e.client} ${e.clientName}` : e.client)},
	];
}

export function latencyLines(servers: readonly LatencyServer[] | undefined, server: string | undefined): Safe[] {
	if (!servers) return [sanitize('reading LATENCY LATEST…')];
	const mine = servers.filter(s => s.server === server);
	// (latencyText sanitizes every server string; sanitize again only brands the lines)
	return latencyText(mine.length > 0 ? mine : servers).split('\n').map(line => sanitize(line));
}

export const clientKey = (c: ClientInfo) => `${c.server}/${c.id}`;

export function clientsHead(clients: readonly ClientInfo[], sort: ClientSort, server: string | undefined): Safe {
	const own = clients.filter(c => c.opsdeck).length;
	return sanitize(`${clients.length} clients on ${server ?? '-'} (${own} opsdeck's own, marked), by ${sort}`);
}

export function clientColumns(): Column<ClientInfo>[] {
	return [
		{key: 'id', title: 'ID', width: 6, align: 'right', value: c => sanitize(String(c.id))},
		{key: 'name', title: 'NAME', minWidth: 10, cut: 'middle', value: c => sanitize(c.opsdeck ? `${c.name} (own)` : c.name || '-'), color: c => (c.opsdeck ? 'gray' : undefined)},
		{key: 'idle', title: 'IDLE', width: 6, align: 'right', value: c => formatDuration(c.idleSeconds * 1000)},
		{key: 'mem', title: 'MEMORY', width: 8, align: 'right', value: c => formatBytes(c.memoryBytes)},
		{key: 'cmd', title: 'CMD', width: 10, priority: 2, value: c => sanitize(c.cmd)},
		{key: 'addr', title: 'ADDR', width: 21, priority: 3, cut: 'middle', value: c => sanitize(c.addr)},
		{key: 'age', title: 'AGE', width: 6, align: 'right', priority: 4, value: c => formatDuration(c.ageSeconds * 1000)},
		{key: 'db', title: 'DB', width: 3, align: 'right', priority: 5, value: c => sanitize(String(c.db))},
	];
}
