// One key's value: type, TTL, memory, size ("preview — N total" when only part is shown) and the
// value as lines; `n` reads the next page (HSCAN cursor, offset or stream id), `p` the first again.
// A string is shown whole (JSON pretty-printed, text wrapped, binary as a hexdump); a value of
// members shows one line each, and Enter opens the highlighted one whole (member-view.tsx).
import {Text} from 'ink';
import {useMemo, useState} from 'react';
import type {ValueItem} from '../../../cache/values.js';
import type {Backends} from '../../../backends/index.js';
import {keyDetails} from '../../../cache/keys.js';
import {sizeLine, valueLines} from '../../../text/value-text.js';
import {readValue} from '../../../cache/values.js';
import {fit, fitMiddle, formatBytes, formatTtl} from '../../../text/format.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
import {sanitize} from '../../../text/sanitize.js';
import {useLoad} from '../../hooks/use-load.js';
import {useScroll, useScrollCursor} from '../../hooks/use-scroll.js';
import {pieceLines} from '../../../text/member-text.js';
import {MemberView} from './member-view.js';
import type {KeyEntry} from '../../input/keymap.js';
import {ScrollLines, type Line} from '../../components/scroll-lines.js';
import {SafeText} from '../../components/safe-text.js';
import {TabScreen} from '../../components/tab-screen.js';

type Props = {
	readonly backends: Backends;
	readonly redisKey: string;
	readonly width: number;
	readonly height: number;
	/** bump to reload */
	readonly generation: number;
	/** the tab's keys for a view, before and after the value's own (viewKeymap) */
	readonly lead: readonly KeyEntry[];
	readonly trail: readonly KeyEntry[];
};

export function ValueView({backends, redisKey, width, height, generation, lead, trail}: Props) {
	const [pages, setPages] = useState<readonly (string | undefined)[]>([undefined]);
	const from = pages.at(-1);
	const load = useLoad(async () => {
		const [detail] = await keyDetails(backends.redis, [redisKey]);
		const preview = await readValue(backends.redis, redisKey, {from});
		return {detail: detail!, preview};
	}, JSON.stringify([redisKey, from ?? null, generation]));
	const [opened, setOpened] = useState<ValueItem | undefined>();
	const string = load.data?.preview.string;
	const lines: Line[] = useMemo(() => {
		if (string) return pieceLines(string, width).map(text => ({text}));
		return load.data ? valueLines(load.data.preview).map(text => ({text: sanitize(text)})) : [];
	}, [load.data, string, width]);
	const items = load.data?.preview.items ?? [];
	const linesHeight = Math.max(1, height - 2 - (load.error ? 1 : 0));
	const scroll = useScroll(lines.length, linesHeight, JSON.stringify([redisKey, from ?? null]));
	// a value of members: a highlighted one, which Enter opens whole
	const cursor = useScrollCursor(items.length, linesHeight, JSON.stringify([redisKey, from ?? null]));
	const next = load.data?.preview.next;
	const paging: KeyEntry = {
		key: 'n p', label: 'next/prev page', help: 'next page / previous page of a value', when: next !== undefined || pages.length > 1,
		run: press => {
			if (press.name === 'n' && next !== undefined) setPages([...pages, next]);
			else if (press.name === 'p' && pages.length > 1) setPages(pages.slice(0, -1));
		},
	};
	if (opened && load.data) {
		return <MemberView backends={backends} redisKey={redisKey} type={load.data.preview.type} item={opened} width={width} height={height} onClose={() => setOpened(undefined)} />;
	}
	const selected = items[cursor.selected];
	const open: KeyEntry = {key: 'Enter', label: 'open member', help: 'open the highlighted member whole (JSON pretty-printed, binary as a hexdump)', when: selected !== undefined, run: () => setOpened(selected)};
	const moveKeys = items.length > 0 ? [...cursor.keys, open] : scroll.keys;
	const head = sanitize(load.data
		? `${load.data.detail.type}  ttl ${formatTtl(load.data.detail.pttl)}  ${formatBytes(load.data.detail.bytes)}  ${sizeLine(load.data.preview)}${pages.length > 1 ? `  page ${pages.length}` : ''}`
		: load.loading ? 'loading…' : '');
	// `y`: the highlighted member's value, or the string (as read: a preview of a long one)
	const copyItem = selected ? {text: selected.value.text, what: 'member'} : string ? {text: string.text, what: 'value'} : undefined;
	return (
		<TabScreen keymap={[...lead, ...moveKeys, paging, ...trail]} width={width} height={height} current={{item: copyItem}}>
			<SafeText bold color="cyan" wrap="truncate">{fitMiddle(keyText(redisKey), width)}</SafeText>
			<SafeText wrap="truncate">{fit(head, width)}</SafeText>
			{load.error ? <SafeText color="red" wrap="truncate">{fit(load.error, width)}</SafeText> : null}
			{load.data?.preview.type === 'none' ? <Text color="yellow">{fit('this key no longer exists', width)}</Text> : null}
			<ScrollLines lines={lines} top={items.length > 0 ? cursor.top : scroll.top} selected={items.length > 0 ? cursor.selected : undefined} width={width} height={linesHeight} />
		</TabScreen>
	);
}
