// The Redis view as text, for `opsdeck redis info|slowlog|latency|clients` (and the tab's lines):
// every server string sanitized here — key names and slow-log arguments through keyText (lossless:
// a byte that is not UTF-8 shows as \xHH), names and addresses through sanitize. JSON forms keep
// the data and name a key that is not UTF-8 by its shown form and its bytes in hex.
import {isBinaryKey, keyHex, keyText} from '../backends/redis/key-bytes.js';
import type {ClientInfo} from '../redis-server/clients.js';
import type {LatencyServer} from '../redis-server/latency.js';
import type {ServerSample} from '../redis-server/server-stats.js';
import type {Slowlog, SlowlogArg, SlowlogEntry} from '../redis-server/slowlog.js';
import {formatBytes, formatCount, formatDateTime, formatDuration, formatPercent} from './format.js';
import {sanitize, type Safe} from './sanitize.js';
import {rows} from './value-text.js';

/** An argument shown longer than this is cut, with its size in bytes. */
export const shownArgChars = 60;

const rate = (perSec: number) => (perSec < 10 ? perSec.toFixed(1).replace(/\.0$/, '') : formatCount(perSec));

/** A duration in µs: "850µs", "12ms", "1.5s". */
export function formatMicros(us: number): Safe {
	return (us < 1000 ? `${us}µs` : formatDuration(us / 1000)) as Safe;
}

/** "5m ago" from unix seconds, against `now` (ms). */
function ago(unixSeconds: number | null, now: number): string {
	if (unixSeconds === null || unixSeconds <= 0) return 'never';
	return `${formatDuration(Math.max(0, now - unixSeconds * 1000))} ago`;
}

export function serverLines(s: ServerSample, now = Date.now()): string {
	const r = s.rates;
	const max = s.maxMemoryBytes === null ? 'no maxmemory' : `maxmemory ${formatBytes(s.maxMemoryBytes)} (${formatPercent(s.memoryRatio)} used)`;
	const policy = s.maxMemoryPolicy === null ? '' : ` ${sanitize(s.maxMemoryPolicy)}`;
	const perSec = (n: number | undefined) => (r ? ` +${formatCount(n)} (${rate((n ?? 0) / (r.intervalMs / 1000))}/s)` : '');
	const replicas = s.replicas.map(x => `${sanitize(x.address)} ${sanitize(x.state)} lag ${x.lagSeconds === null ? '-' : `${x.lagSeconds}s`} ${formatBytes(x.lagBytes)}`);
	const replication = s.master
		? `replica of ${sanitize(s.master.address)}, link ${sanitize(s.master.linkStatus)}${s.master.lastIoSecondsAgo === null ? '' : `, last I/O ${s.master.lastIoSecondsAgo}s ago`}`
		: `${sanitize(s.role)}, ${s.replicas.length === 0 ? 'no replicas' : `${s.replicas.length} replica${s.replicas.length === 1 ? '' : 's'}: ${replicas.join('; ')}`}`;
	const p = s.persistence;
	const rdb = `last save ${ago(p.lastSaveTime, now)} (${sanitize(p.lastBgsaveStatus ?? '-')})${p.bgsaveInProgress ? ', saving now' : ''}, ${formatCount(p.changesSinceLastSave)} changes since`;
	const aof = p.aofEnabled ? `AOF on (last write ${sanitize(p.aofLastWriteStatus ?? '-')}, last rewrite ${sanitize(p.aofLastRewriteStatus ?? '-')}${p.aofRewriteInProgress ? ', rewriting now' : ''})` : 'AOF off';
	const head = `${sanitize(s.server)}  ${sanitize(s.role)}  v${sanitize(s.version ?? '-')}  up ${s.uptimeSeconds === null ? '-' : formatDuration(s.uptimeSeconds * 1000)}`;
	const body = rows([
		['memory', `${formatBytes(s.usedMemoryBytes)} used, peak ${formatBytes(s.peakMemoryBytes)}, ${max}${policy}, fragmentation ${s.fragmentationRatio ?? '-'}`],
		['evicted', `${formatCount(s.evictedKeys)} keys${perSec(r?.evicted)}`],
		['expired', `${formatCount(s.expiredKeys)} keys${perSec(r?.expired)}`],
		['ops/s', r ? rate(r.opsPerSec) : formatCount(s.instantaneousOpsPerSec)],
		['hit ratio', `${formatPercent(r?.hitRatio ?? null)} now, ${formatPercent(s.hitRatioSinceStart)} since start`],
		['clients', `${formatCount(s.connectedClients)} connected, ${formatCount(s.blockedClients)} blocked`],
		['replication', replication],
		['persistence', `${rdb}; ${aof}`],
	]);
	return `${head}\n${body.replace(/^/gm, '  ')}`;
}

