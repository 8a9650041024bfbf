// One member of a value opened whole (Enter on it in the value view): a sorted-set or set member, a
// list item, a hash field and its value, a stream entry's fields. JSON is pretty-printed, text
// wrapped at the width, binary shown as a hexdump (offset, hex, ASCII); all of it scrolls. A member
// the preview had to cut is read again whole (cache/member.ts).
import {useMemo} from 'react';
import type {Backends} from '../../../backends/index.js';
import {isCut, readMember} from '../../../cache/member.js';
import type {Shown, ValueItem} from '../../../cache/values.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
import {fit, formatBytes, formatCount} from '../../../text/format.js';
import {pieceKind, pieceLines} from '../../../text/member-text.js';
import {sanitize} from '../../../text/sanitize.js';
import {useLoad} from '../../hooks/use-load.js';
import {useScroll} from '../../hooks/use-scroll.js';
import type {KeyEntry} from '../../input/keymap.js';
import {ScrollLines, type Line} from '../../components/scroll-lines.js';
import {SafeText} from '../../components/safe-text.js';
import {TabScreen} from '../../components/tab-screen.js';

type Props = {
	readonly backends: Backends;
	readonly redisKey: string;
	readonly type: string;
	readonly item: ValueItem;
	readonly width: number;
	readonly height: number;
	readonly onClose: () => void;
};

const kindNote = (s: Shown) => ({json: '  JSON', binary: '  binary: hexdump', text: ''})[pieceKind(s)];

/** What the member is: "member 3 · score 1764000000000 (2025-11-24 16:00:00Z) · 500 B  JSON". */
export function memberHead(type: string, item: ValueItem): string {
	const size = (s: Shown) => `${formatBytes(s.bytes)}${kindNote(s)}`;
	switch (type) {
		case 'zset':
			return `member ${formatCount((item.index ?? 0) + 1)} · score ${item.score}${item.scoreDate ? ` (${item.scoreDate})` : ''} · ${size(item.value)}`;
		case 'list':
			return `item ${item.index ?? 0} · ${size(item.value)}`;
		case 'hash':
			return `field · ${size(item.value)}`;
		case 'stream':
			return `entry ${item.id ?? ''} · ${formatCount(item.fields?.length ?? 0)} fields`;
		default:
			return `member · ${size(item.value)}`;
	}
}

/** The member's lines: the value's; a hash field and its value, or a stream entry's fields, each under its name. */
export function memberLines(type: string, item: ValueItem, width: number): Line[] {
	const plain = (s: Shown): Line[] => pieceLines(s, width).map(text => ({text}));
	const heading = (text: string): Line => ({text: sanitize(text), bold: true, color: 'cyan'});
	if (type === 'hash') return [heading('field'), ...plain(item.field!), {text: sanitize('')}, heading('value'), ...plain(item.value)];
	if (type === 'stream') return (item.fields ?? []).flatMap(([f, v], i) => [...(i > 0 ? [{text: sanitize('')}] : []), {text: sanitize(f.text), bold: true, color: 'cyan'}, ...plain(v)]);
	return plain(item.value);
}

export function MemberView({backends, redisKey, type, item, width, height, onClose}: Props) {
	const cut = isCut(item);
	const load = useLoad(async () => (cut ? ((await readMember(backends.redis, redisKey, type, item)) ?? null) : item), JSON.stringify([redisKey, type, item.index ?? null, item.id ?? null, item.score ?? null]));
	const whole = cut ? load.data : item;
	const lines = useMemo(() => (whole ? memberLines(type, whole, width) : []), [whole, type, width]);
	const linesHeight = Math.max(1, height - 2 - (load.error ? 1 : 0));
	const scroll = useScroll(lines.length, linesHeight, redisKey);
	const keymap: KeyEntry[] = [{key: 'Esc', label: 'back', help: 'back to the value', run: onClose}, ...scroll.keys];
	const head = whole === null
		? sanitize('this member is no longer there (the value changed): Esc, then r reloads')
		: sanitize(whole ? memberHead(type, whole) : 'loading…');
	return (
		<TabScreen keymap={keymap} width={width} height={height}>
			<SafeText bold color="cyan" wrap="truncate">{fit(keyText(redisKey), width)}</SafeText>
			<SafeText wrap="truncate" color={whole === null ? 'yellow' : undefined}>{fit(head, width)}</SafeText>
			{load.error ? <SafeText color="red" wrap="truncate">{fit(load.error, width)}</SafeText> : null}
			<ScrollLines lines={lines} top={scroll.top} width={width} height={linesHeight} />
		</TabScreen>
	);
}
