// What a tab shows: its body, and under it the bottom bar drawn from the same keymap the keys run
// through. The screen that knows the keys (a tab, or the view a tab has opened) renders it, so the
// bar is in the very frame the body is in; a text field or a dialog on top brings its own keys.
import {Box} from 'ink';
import {useContext, type ReactNode} from 'react';
import {BackendsContext, FrameBarContext} from '../context.js';
import {useCaptureBar, useTabKeymap} from '../input/keyboard.js';
import {barItems, forReadOnly, type KeyEntry} from '../input/keymap.js';
import {BottomBar} from './bottom-bar.js';

type Props = {
	readonly keymap: readonly KeyEntry[];
	readonly width: number;
	/** of the body; the bar takes one more row */
	readonly height: number;
	readonly children: ReactNode;
};

export function TabScreen({keymap, width, height, children}: Props) {
	// read-only mode: the destructive keys still answer (refused, audited) but are not offered
	const entries = forReadOnly(keymap, useContext(BackendsContext)?.config.readOnly === true);
	useTabKeymap(entries);
	const captured = useCaptureBar();
	const frameBar = useContext(FrameBarContext);
	return (
		<Box flexDirection="column" width={width} height={height + 1}>
			<Box flexDirection="column" width={width} height={height} overflowY="hidden">{children}</Box>
			<BottomBar items={captured ?? [...barItems(entries), ...frameBar]} width={width} />
		</Box>
	);
}
