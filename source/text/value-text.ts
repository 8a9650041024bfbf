// Pure text shaping shared by the commands and the Keys tab (no printing here): how a value preview, a cached
// message and a comparison read as lines. Everything untrusted goes through sanitize here.
import type {Comparison} from '../cache/compare.js';
import type {CachedMessage} from '../cache/messages.js';
import {shownBytes, type ValueItem, type ValuePreview} from '../cache/values.js';
import {formatCount, plural} from './format.js';
import {hexdumpLines} from './hexdump.js';
import {sanitize, sanitizeMultiline} from './sanitize.js';

export function shown(s: {readonly text: string; readonly truncated: boolean; readonly bytes: number; readonly binary: boolean}): string {
	return sanitize(s.text) + (s.truncated ? ` … (${plural(s.bytes, 'byte')})` : '');
}

export function itemLine(type: string, item: ValueItem): string {
	switch (type) {
		case 'hash':
			return `${shown(item.field!)} = ${shown(item.value)}`;
		case 'zset':
			return `${item.score}${item.scoreDate ? ` (${item.scoreDate})` : ''}  ${shown(item.value)}`;
		case 'list':
			return `${item.index}  ${shown(item.value)}`;
		case 'stream':
			return `${sanitize(item.id ?? '')}  ${(item.fields ?? []).map(([f, v]) => `${shown(f)}=${shown(v)}`).join(' ')}`;
		default:
			return shown(item.value);
	}
}

const unit: Record<string, readonly [string, string]> = {hash: ['field', 'fields'], list: ['item', 'items'], set: ['member', 'members'], zset: ['member', 'members'], stream: ['entry', 'entries'], string: ['byte', 'bytes']};

/** "500 members", "1 field", or "preview — 500 total (100 shown)" */
export function sizeLine(preview: ValuePreview): string {
	const [one, many] = unit[preview.type] ?? ['item', 'items'];
	if (!preview.partial) return plural(preview.total, one, many);
	const count = preview.type === 'string' ? preview.string?.text.length ?? 0 : preview.items.length;
	return `preview — ${formatCount(preview.total)} total (${preview.type === 'string' ? plural(count, 'byte') : plural(count, one, many)} shown)`;
}

/** The value as lines of text (pretty JSON keeps its lines; a binary string is a hexdump). */
export function valueLines(preview: ValuePreview): string[] {
	if (preview.type === 'string' && preview.string) {
		if (preview.string.json !== undefined) return sanitizeMultiline(preview.string.json).split('\n');
		if (preview.string.binary) return [...hexdumpLines(shownBytes(preview.string)), ...(preview.string.truncated ? [`… (${plural(preview.string.bytes, 'byte')})`] : [])];
		return [shown(preview.string)];
	}
	return preview.items.map(item => itemLine(preview.type, item));
}

/** `short`: for a narrow pane, the time without its year and zone (11-30 09:15:38), one space after it */
export function messageLine(m: CachedMessage, short = false): string {
	if (m.raw !== undefined) return `${m.createdAt ?? '-'}  (not JSON) ${sanitize(m.raw)}`;
	const time = (m.createdAt ?? '').replace('T', ' ').replace(/\.\d+Z$/, 'Z');
	const badges = m.badges.length > 0 ? ` [${m.badges.map(sanitize).join(',')}]` : '';
	const when = short ? `${time.replace(/^\d{4}-/, '').replace(/Z$/, '')} ` : `${time}  `;
	return `${sanitize(when)}${sanitize(m.username ?? '?')}${badges}: ${sanitize(m.content ?? '')}`;
}

/** Aligned "label  value" rows. */
export function rows(pairs: readonly (readonly [string, string])[]): string {
	const width = Math.max(...pairs.map(([label]) => label.length));
	return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** A comparison whose missing and extra lists may be cut: the totals say how many there are. */
export type ShownComparison = Comparison & {readonly missingTotal: number; readonly extraTotal: number};

/** The missing and extra lists cut to `limit` each, their totals kept (`chat show --compare --limit N`). */
export function capComparison(c: Comparison, limit: number): ShownComparison {
	return {...c, missing: c.missing.slice(0, limit), extra: c.extra.slice(0, limit), missingTotal: c.missing.length, extraTotal: c.extra.length};
}

export function comparisonText(c: Comparison | ShownComparison): string {
	const newest = (n: Comparison['redis']['newest']) => (n ? `${sanitize(n.id ?? '?')} at ${sanitize(n.time ?? '?')}` : '-');
	const missingTotal = 'missingTotal' in c ? c.missingTotal : c.missing.length;
	const extraTotal = 'extraTotal' in c ? c.extraTotal : c.extra.length;
	// "missing in redis (…): 50 of 1,234 shown" when the list was cut
	const heading = (what: string, shown: number, total: number) => `${what}${shown < total ? `, ${formatCount(shown)} of ${formatCount(total)} shown (--limit N shows more)` : ''}:`;
	const ref = (m: Comparison['missing'][number]) => `  ${sanitize(m.id)}  ${sanitize(m.time ?? '')}  ${sanitize(m.username ?? '')}: ${sanitize(m.content ?? '')}`;
	const lines = [
		rows([
			['', 'redis / postgres'],
			['messages', `${formatCount(c.redis.count)} / ${formatCount(c.database.count)} (${formatCount(c.database.window)} in the cache window)`],
			['newest in redis', newest(c.redis.newest)],
			['newest in postgres', newest(c.database.newest)],
			['status', c.inSync ? 'in sync' : `OUT OF SYNC: ${formatCount(missingTotal)} missing in redis, ${formatCount(extraTotal)} extra in redis`],
		]),
	];
	if (c.missing.length > 0) lines.push('', heading('missing in redis (in the cache window, not cached)', c.missing.length, missingTotal), ...c.missing.map(ref));
	if (c.extra.length > 0) lines.push('', heading('extra in redis (cached, not in the database)', c.extra.length, extraTotal), ...c.extra.map(ref));
	if (c.unidentified > 0) lines.push('', `${plural(c.unidentified, 'cached member')} ${c.unidentified === 1 ? 'has' : 'have'} no id`);
	return lines.join('\n');
}