/** An argument as shown: keyText, cut past shownArgChars with its size, quoted when it holds a space. */
export function argText(arg: SlowlogArg): string {
	const chars = Array.from(arg.text);
	const cut = arg.cut || chars.length > shownArgChars;
	let text: string = keyText(cut ? chars.slice(0, shownArgChars).join('') : arg.text);
	if (text === '' || /[ "]/.test(text)) text = `"${text.replaceAll('"', '\\"')}"`;
	return cut ? `${text}… (${formatCount(arg.bytes)} bytes)` : text;
}

export function commandText(entry: Pick<SlowlogEntry, 'args' | 'moreArgs'>): string {
	const more = entry.moreArgs > 0 ? ` … (${formatCount(entry.moreArgs)} more arguments)` : '';
	return entry.args.map(argText).join(' ') + more;
}

export function slowlogText(log: Slowlog, limit: number): string {
	const lines = log.servers.map(s => {
		const slower = s.slowerThanMicros === null ? 'threshold unknown' : s.slowerThanMicros < 0 ? 'logging off' : `logs commands slower than ${formatMicros(s.slowerThanMicros)}`;
		return `${sanitize(s.server)}: ${formatCount(s.length)} entries (${slower}, keeps ${formatCount(s.maxLength)})`;
	});
	const many = log.servers.length > 1;
	for (const e of log.entries.slice(0, limit)) {
		const client = `${sanitize(e.client)}${e.clientName ? ` (${sanitize(e.clientName)})` : ''}`;
		lines.push(`${formatDateTime(e.time * 1000)}  ${formatMicros(e.durationMicros).padStart(7)}  ${many ? `${sanitize(e.server)}  ` : ''}${client}  ${commandText(e)}`);
	}
	if (log.entries.length === 0) lines.push('(the slow log is empty)');
	return lines.join('\n');
}

/** A key-bytes string for JSON: itself when UTF-8, else its shown form and its bytes in hex. */
export function jsonKey<N extends string>(name: N, key: string): Record<N, string> | Record<N | `${N}Hex`, string> {
	return (isBinaryKey(key) ? {[name]: keyText(key), [`${name}Hex`]: keyHex(key)} : {[name]: key}) as Record<N, string>;
}

export function slowlogJson(log: Slowlog, limit: number) {
	return {
		servers: log.servers,
		entries: log.entries.slice(0, limit).map(e => ({...e, args: e.args.map(a => ({...jsonKey('text', a.text), bytes: a.bytes, cut: a.cut}))})),
	};
}

export function latencyText(servers: readonly LatencyServer[]): string {
	const lines: string[] = [];
	for (const s of servers) {
		lines.push(`${sanitize(s.server)}: ${s.hint ? sanitize(s.hint) : `threshold ${s.thresholdMs ?? '?'} ms, ${s.events.length} event${s.events.length === 1 ? '' : 's'}`}`);
		for (const e of s.events) lines.push(`  ${sanitize(e.event).padEnd(24)} latest ${formatCount(e.latestMs)} ms at ${formatDateTime(e.time * 1000)}, worst ${formatCount(e.maxMs)} ms`);
	}
	return lines.join('\n');
}

/** "42", or "127.0.0.1:7001/42" when there are several servers (the form `redis kill` takes). */
export function clientId(c: Pick<ClientInfo, 'server' | 'id'>, many: boolean): string {
	return many ? `${sanitize(c.server)}/${c.id}` : String(c.id);
}

export function clientsText(clients: readonly ClientInfo[], many: boolean): string {
	const table = [['ID', 'ADDR', 'NAME', 'DB', 'AGE', 'IDLE', 'CMD', 'MEMORY', '']];
	for (const c of clients) {
		table.push([clientId(c, many), sanitize(c.addr), sanitize(c.name) || '-', String(c.db), formatDuration(c.ageSeconds * 1000), formatDuration(c.idleSeconds * 1000), sanitize(c.cmd), formatBytes(c.memoryBytes), c.opsdeck ? '(own)' : '']);
	}
	const widths = table[0]!.map((_, i) => Math.max(...table.map(row => Array.from(row[i]!).length)));
	return table.map(row => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - Array.from(cell).length))).join('  ').trimEnd()).join('\n');
}
