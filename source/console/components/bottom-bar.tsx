// The bottom bar: the keys that work here, fitted to the width (pinned items always), or a one-line
// result with its time in their place (frame/use-flash.ts says how long).
import {Box, Text} from 'ink';
import {useContext} from 'react';
import {FlashContext, type Tone} from '../context.js';
import {fitBar, type BarItem} from '../input/keymap.js';
import {fit, formatClock} from '../../text/format.js';
import {SafeText} from './safe-text.js';

const toneColor: Record<Tone, string> = {info: 'cyan', success: 'green', warning: 'yellow', error: 'red'};

type Props = {readonly items: readonly BarItem[]; readonly width: number};

export function BottomBar({items, width}: Props) {
	const flash = useContext(FlashContext);
	if (flash) {
		// its time first: a message read minutes later says how old it is (HH:MM in a narrow pane)
		const clock = formatClock(new Date(flash.at)).slice(0, width < 50 ? 5 : 8);
		return (
			<Box height={1} width={width}>
				<Text wrap="truncate">
					<Text dimColor>{`${clock} `}</Text>
					<SafeText color={toneColor[flash.tone]}>{fit(flash.message, Math.max(1, width - clock.length - 1))}</SafeText>
				</Text>
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
