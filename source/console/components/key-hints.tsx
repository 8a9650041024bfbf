import {Box, Text} from 'ink';
import type {Hint, Tone} from '../context.js';
import {fit} from '../../text/format.js';
import type {Safe} from '../../text/sanitize.js';
import {SafeText} from './safe-text.js';

type Props = {
	readonly hints: readonly Hint[];
	readonly width: number;
	readonly flash?: {readonly message: Safe; readonly tone: Tone} | undefined;
};

const toneColor: Record<Tone, string> = {info: 'cyan', success: 'green', warning: 'yellow', error: 'red'};

/** The bottom bar: the keys that work here, or a short-lived result message. */
export function KeyHints({hints, width, flash}: Props) {
	if (flash) {
		return (
			<Box height={1} width={width}>
				<SafeText color={toneColor[flash.tone]} wrap="truncate">{fit(flash.message, width)}</SafeText>
			</Box>
		);
	}
	// Fit as many hints as the width allows, in order.
	const parts: Hint[] = [];
	let used = 0;
	for (const hint of hints) {
		const size = hint.key.length + 1 + hint.label.length + 2;
		if (used + size > width) break;
		parts.push(hint);
		used += size;
	}
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate">
				{parts.map(hint => (
					<Text key={hint.key + hint.label}>
						<Text bold color="cyan">{hint.key}</Text>
						<Text dimColor>{` ${hint.label}  `}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}
