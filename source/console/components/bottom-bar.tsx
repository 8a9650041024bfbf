// The bottom bar: the keys that work here, fitted to the width (pinned items always), or for a few
// seconds a one-line result in their place.
import {Box, Text} from 'ink';
import {useContext} from 'react';
import {FlashContext, type Tone} from '../context.js';
import {fitBar, type BarItem} from '../input/keymap.js';
import {fit} from '../../text/format.js';
import {SafeText} from './safe-text.js';

const toneColor: Record<Tone, string> = {info: 'cyan', success: 'green', warning: 'yellow', error: 'red'};

type Props = {readonly items: readonly BarItem[]; readonly width: number};

export function BottomBar({items, width}: Props) {
	const flash = useContext(FlashContext);
	if (flash) {
		return (
			<Box height={1} width={width}>
				<SafeText color={toneColor[flash.tone]} wrap="truncate">{fit(flash.message, width)}</SafeText>
			</Box>
		);
	}
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate">
				{fitBar(items, width).map(item => (
					<Text key={item.key + item.label}>
						<Text bold color="cyan">{item.key}</Text>
						<Text dimColor>{` ${item.label}  `}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}
