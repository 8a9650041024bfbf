// q / Ctrl-C: quit, unless destructive work runs (issue 13, case 8): then ask finish / abandon,
// the work held before it touches the live file meanwhile; once answered, quit when it is over.
import {Box, Text} from 'ink';
import {useRef, useState} from 'react';
import type {KeyEntry} from '../input/keymap.js';
import {currentWork, holdWork, setQuitNote} from '../work-in-progress.js';

export type QuitState = {readonly label: string; readonly phase: 'ask' | 'finishing' | 'abandoning'};

export type Quit = {
	readonly state: QuitState | undefined;
	/** q (again: false) or Ctrl-C (again: true — a second one while asked abandons) */
	readonly request: (again: boolean) => void;
	/** the question's keys while it is on screen (none once answered: it takes every key) */
	readonly keymap: readonly KeyEntry[] | undefined;
};

export function useQuit(exit: () => void): Quit {
	const [state, setState] = useState<QuitState | undefined>();
	// lets the held work go on (the operator answered)
	const release = useRef<(() => void) | undefined>(undefined);
	const letGo = () => {
		release.current?.();
		release.current = undefined;
	};

	const end = (how: 'finish' | 'abandon') => {
		const work = currentWork();
		if (work && how === 'abandon') work.abandon('abandoned');
		letGo();
		setState({label: state?.label ?? 'job', phase: how === 'finish' ? 'finishing' : 'abandoning'});
		if (!work) return exit();
		void work.done.then(line => {
			setQuitNote(line);
			exit();
		});
	};

	const request = (again: boolean) => {
		if (state) {
			if (again && state.phase === 'ask') end('abandon');
			return;
		}
		const work = currentWork();
		if (!work) return exit();
		release.current = holdWork();
		setState({label: work.label, phase: 'ask'});
	};

	const keymap: KeyEntry[] | undefined = state && [
		{key: 'f', label: 'finish, quit', when: state.phase === 'ask', run: () => end('finish')},
		{key: 'a', label: 'abandon, quit', when: state.phase === 'ask', run: () => end('abandon')},
		{key: 'Esc', label: 'keep working', when: state.phase === 'ask', run: () => {
			letGo();
			setState(undefined);
		}},
	];
	return {state, request, keymap};
}

/** The question `q` asks while a restore runs (the restore waits before touching the live file meanwhile). */
export function QuitQuestion({quit, width}: {readonly quit: QuitState; readonly width: number}) {
	const lines = quit.phase === 'ask'
		? [`A ${quit.label} is running. Quit now?`, 'f  finish it, then quit', 'a  abandon it (nothing is changed), then quit', 'Esc  keep working']
		: [quit.phase === 'finishing' ? `Finishing the ${quit.label}, then quitting…` : `Abandoning the ${quit.label}, then quitting…`];
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="yellow" width={Math.min(width, 72)} paddingX={1}>
			{lines.map(line => <Text key={line} wrap="truncate">{line}</Text>)}
		</Box>
	);
}
