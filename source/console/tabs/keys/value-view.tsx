// One key's value: type, TTL, memory, size ("preview — N total" when only part is shown) and the
// value as lines; `n` reads the next page (HSCAN cursor, offset or stream id), `p` the first again.
import {Text} from 'ink';
import {useMemo, useState} from 'react';
import type {Backends} from '../../../backends/index.js';
import {keyDetails} from '../../../cache/keys.js';
import {sizeLine, valueLines} from '../../../text/value-text.js';
import {readValue} from '../../../cache/values.js';
import {fit, fitMiddle, formatBytes, formatTtl} from '../../../text/format.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
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
	const lines: Line[] = useMemo(() => (load.data ? valueLines(load.data.preview).map(text => ({text: sanitize(text)})) : []), [load.data]);
	const linesHeight = Math.max(1, height - 2 - (load.error ? 1 : 0));
	const scroll = useScroll(lines.length, linesHeight, JSON.stringify([redisKey, from ?? null]));
	const next = load.data?.preview.next;
	const paging: KeyEntry = {
		key: 'n p', label: 'next/prev page', help: 'next page / previous page of a value', when: next !== undefined || pages.length > 1,
		run: press => {
			if (press.name === 'n' && next !== undefined) setPages([...pages, next]);
			else if (press.name === 'p' && pages.length > 1) setPages(pages.slice(0, -1));
		},
	};
	const head = sanitize(load.data
		? `${load.data.detail.type}  ttl ${formatTtl(load.data.detail.pttl)}  ${formatBytes(load.data.detail.bytes)}  ${sizeLine(load.data.preview)}${pages.length > 1 ? `  page ${pages.length}` : ''}`
		: load.loading ? 'loading…' : '');
	return (
		<TabScreen keymap={[...lead, ...scroll.keys, paging, ...trail]} width={width} height={height}>
			<SafeText bold color="cyan" wrap="truncate">{fitMiddle(keyText(redisKey), width)}</SafeText>
			<SafeText wrap="truncate">{fit(head, width)}</SafeText>
			{load.error ? <SafeText color="red" wrap="truncate">{fit(load.error, width)}</SafeText> : null}
			{load.data?.preview.type === 'none' ? <Text color="yellow">{fit('this key no longer exists', width)}</Text> : null}
			<ScrollLines lines={lines} top={scroll.top} width={width} height={linesHeight} />
		</TabScreen>
	);
}
