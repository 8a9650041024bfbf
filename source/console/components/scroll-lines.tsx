// A scrollable block of text lines (Safe: sanitized by whoever made them): j k ↑ ↓ PgUp PgDn g G.
// Only the lines that fit are drawn; long lines are cut, never wrapped.
import {Box, Text} from 'ink';
import {useLatestInput} from '../hooks/use-latest-input.js';
import {useEffect, useState} from 'react';
import {fit} from '../../text/format.js';
import type {Safe} from '../../text/sanitize.js';
import {SafeText} from './safe-text.js';

export type Line = {readonly text: Safe; readonly color?: string; readonly bold?: boolean; readonly dim?: boolean};

type Props = {
	readonly lines: readonly Line[];
	readonly width: number;
	readonly height: number;
	readonly isActive: boolean;
	/** reset the scroll when this changes */
	readonly resetKey?: string;
};

export function ScrollLines({lines, width, height, isActive, resetKey}: Props) {
	const [top, setTop] = useState(0);
	const room = Math.max(1, height - 1);
	const maxTop = Math.max(0, lines.length - room);
	useEffect(() => setTop(0), [resetKey]);
	useLatestInput(
		(input, key) => {
			const clamp = (n: number) => Math.min(maxTop, Math.max(0, n));
			if (key.downArrow || input === 'j') setTop(t => clamp(t + 1));
			else if (key.upArrow || input === 'k') setTop(t => clamp(t - 1));
			else if (key.pageDown || input === ' ') setTop(t => clamp(t + room));
			else if (key.pageUp) setTop(t => clamp(t - room));
			else if (input === 'g' || key.home) setTop(0);
			else if (input === 'G' || key.end) setTop(maxTop);
		},
		{isActive},
	);
	const start = Math.min(top, maxTop);
	const shown = lines.slice(start, start + room);
	const more = lines.length > room ? `lines ${start + 1}-${start + shown.length} of ${lines.length}` : '';
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			{shown.map((line, i) => (
				<SafeText key={start + i} color={line.color} bold={line.bold} dimColor={line.dim} wrap="truncate">
					{/* an empty Text takes no line in Ink: a blank line is a space */}
					{fit(line.text, width) || (' ' as Safe)}
				</SafeText>
			))}
			{more ? <Text dimColor wrap="truncate">{fit(more, width)}</Text> : null}
		</Box>
	);
}
