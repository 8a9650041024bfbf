// TYPE, PTTL and MEMORY USAGE for the rows on screen only: one pipeline per master when the window
// moves (debounced, so holding PgDn does not fire a pipeline per page), cached until a rescan.
// A key found gone (TYPE none) is handed to `onGone`: the list drops it.
import {useEffect, useEffectEvent, useRef, useState} from 'react';
import type {Backends} from '../../../backends/index.js';
import {keyDetails, type KeyDetail} from '../../../cache/keys.js';

export function useKeyDetails(
	backends: Backends,
	visible: readonly string[],
	generation: string | number,
	onGone: (keys: readonly string[]) => void,
): ReadonlyMap<string, KeyDetail> {
	const [details, setDetails] = useState<ReadonlyMap<string, KeyDetail>>(new Map());
	const cache = useRef(new Map<string, KeyDetail>());
	const lastGeneration = useRef(generation);
	// the dependency names the keys unambiguously (a key may hold any byte, NUL included); the
	// effect reads the keys themselves, never splits a joined string
	const wanted = JSON.stringify(visible);
	const missing = useEffectEvent(() => visible.filter(k => !cache.current.has(k)));
	const gone = useEffectEvent((keys: readonly string[]) => onGone(keys));

	useEffect(() => {
		if (lastGeneration.current !== generation) {
			lastGeneration.current = generation;
			cache.current = new Map();
			setDetails(new Map());
		}
		const keys = missing();
		if (keys.length === 0) return;
		let cancelled = false;
		const timer = setTimeout(() => {
			keyDetails(backends.redis, keys).then(
				list => {
					if (cancelled) return;
					for (const d of list) cache.current.set(d.key, d);
					// bounded: a long session of scrolling must not keep every detail forever
					if (cache.current.size > 5000) cache.current = new Map([...cache.current].slice(-1000));
					setDetails(new Map(cache.current));
					const vanished = list.filter(d => d.type === 'none').map(d => d.key);
					if (vanished.length > 0) gone(vanished);
				},
				() => undefined,
			);
		}, 40);
		return () => {
			cancelled = true;
			clearTimeout(timer);
		};
	}, [backends, wanted, generation]);

	return details;
}
