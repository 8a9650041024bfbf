// One card of the Status tab: a title with the state and latency, then label/value rows, each
// value optionally coloured (by threshold). Every row is one line, cut to the card's width.
// A poll redraws the tab every second, yet most rows say what they said: each line is a memoized
// component of plain values, so React re-renders only the lines whose text changed (an uptime, a
// latency) instead of every line of every card (bench P5b).
import {Box, Text} from 'ink';
import {memo} from 'react';
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

const CardTitle = memo(function CardTitle({title, state, stateLabel, note, noteColor}: {readonly title: string; readonly state: Props['state']; readonly stateLabel: string | undefined; readonly note: Safe | undefined; readonly noteColor: string | undefined}) {
	return (
		<Text wrap="truncate">
			<Text bold>{title}</Text>
			{'  '}
			<Text bold color={stateColor[state]}>{stateLabel ?? (state === 'down' ? 'DOWN' : state)}</Text>
			{note ? <SafeText color={noteColor}>{safe`  ${note}`}</SafeText> : null}
		</Text>
	);
});

type LineProps = {readonly label: string; readonly labelWidth: number; readonly value: Safe; readonly color: string | undefined; readonly middle: boolean; readonly valueWidth: number};

const CardLine = memo(function CardLine({label, labelWidth, value, color, middle, valueWidth}: LineProps) {
	// a value past its threshold says so in a word too: colour is never the only sign (NO_COLOR)
	const mark = color === 'yellow' ? ' WARN' : '';
	const room = Math.max(1, valueWidth - mark.length);
	return (
		<Text wrap="truncate">
			{/* a space between label and value always: a label as long as the column is cut (…) */}
			<Text dimColor>{`  ${fit(label, labelWidth - 1, true)} `}</Text>
			<SafeText color={color}>{middle ? fitMiddle(value, room) : fit(value, room)}</SafeText>
			{mark ? <Text bold color={color}>{mark}</Text> : null}
		</Text>
	);
});

export function StatusCard({title, state, stateLabel, note, noteColor, rows, width, labelWidth = 11}: Props) {
	const valueWidth = Math.max(1, width - labelWidth - 2);
	return (
		<Box flexDirection="column" width={width}>
			<CardTitle title={title} state={state} stateLabel={stateLabel} note={note} noteColor={noteColor} />
			{rows.map(row => (
				<CardLine key={row.label} label={row.label} labelWidth={labelWidth} value={row.value} color={row.color} middle={row.middle === true} valueWidth={valueWidth} />
			))}
		</Box>
	);
}
