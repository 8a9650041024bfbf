// What a tab shows: its body, and under it the bottom bar drawn from the same keymap the keys run
// through. The screen that knows the keys (a tab, or the view a tab has opened) renders it, so the
// bar is in the very frame the body is in; a text field or a dialog on top brings its own keys.
import {Box} from 'ink';
import {useContext, type ReactNode} from 'react';
import {BackendsContext, FrameBarContext} from '../context.js';
import {useCaptureBar, useTabKeymap} from '../input/keyboard.js';
import {barItems, forReadOnly, type KeyEntry} from '../input/keymap.js';
import {BottomBar} from './bottom-bar.js';
import type {Current} from '../share/current.js';
import {useShare} from '../share/use-share.js';

type Props = {
	readonly keymap: readonly KeyEntry[];
	readonly width: number;
	/** of the body; the bar takes one more row */
	readonly height: number;
	readonly children: ReactNode;
	/** what `y` copies and `E` exports here (share/current.ts); their keys come after the keymap's */
	readonly current?: Current | undefined;
};

export function TabScreen({keymap, width, height, children, current}: Props) {
	const share = useShare(current, width);
	// read-only mode: the destructive keys still answer (refused, audited) but are not offered
	const entries = forReadOnly(share.keys.length > 0 ? [...keymap, ...share.keys] : keymap, useContext(BackendsContext)?.config.readOnly === true);
	useTabKeymap(entries);
	const captured = useCaptureBar();
	const frameBar = useContext(FrameBarContext);
	return (
		<Box flexDirection="column" width={width} height={height + 1}>
			{/* the export prompt takes the body's last line while it is open */}
			<Box flexDirection="column" width={width} height={share.prompt ? Math.max(0, height - 1) : height} overflowY="hidden">{children}</Box>
			{share.prompt}
			<BottomBar items={captured ?? [...barItems(entries), ...frameBar]} width={width} />
		</Box>
	);
}
