import {Box, Text} from 'ink';
import {useHints} from '../context.js';
import type {TabDefinition, TabProps} from './types.js';

function StatusTab({isActive, width, height}: TabProps) {
	useHints([{key: '?', label: 'help'}, {key: 'q', label: 'quit'}], isActive);
	return (
		<Box width={width} height={height}>
			<Text dimColor>Status — not built yet</Text>
		</Box>
	);
}

export const statusTab: TabDefinition = {
	id: 'status',
	title: 'Status',
	Component: StatusTab,
	help: {title: 'Status', keys: []},
};
