// The Keys tab's list: its columns (key or tree name, group count, type, TTL, size — details only
// for the rows on screen) and the one status line with the scan's progress.
import type {KeyDetail, RedisType, TreeNode} from '../../../cache/keys.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
import {cellWidth, fitMiddle, formatBytes, formatCount, formatTtl, plural} from '../../../text/format.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import type {KeyScan} from './use-key-scan.js';
import type {Column} from '../../components/table.js';

/** a plain key in list view, or a node of the tree view */
export type Row = {readonly key: string; readonly node?: TreeNode};

export function keyColumns(tree: boolean, done: boolean, details: ReadonlyMap<string, KeyDetail>): Column<Row | string>[] {
	const detail = (r: Row | string): KeyDetail | undefined => {
		if (typeof r === 'string') return details.get(r);
		return r.node?.isGroup ? undefined : details.get(r.key);
	};
	return [
		// keyText: a key that is not UTF-8 shows its bytes (\xff), never a look-alike of another key.
		// Cut in the middle (the end of a reaction key is its message), and wide enough that a 40-column
		// pane drops TTL and size before the key gets short (issue 16)
		{key: 'key', title: tree ? 'name' : 'key', value: r => keyText(typeof r === 'string' ? r : r.node ? r.node.name : r.key), minWidth: 26, cut: 'middle'},
		// counts of a group grow while the scan runs: the title says so until it is done
		...(tree ? [{key: 'count', title: done ? 'keys' : 'keys (partial)', width: done ? 8 : 14, align: 'right' as const, value: (r: Row | string) => (typeof r !== 'string' && r.node?.isGroup ? formatCount(r.node.count) : sanitize(''))}] : []),
		// Table drops the highest priority number first on a narrow terminal: size, then TTL
		{key: 'type', title: 'type', width: 6, priority: 1, value: r => sanitize(detail(r)?.type ?? '')},
		{key: 'ttl', title: 'ttl', width: 8, priority: 2, align: 'right', value: r => {
			const d = detail(r);
			return d ? formatTtl(d.pttl) : sanitize('');
		}},
		{key: 'size', title: 'size', width: 9, priority: 3, align: 'right', value: r => {
			const d = detail(r);
			return d ? formatBytes(d.bytes) : sanitize('');
		}},
	];
}

type StatusInput = {
	readonly scan: KeyScan;
	readonly done: boolean;
	readonly pattern: string;
	readonly type: RedisType | undefined;
	readonly tree: boolean;
	readonly prefix: string;
	readonly width: number;
};

/** "pattern chat:* · type zset · 1,234 keys · scanned 45,000 of 100,000 · scanning…" (shorter when narrow) */
/** The pattern cut in its middle to what the rest of the line leaves (at least 12 cells). */
function patternIn(pattern: string, rest: readonly (string | undefined)[], label: string, width: number): string {
	const others = rest.filter(Boolean).join(' · ');
	const room = width - cellWidth(others) - cellWidth(label) - (others ? 3 : 0);
	return label + fitMiddle(sanitize(pattern), Math.max(12, room));
}

export function scanStatus({scan, done, pattern, type, tree, prefix, width}: StatusInput): Safe {
	const p = scan.progress;
	const count = plural(scan.list.keys.length, 'key');
	// a list read before Redis went down says so: it may not be what is there when Redis is back
	const state = scan.error ? `error: ${scan.error}` : scan.down ? 'redis is down: list from before' : done ? 'done' : scan.waiting ? 'connecting to redis…' : scan.running ? 'scanning…' : 'stopped';
	// a long pattern (up to 4,096 characters) is cut in its middle: the count and the state stay
	if (width < 60) {
		const percent = p && p.total > 0 && !done ? `${Math.floor((p.scanned / p.total) * 100)}%` : undefined;
		const parts = [count, percent, state];
		return sanitize([...parts, pattern === '*' ? undefined : patternIn(pattern, parts.map(x => x && sanitize(x)), '', width)].filter(Boolean).join(' · '));
	}
	const rest = [
		type ? `type ${type}` : undefined,
		tree ? `tree ${prefix ? keyText(prefix) : '/'}${done ? '' : ' (partial)'}` : undefined,
		count,
		p && p.total > 0 ? `scanned ${formatCount(p.scanned)} of ${formatCount(p.total)}${p.masters > 1 ? ` on ${p.masters} masters` : ''}` : undefined,
		state,
	];
	// one sanitize over the whole line: the pattern, the prefix and a server's error text are in it
	return sanitize([pattern === '*' ? 'all keys' : patternIn(pattern, rest.map(x => x && sanitize(x)), 'pattern ', width), ...rest].filter(Boolean).join(' · '));
}
