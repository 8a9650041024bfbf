// Where the Logs tab's view is: held at a line (by its sequence number, so it stays on that line
// when a page is added above or lines are dropped while following), or at the end (`null`: new
// lines scroll in). The rows on screen, and what j k, PgUp PgDn, g G and n N do to the position.
import {useState} from 'react';
import type {LineFilter} from '../../../logs/filter.js';
import {lineRowCount, viewRows, type Row} from './log-rows.js';
import type {LogBuffer} from './use-log-view.js';

type Options = {
	readonly buffer: LogBuffer;
	readonly width: number;
	readonly height: number;
	readonly wrap: boolean;
	/** marks the matches; n N jump between the lines that have one */
	readonly search: LineFilter | undefined;
	/** a new source, filter or reading: back to the end */
	readonly resetKey: string;
};

export type Scroll = 'up' | 'down' | 'pageup' | 'pagedown' | 'top' | 'end';

export function useLogScroll({buffer, width, height, wrap, search, resetKey}: Options) {
	const [state, setState] = useState<{resetKey: string; anchor: number | null; current: number | undefined}>({resetKey, anchor: null, current: undefined});
	const {anchor, current} = state.resetKey === resetKey ? state : {anchor: null, current: undefined};
	const {lines, base} = buffer;
	const last = lines.length - 1;
	const ranges = search ? (text: string) => search.ranges(text) : undefined;
	const rowsFor = (bottom: number) => viewRows({lines, bottom, width, height, wrap, ranges, current: current === undefined ? undefined : current - base});
	// the lowest bottom that still fills the screen from the first line read
	let minBottom = 0;
	for (let rows = 0; minBottom <= last; minBottom++) {
		rows += lineRowCount(lines[minBottom]!, width, height, wrap);
		if (rows >= height) break;
	}
	minBottom = Math.min(minBottom, Math.max(0, last));
	const bottom = anchor === null ? last : Math.min(last, Math.max(minBottom, anchor - base));
	const {rows, first} = rowsFor(bottom);
	const onScreen = Math.max(1, bottom - first + 1);
	const set = (next: {anchor?: number | null; current?: number | undefined}) => setState({resetKey, anchor, current, ...next});
	const to = (index: number) => set({anchor: index >= last ? null : base + Math.max(minBottom, index)});

	return {
		rows: rows as readonly Row[],
		/** index of the first line (part) shown; 0: the top of what was read */
		first,
		bottom,
		/** held at a line (following goes on below it) */
		held: anchor !== null,
		/** lines below the view */
		below: Math.max(0, last - bottom),
		scroll(how: Scroll) {
			if (how === 'up') to(bottom - 1);
			else if (how === 'down') to(bottom + 1);
			else if (how === 'pageup') to(bottom - Math.max(1, onScreen - 1));
			else if (how === 'pagedown') to(bottom + Math.max(1, onScreen - 1));
			else if (how === 'top') set({anchor: base + minBottom});
			else set({anchor: null});
		},
		/** pause: held where it is now; resume: the end */
		toggleHold: () => set({anchor: anchor === null ? base + bottom : null}),
		/** line `seq` (one read in a page above) as the current match, in the middle of the screen */
		show(seq: number) {
			const middle = seq + Math.floor(height / 2);
			setState({resetKey, current: seq, anchor: middle - base >= last ? null : middle});
		},
		/** the next (1: newer) or previous (-1: older) line with a match; false when there is none in what was read */
		jump(step: 1 | -1): boolean {
			if (!search) return false;
			const from = current !== undefined && current - base >= 0 && current - base <= last ? current - base : step === 1 ? first - 1 : bottom + 1;
			for (let i = from + step; i >= 0 && i <= last; i += step) {
				if (search.ranges(lines[i]!.text).length === 0) continue;
				const visible = i >= first && i <= bottom;
				const middle = Math.min(last, i + Math.floor(height / 2));
				setState({resetKey, current: base + i, anchor: visible ? anchor : middle >= last ? null : base + middle});
				return true;
			}
			return false;
		},
	};
}
