import {Box, Text} from 'ink';
import {fit} from '../../text/format.js';

export type HelpSection = {readonly title: string; readonly keys: readonly (readonly [string, string])[]};

type Props = {readonly sections: readonly HelpSection[]; readonly width: number; readonly height: number};

/** The `?` overlay: the keys of this view and the global ones. */
export function Help({sections, width, height}: Props) {
	const lines: {text: string; bold?: boolean; key?: string}[] = [];
	for (const section of sections) {
		if (lines.length > 0) lines.push({text: ''});
		lines.push({text: section.title, bold: true});
		for (const [key, label] of section.keys) lines.push({key, text: label});
	}
	const keyWidth = Math.min(14, Math.max(...sections.flatMap(s => s.keys.map(([k]) => k.length)), 4) + 2);
	const room = Math.max(1, height - 1);
	const shown = lines.length > room ? lines.slice(0, room - 1).concat({text: `… ${lines.length - room + 1} more (widen the terminal)`}) : lines;
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			{shown.map((line, i) =>
				line.key === undefined ? (
					<Text key={i} bold={line.bold} color={line.bold ? 'cyan' : undefined} wrap="truncate">{fit(line.text, width)}</Text>
				) : (
					<Text key={i} wrap="truncate">
						<Text bold color="yellow">{fit(line.key, keyWidth, true)}</Text>
						<Text>{fit(line.text, Math.max(1, width - keyWidth))}</Text>
					</Text>
				),
			)}
			<Text dimColor wrap="truncate">{fit('Esc or ? closes this help', width)}</Text>
		</Box>
	);
}
