import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type WindowSize = {readonly columns: number; readonly rows: number};

// ink-testing-library's fake stdout has 100 columns and no rows: fall back to 24.
function read(stdout: NodeJS.WriteStream): WindowSize {
	return {columns: Math.max(1, stdout.columns || 80), rows: Math.max(1, stdout.rows || 24)};
}

/** The terminal size, updated on resize. */
export function useWindowSize(): WindowSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => read(stdout));
	useEffect(() => {
		const onResize = () => {
			const next = read(stdout);
			setSize(previous => (previous.columns === next.columns && previous.rows === next.rows ? previous : next));
		};
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
