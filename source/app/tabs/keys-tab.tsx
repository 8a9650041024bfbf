import {Box, Text} from 'ink';
import {useHints} from '../context.js';
import type {TabDefinition, TabProps} from './types.js';

function KeysTab({isActive, width, height}: TabProps) {
	useHints([{key: '?', label: 'help'}, {key: 'q', label: 'quit'}], isActive);
	return (
		<Box width={width} height={height}>
			<Text dimColor>Keys — not built yet</Text>
		</Box>
	);
}

export const keysTab: TabDefinition = {
	id: 'keys',
	title: 'Keys',
	Component: KeysTab,
	help: {title: 'Keys', keys: []},
};
