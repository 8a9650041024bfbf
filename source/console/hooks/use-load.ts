// One async load for a view (a value, a chat, a comparison): data, error, loading, and reload().
// A load that finishes after the view has gone (or after a newer load) is dropped.
import {useCallback, useEffect, useState} from 'react';
import {safeError} from '../../text/out.js';
import type {Safe} from '../../text/sanitize.js';

export type Load<T> = {readonly data: T | undefined; readonly error: Safe | undefined; readonly loading: boolean; readonly reload: () => void};

export function useLoad<T>(fn: () => Promise<T>, deps: readonly unknown[]): Load<T> {
	const [state, setState] = useState<{data: T | undefined; error: Safe | undefined; loading: boolean}>({data: undefined, error: undefined, loading: true});
	const [generation, setGeneration] = useState(0);
	useEffect(() => {
		let cancelled = false;
		setState(s => ({...s, loading: true}));
		fn().then(
			data => {
				if (!cancelled) setState({data, error: undefined, loading: false});
			},
			error => {
				if (!cancelled) setState(s => ({...s, error: safeError(error), loading: false}));
			},
		);
		return () => {
			cancelled = true;
		};
	}, [...deps, generation]);
	const reload = useCallback(() => setGeneration(g => g + 1), []);
	return {...state, reload};
}
