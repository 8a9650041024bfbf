import {Box, Text} from 'ink';
import {useHints} from '../context.js';
import type {TabDefinition, TabProps} from './types.js';

function BackupsTab({isActive, width, height}: TabProps) {
	useHints([{key: '?', label: 'help'}, {key: 'q', label: 'quit'}], isActive);
	return (
		<Box width={width} height={height}>
			<Text dimColor>Backups — not built yet</Text>
		</Box>
	);
}

export const backupsTab: TabDefinition = {
	id: 'backups',
	title: 'Backups',
	Component: BackupsTab,
	help: {title: 'Backups', keys: []},
};
