// The bottom bar: the keys that work here, fitted to the width (pinned items always). A one-line
// result (frame/use-flash.ts says how long) takes its left part with its time, and the keys that
// still fit stay at its right end: `? help` always, a question's or a dialog's answer keys always
// (written without their words when the bar is too narrow for them), so a message never hides
// what the operator can press (PRODUCT: a bottom bar always shows the keys that work here).
import {Box, Text} from 'ink';
import {memo, useContext} from 'react';
import {FlashContext, type Flash, type Tone} from '../context.js';
import {barItemWidth, fitBar, type BarItem} from '../input/keymap.js';
import {cellWidth, fit, formatClock} from '../../text/format.js';
import {SafeText} from './safe-text.js';

const toneColor: Record<Tone, string> = {info: 'cyan', success: 'green', warning: 'yellow', error: 'red'};

type Props = {readonly items: readonly BarItem[]; readonly width: number};

// an item written without its words is its key and two spaces
const itemWidth = (item: BarItem) => (item.label ? barItemWidth(item) : Array.from(item.key).length + 2);
const widthOf = (items: readonly BarItem[]) => items.reduce((sum, item) => sum + itemWidth(item), 0);

/**
 * The keys beside a message of `messageCells`: the message keeps at least half the bar (or all it
 * needs); the pinned keys — or, in a question or dialog (nothing pinned), all its answer keys —
 * come next, without their words when they do not fit; then the others, in order, in the room the
 * whole message leaves.
 */
export function flashKeys(items: readonly BarItem[], width: number, messageCells: number): BarItem[] {
	const pinned = items.some(item => item.pinned);
	const required = pinned ? items.filter(item => item.pinned) : items;
	// two spaces between the message and the keys, none after the last key
	const room = width - Math.min(messageCells, Math.ceil(width / 2));
	if (widthOf(required) > room) return required.map(item => ({...item, label: ''}));
	// the others only in what the whole message leaves
	return pinned ? fitBar(items, Math.max(widthOf(required), width - messageCells)) : [...required];
}

/** The items, two spaces after each (none after the last when `flush`: it ends the bar). */
function Keys({items, flush = false}: {readonly items: readonly BarItem[]; readonly flush?: boolean}) {
	return items.map((item, i) => {
		const gap = flush && i === items.length - 1 ? '' : '  ';
		return (
			<Text key={item.key + item.label}>
				<Text bold color="cyan">{item.key}</Text>
				<Text dimColor>{item.label ? ` ${item.label}${gap}` : gap}</Text>
			</Text>
		);
	});
}

function FlashBar({flash, items, width}: {readonly flash: Flash; readonly items: readonly BarItem[]; readonly width: number}) {
	// its time first: a message read minutes later says how old it is (HH:MM in a narrow pane)
	const time = formatClock(new Date(flash.at)).slice(0, width < 50 ? 5 : 8);
	const keys = flashKeys(items, width, time.length + 1 + cellWidth(flash.message));
	// the last key ends the bar: no spaces after it
	const keysWidth = keys.length > 0 ? widthOf(keys) - 2 : 0;
	const messageRoom = Math.max(1, width - keysWidth);
	// two spaces between the message and the keys
	const room = messageRoom - (keys.length > 0 ? 2 : 0);
	// in a narrow pane the words come before their time: it goes when it would cut them
	const clock = cellWidth(flash.message) > room - time.length - 1 && cellWidth(flash.message) <= room ? '' : time;
	const textRoom = Math.max(1, room - (clock ? clock.length + 1 : 0));
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Box width={messageRoom} flexShrink={0}>
				<Text wrap="truncate">
					{clock ? <Text dimColor>{`${clock} `}</Text> : null}
					<SafeText color={toneColor[flash.tone]}>{fit(flash.message, textRoom)}</SafeText>
				</Text>
			</Box>
			{keys.length > 0 ? (
				<Box width={keysWidth} flexShrink={0}>
					<Text wrap="truncate"><Keys flush items={keys} /></Text>
				</Box>
			) : null}
		</Box>
	);
}

/** the same bar: every item the same key, words and pin (a screen makes its items afresh each render) */
const sameBar = (a: Props, b: Props) => a.width === b.width && a.items.length === b.items.length
	&& a.items.every((item, i) => item.key === b.items[i]!.key && item.label === b.items[i]!.label && item.pinned === b.items[i]!.pinned);

/**
 * Re-rendered only when its items or width change, or a flash comes or goes (the context): an idle
 * tab redrawn by its poll every second keeps its bar as it is (bench P5b).
 */
export const BottomBar = memo(function BottomBar({items, width}: Props) {
	const flash = useContext(FlashContext);
	if (flash) return <FlashBar flash={flash} items={items} width={width} />;
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate">
				<Keys items={fitBar(items, width)} />
			</Text>
		</Box>
	);
}, sameBar);
