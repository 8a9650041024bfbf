// The whole query of a session (or of a top query), wrapped to the width and scrollable: the list
// shows one line of it. Escaped before it is wrapped, so an escape sequence is shown as text and a
// wrapped line is never wider than the pane. The text is the one read when it was opened.
import {useMemo} from 'react';
import {fit} from '../../../text/format.js';
import {sanitize, type Safe} from '../../../text/sanitize.js';
import {ScrollLines, type Line} from '../../components/scroll-lines.js';
import {SafeText} from '../../components/safe-text.js';
import {TabScreen} from '../../components/tab-screen.js';
import {useScroll} from '../../hooks/use-scroll.js';
import type {KeyEntry} from '../../input/keymap.js';

/** Each line of the text escaped (tabs as two spaces) and wrapped at `width`, at a space when there is one. */
export function wrapText(text: string, width: number): Safe[] {
	const room = Math.max(1, width);
	const lines: Safe[] = [];
	for (const raw of text.split(/\r?\n/)) {
		let rest = Array.from(sanitize(raw.replaceAll('\t', '  ')));
		if (rest.length === 0) lines.push('' as Safe);
		while (rest.length > 0) {
			let cut = rest.length <= room ? rest.length : room;
			if (cut < rest.length) {
				const space = rest.lastIndexOf(' ', room);
				if (space > room / 2) cut = space + 1;
			}
			lines.push(rest.slice(0, cut).join('').trimEnd() as Safe);
			rest = rest.slice(cut);
		}
	}
	return lines;
}

type Props = {
	/** what the query belongs to, one line (Safe) */
	readonly title: Safe;
	readonly query: string;
	readonly width: number;
	readonly height: number;
	/** the tab's keys, before and after the scroll keys */
	readonly lead: readonly KeyEntry[];
	readonly trail: readonly KeyEntry[];
};

export function QueryView({title, query, width, height, lead, trail}: Props) {
	const lines: Line[] = useMemo(() => wrapText(query, width).map(text => ({text})), [query, width]);
	const linesHeight = Math.max(1, height - 1);
	const scroll = useScroll(lines.length, linesHeight, query);
	return (
		<TabScreen keymap={[...lead, ...scroll.keys, ...trail]} width={width} height={height} current={{item: query ? {text: query, what: 'query'} : undefined}}>
			<SafeText bold color="cyan" wrap="truncate">{fit(title, width)}</SafeText>
			<ScrollLines lines={lines} top={scroll.top} width={width} height={linesHeight} />
		</TabScreen>
	);
}
