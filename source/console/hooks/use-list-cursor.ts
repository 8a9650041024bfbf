// The cursor of a list: ↑↓ / j k move, PgUp PgDn page, g G (Home End) top and bottom. The handler
// reads the row count of the latest render (useLatestInput), so `G` right after the list grew goes
// to the real last row.
import {useState} from 'react';
import {useLatestInput} from './use-latest-input.js';

export function clampCursor(cursor: number, count: number): number {
	if (count <= 0) return 0;
	return Math.min(Math.max(0, cursor), count - 1);
}

export function useListCursor(count: number, pageSize: number, isActive: boolean): readonly [number, (cursor: number) => void] {
	const [cursor, setCursor] = useState(0);
	useLatestInput(
		(input, key) => {
			const page = Math.max(1, pageSize);
			if (key.upArrow || input === 'k') setCursor(c => clampCursor(c - 1, count));
			else if (key.downArrow || input === 'j') setCursor(c => clampCursor(c + 1, count));
			else if (key.pageUp) setCursor(c => clampCursor(c - page, count));
			else if (key.pageDown) setCursor(c => clampCursor(c + page, count));
			else if (input === 'g' || key.home) setCursor(0);
			else if (input === 'G' || key.end) setCursor(clampCursor(count - 1, count));
		},
		{isActive},
	);
	return [clampCursor(cursor, count), (c: number) => setCursor(clampCursor(c, count))] as const;
}
