// `P`: the environments of the config file, one row each (its name in its colour, read-only when it
// defaults to it, the current one marked), drawn with ink-select-input. Its keys come through the
// one input layer (use-environment.ts), so a burst (`jj⏎`) moves and picks in order: SelectInput is
// given the highlighted row and draws it, it does not read the keyboard itself.
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import type {Config, ProfileSummary} from '../../config/config.js';
import {fitMiddle} from '../../text/format.js';
import {safe, sanitize} from '../../text/sanitize.js';
import {SafeText} from '../components/safe-text.js';

type Row = ProfileSummary & {readonly current: boolean};

type Props = {
	readonly config: Config;
	readonly cursor: number;
	readonly width: number;
	readonly height: number;
};

export function ProfilePicker({config, cursor, width, height}: Props) {
	const names = config.profileNames;
	// what the file says of each (colour, read-only), without loading it
	const all: Row[] = config.profiles.map(p => ({...p, current: p.name === config.profile?.name}));
	// the rows that fit under the title, the highlighted one in view
	const room = Math.max(1, height - 2);
	const start = Math.min(Math.max(0, cursor - room + 1), Math.max(0, all.length - room));
	const shown = all.slice(start, start + room);
	const byName = new Map(shown.map(row => [row.name, row]));
	// one width for every name (the longest, within what the pane leaves): what follows lines up
	const nameWidth = Math.max(3, Math.min(32, width - 24, Math.max(...all.map(row => sanitize(row.name).length))));
	const Item = ({label}: {readonly label: string; readonly isSelected?: boolean}) => {
		const row = byName.get(label)!;
		return (
			<Text wrap="truncate">
				<SafeText bold inverse color={row.colour}>{safe` ${fitMiddle(sanitize(row.name), nameWidth, true)} `}</SafeText>
				{row.readOnly ? <Text color="yellow"> read-only</Text> : null}
				{row.description ? <SafeText dimColor>{safe`  ${sanitize(row.description)}`}</SafeText> : null}
				{row.current ? <Text dimColor> (current)</Text> : null}
			</Text>
		);
	};
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text bold wrap="truncate">{`Switch environment (${names.length} profile${names.length === 1 ? '' : 's'})`}</Text>
			<SelectInput
				// drawn, not driven: the highlighted row comes from the input layer
				key={`${start}:${cursor}`}
				isFocused={false}
				initialIndex={cursor - start}
				items={shown.map(row => ({key: row.name, label: row.name, value: row.name}))}
				itemComponent={Item}
			/>
			<Text dimColor wrap="truncate">{fitMiddle(sanitize(`every tab reconnects to the one chosen · ${config.configFile}`), width)}</Text>
		</Box>
	);
}
