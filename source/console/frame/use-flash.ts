// The one-line result that takes the bottom bar's place for five seconds.
import {useEffect, useMemo, useRef, useState} from 'react';
import type {Flash, Frame, Tone} from '../context.js';
import type {Safe} from '../../text/sanitize.js';

export function useFlash(): {readonly shown: Flash | undefined; readonly frame: Frame} {
	const [shown, setShown] = useState<Flash | undefined>();
	const timer = useRef<NodeJS.Timeout | undefined>(undefined);
	useEffect(() => () => clearTimeout(timer.current), []);
	const frame: Frame = useMemo(() => ({
		// a literal of the code or Safe text: the type of Frame['flash'] lets nothing else in
		flash: (message: string, tone: Tone = 'info') => {
			clearTimeout(timer.current);
			setShown({message: message as Safe, tone});
			timer.current = setTimeout(() => setShown(undefined), 5000);
		},
	}), []);
	return {shown, frame};
}
