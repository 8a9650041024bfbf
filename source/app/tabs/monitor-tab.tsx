import {Box, Text} from 'ink';
import {useHints} from '../context.js';
import type {TabDefinition, TabProps} from './types.js';

function MonitorTab({isActive, width, height}: TabProps) {
	useHints([{key: '?', label: 'help'}, {key: 'q', label: 'quit'}], isActive);
	return (
		<Box width={width} height={height}>
			<Text dimColor>Monitor — not built yet</Text>
		</Box>
	);
}

export const monitorTab: TabDefinition = {
	id: 'monitor',
	title: 'Monitor',
	Component: MonitorTab,
	help: {title: 'Monitor', keys: []},
};
