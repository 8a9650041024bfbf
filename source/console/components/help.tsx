import {Box, Text} from 'ink';
import {cellWidth, fit, wrapCells} from '../../text/format.js';
import {sanitize} from '../../text/sanitize.js';
import {ScrollLines, type Line} from './scroll-lines.js';

export type HelpSection = {readonly title: string; readonly keys: readonly (readonly [string, string])[]};

/**
 * The help's lines for this width: a section title, then each key beside its text, the text wrapped
 * under itself when the pane is narrow (nothing cut: the overlay scrolls instead).
 */
export function helpRows(sections: readonly HelpSection[], width: number): Line[] {
	const keyWidth = Math.min(14, Math.max(...sections.flatMap(s => s.keys.map(([k]) => cellWidth(k))), 4) + 2);
	const textWidth = Math.max(8, width - keyWidth);
	const rows: Line[] = [];
	for (const section of sections) {
		if (rows.length > 0) rows.push({text: sanitize('')});
		rows.push({text: sanitize(section.title), bold: true, color: 'cyan'});
		for (const [key, label] of section.keys) {
			wrapCells(sanitize(label), textWidth).forEach((part, i) => rows.push({text: sanitize(`${fit(i === 0 ? key : '', keyWidth, true)}${part}`)}));
		}
	}
	return rows;
}

type Props = {readonly rows: readonly Line[]; readonly top: number; readonly width: number; readonly height: number};

/** The `?` overlay: the keys of this view and the global ones, scrolled from `top` (the frame's useScroll). */
export function Help({rows, top, width, height}: Props) {
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<ScrollLines lines={rows} top={top} width={width} height={Math.max(1, height - 1)} />
			<Text dimColor wrap="truncate">{fit('Esc or ? closes this help', width)}</Text>
		</Box>
	);
}
