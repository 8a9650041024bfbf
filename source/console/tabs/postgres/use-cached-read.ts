// A read that is costly on a big database (table sizes) or need not be fresh every second (top
// queries): read while its screen is open, kept when it closes, read again only when it is older
// than maxAgeMs (its age is looked at on opening and every few seconds while open; a look that finds
// it young enough neither reads nor redraws) or on `r`.
import {useRef} from 'react';
import {usePoll} from '../../hooks/use-poll.js';

export function useCachedRead<T>(read: () => Promise<T>, {open, maxAgeMs, source}: {readonly open: boolean; readonly maxAgeMs: number; readonly source: unknown}) {
	// the last result and when it was read; `force` makes the next tick read whatever its age
	const cache = useRef<{value: T; at: number} | undefined>(undefined);
	const force = useRef(false);
	const poll = usePoll<T>(async () => {
		const cached = cache.current;
		if (cached && !force.current && Date.now() - cached.at < maxAgeMs) return cached.value;
		force.current = false;
		const value = await read();
		cache.current = {value, at: Date.now()};
		return value;
	}, {intervalMs: Math.max(1000, Math.round(maxAgeMs / 12)), enabled: open, isEqual: (a, b) => a === b}, source);
	const refresh = () => {
		force.current = true;
		poll.refresh();
	};
	return {...poll, refresh};
}
