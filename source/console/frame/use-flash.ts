// The one-line result that takes the bottom bar's place. It carries the time it was said at, and
// nothing stale stays: information fades after ten seconds; an error stays until the operator's
// next key (the frame calls `dismiss` for every key), so it is not missed, nor left for hours.
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {Flash, Frame, Tone} from '../context.js';
import type {Safe} from '../../text/sanitize.js';

/**
 * How long a flash that is not an error stays: ten seconds. OPSDECK_FLASH_FADE_MS (whole ms, at
 * least 1000) shortens it for the end-to-end tests that shoot every screen with its keys in the bar,
 * so each does not wait ten seconds for the message before it to go.
 */
export const flashFadeMs = fadeMs(process.env.OPSDECK_FLASH_FADE_MS);

function fadeMs(setting: string | undefined): number {
	const ms = Number(setting);
	return setting && Number.isInteger(ms) && ms >= 1000 ? ms : 10_000;
}

export function useFlash(): {readonly shown: Flash | undefined; readonly frame: Frame; readonly dismiss: () => void} {
	const [shown, setShown] = useState<Flash | undefined>();
	const timer = useRef<NodeJS.Timeout | undefined>(undefined);
	useEffect(() => () => clearTimeout(timer.current), []);
	const frame: Frame = useMemo(() => ({
		// a literal of the code or Safe text: the type of Frame['flash'] lets nothing else in
		flash: (message: string, tone: Tone = 'info') => {
			clearTimeout(timer.current);
			setShown({message: message as Safe, tone, at: Date.now()});
			if (tone !== 'error') timer.current = setTimeout(() => setShown(undefined), flashFadeMs);
		},
	}), []);
	// a key was pressed: an error has been seen (a message the key itself flashes comes after this)
	const dismiss = useCallback(() => setShown(current => (current?.tone === 'error' ? undefined : current)), []);
	return {shown, frame, dismiss};
}
