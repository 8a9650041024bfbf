// One chat's cache (messages newest first, pinned, backroom, reactions), or its comparison with
// PostgreSQL (counts, newest on each side, in sync or not, missing and extra).
import {useMemo} from 'react';
import type {Backends} from '../../../backends/index.js';
import {chatDetail, type ChatDetail} from '../../../cache/collections.js';
import {compareChat, type Comparison} from '../../../cache/compare.js';
import type {CachedMessage} from '../../../cache/messages.js';
import {comparisonText, messageLine} from '../../../text/value-text.js';
import {fit, formatCount, formatTtl} from '../../../text/format.js';
import {sanitize} from '../../../text/sanitize.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
import {useLoad} from '../../hooks/use-load.js';
import {useScroll} from '../../hooks/use-scroll.js';
import type {KeyEntry} from '../../input/keymap.js';
import {ScrollLines, type Line} from '../../components/scroll-lines.js';
import {SafeText} from '../../components/safe-text.js';
import {TabScreen} from '../../components/tab-screen.js';

type Props = {
	readonly backends: Backends;
	readonly chat: string;
	readonly compare: boolean;
	readonly width: number;
	readonly height: number;
	readonly generation: number;
	/** the tab's keys for a view, before and after the chat's own (viewKeymap) */
	readonly lead: readonly KeyEntry[];
	readonly trail: readonly KeyEntry[];
};

const ttl = (ms: number) => (ms === -2 ? '-' : formatTtl(ms));

/**
 * The chat's lines. `narrow`: a small pane (40x10) starts with the messages right under the counts
 * (no oldest / newest / section title, which left no room for a single message) and writes
 * times without the year.
 */
export function chatLines(d: ChatDetail, narrow = false): Line[] {
	const line = (m: CachedMessage) => ({text: sanitize(messageLine(m, narrow))});
	const counts = {text: sanitize(`messages ${formatCount(d.counts.messages)} (ttl ${ttl(d.ttlMs.messages)})  pinned ${formatCount(d.counts.pinned)}  backroom ${formatCount(d.counts.backroom)}  reactions ${formatCount(d.counts.reactions)}`)};
	const lines: Line[] = narrow ? [counts] : [
		counts,
		{text: sanitize(`oldest  ${d.oldest ? messageLine(d.oldest) : '-'}`), dim: true},
		{text: sanitize(`newest  ${d.newest ? messageLine(d.newest) : '-'}`), dim: true},
		{text: sanitize('')},
		{text: sanitize(`Messages (newest ${formatCount(d.messages.length)} of ${formatCount(d.counts.messages)}, newest first)`), bold: true, color: 'cyan'},
	];
	lines.push(...[...d.messages].reverse().map(line));
	lines.push({text: sanitize('')}, {text: sanitize(`Pinned (${formatCount(d.counts.pinned)}, ttl ${ttl(d.ttlMs.pinned)})`), bold: true, color: 'cyan'});
	for (const m of [...d.pinned].reverse()) lines.push(line(m));
	lines.push({text: sanitize('')}, {text: sanitize(`Backroom (${formatCount(d.counts.backroom)}, ttl ${ttl(d.ttlMs.backroom)})`), bold: true, color: 'cyan'});
	for (const m of [...d.backroom].reverse()) lines.push(line(m));
	lines.push({text: sanitize('')}, {text: sanitize(`Reactions (${formatCount(d.counts.reactions)} caches)`), bold: true, color: 'cyan'});
	for (const r of d.reactions ?? []) lines.push({text: sanitize(`${sanitize(r.message)}  ${Object.entries(r.counts).map(([e, n]) => `${sanitize(e)} ${n}`).join('  ')}`)});
	return lines;
}

export function compareLines(c: Comparison): Line[] {
	return comparisonText(c)
		.split('\n')
		.map(text => ({text: sanitize(text), color: /OUT OF SYNC/.test(text) ? 'red' : /status\s+in sync/.test(text) ? 'green' : undefined}));
}

export function ChatView({backends, chat, compare, width, height, generation, lead, trail}: Props) {
	const load = useLoad<{detail?: ChatDetail; comparison?: Comparison}>(
		async () => (compare ? {comparison: await compareChat(backends, chat)} : {detail: await chatDetail(backends, chat, {messages: 200, reactions: true})}),
		JSON.stringify([chat, compare, generation]),
	);
	// a body under 14 rows (a terminal under 17) or 60 columns: the messages come first (issue 16)
	const narrow = height < 14 || width < 60;
	const lines = useMemo(() => {
		if (load.data?.comparison) return compareLines(load.data.comparison);
		if (load.data?.detail) return chatLines(load.data.detail, narrow);
		return [];
	}, [load.data, narrow]);
	const linesHeight = Math.max(1, height - 1 - (load.error ? 1 : 0));
	const scroll = useScroll(lines.length, linesHeight, JSON.stringify([chat, compare]));
	const title = sanitize(`${compare ? 'compare' : 'chat'} ${keyText(chat)}${compare ? ' with postgres' : ''}${load.loading ? '  loading…' : ''}`);
	return (
		<TabScreen keymap={[...lead, ...scroll.keys, ...trail]} width={width} height={height}>
			<SafeText bold color="cyan" wrap="truncate">{fit(title, width)}</SafeText>
			{load.error ? <SafeText color="red" wrap="truncate">{fit(load.error, width)}</SafeText> : null}
			<ScrollLines lines={lines} top={scroll.top} width={width} height={linesHeight} />
		</TabScreen>
	);
}
