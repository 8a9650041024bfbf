// One async load for a view (a value, a chat, a comparison): data, error and loading. `key` names
// what is loaded: a new key loads again (the last data stays on show meanwhile). A load that
// finishes after the view has gone (or after a newer load) is dropped.
import {useEffect, useEffectEvent, useState} from 'react';
import {safeError} from '../../text/out.js';
import type {Safe} from '../../text/sanitize.js';

export type Load<T> = {readonly data: T | undefined; readonly error: Safe | undefined; readonly loading: boolean};

export function useLoad<T>(fn: () => Promise<T>, key: string): Load<T> {
	// `key`: the load these came from (loading until it is the one asked for now)
	const [state, setState] = useState<{key: string | undefined; data: T | undefined; error: Safe | undefined}>({key: undefined, data: undefined, error: undefined});
	const load = useEffectEvent(fn);
	useEffect(() => {
		let cancelled = false;
		load().then(
			data => {
				if (!cancelled) setState({key, data, error: undefined});
			},
			error => {
				if (!cancelled) setState(s => ({key, data: s.data, error: safeError(error)}));
			},
		);
		return () => {
			cancelled = true;
		};
	}, [key]);
	return {data: state.data, error: state.error, loading: state.key !== key};
}
