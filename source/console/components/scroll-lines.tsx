// A scrolled block of text lines (Safe: sanitized by whoever made them), from `top` (useScroll).
// Only the lines that fit are drawn; long lines are cut, never wrapped.
import {Box, Text} from 'ink';
import {fit} from '../../text/format.js';
import type {Safe} from '../../text/sanitize.js';
import {scrollRoom} from '../hooks/use-scroll.js';
import {SafeText} from './safe-text.js';

export type Line = {readonly text: Safe; readonly color?: string; readonly bold?: boolean; readonly dim?: boolean};

type Props = {
	readonly lines: readonly Line[];
	readonly top: number;
	readonly width: number;
	readonly height: number;
	/** the line drawn highlighted (useScrollCursor), if any */
	readonly selected?: number;
};

/** ", more below" / ", more above" / ", more above and below": which way there is more to see. */
export function moreMark(above: boolean, below: boolean): string {
	return above && below ? ', more above and below' : above ? ', more above' : below ? ', more below' : '';
}

export function ScrollLines({lines, top, width, height, selected}: Props) {
	const room = scrollRoom(height);
	const start = Math.min(top, Math.max(0, lines.length - room));
	const shown = lines.slice(start, start + room);
	const more = lines.length > room ? `lines ${start + 1}-${start + shown.length} of ${lines.length}${moreMark(start > 0, start + shown.length < lines.length)}` : '';
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			{shown.map((line, i) => (
				<SafeText key={start + i} color={line.color} bold={line.bold} dimColor={line.dim} inverse={start + i === selected} wrap="truncate">
					{/* an empty Text takes no line in Ink: a blank line is a space */}
					{fit(line.text, width) || (' ' as Safe)}
				</SafeText>
			))}
			{more ? <Text dimColor wrap="truncate">{fit(more, width)}</Text> : null}
		</Box>
	);
}
