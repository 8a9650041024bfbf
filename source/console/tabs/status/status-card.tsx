// One card of the Status tab: a title with the state and latency, then label/value rows, each
// value optionally coloured (by threshold). Every row is one line, cut to the card's width.
import {Box, Text} from 'ink';
import {fit, fitMiddle} from '../../../text/format.js';
import {safe, type Safe} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';

/** `middle`: cut in the middle when too wide (a URL or a path: its end names the database or the file) */
export type CardRow = {readonly label: string; readonly value: Safe; readonly color?: string | undefined; readonly middle?: boolean};

type Props = {
	readonly title: string;
	readonly state: 'up' | 'down' | 'connecting' | 'off' | 'unknown';
	/** the word drawn for the state, in its colour (default: the state, `DOWN` when down) */
	readonly stateLabel?: string | undefined;
	/** after the state, e.g. "12ms" */
	readonly note?: Safe | undefined;
	readonly noteColor?: string | undefined;
	readonly rows: readonly CardRow[];
	readonly width: number;
	readonly labelWidth?: number;
};

export const stateColor = {up: 'green', down: 'red', connecting: 'yellow', off: 'gray', unknown: 'yellow'} as const;

export function StatusCard({title, state, stateLabel, note, noteColor, rows, width, labelWidth = 11}: Props) {
	const valueWidth = Math.max(1, width - labelWidth - 2);
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate">
				<Text bold>{title}</Text>
				{'  '}
				<Text bold color={stateColor[state]}>{stateLabel ?? (state === 'down' ? 'DOWN' : state)}</Text>
				{note ? <SafeText color={noteColor}>{safe`  ${note}`}</SafeText> : null}
			</Text>
			{rows.map(row => {
				// a value past its threshold says so in a word too: colour is never the only sign (NO_COLOR)
				const mark = row.color === 'yellow' ? ' WARN' : '';
				const room = Math.max(1, valueWidth - mark.length);
				return (
					<Text key={row.label} wrap="truncate">
						{/* a space between label and value always: a label as long as the column is cut (…) */}
						<Text dimColor>{`  ${fit(row.label, labelWidth - 1, true)} `}</Text>
						<SafeText color={row.color}>{row.middle ? fitMiddle(row.value, room) : fit(row.value, room)}</SafeText>
						{mark ? <Text bold color={row.color}>{mark}</Text> : null}
					</Text>
				);
			})}
		</Box>
	);
}
