// A one-line text field (filter, pattern, new watch). Enter submits, Esc cancels. Takes the keyboard.
import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import {useCapture} from '../context.js';
import {typeInto} from './typing.js';
import {fit} from '../../text/format.js';
import {sanitize} from '../../text/sanitize.js';
import {SafeText} from './safe-text.js';

type Props = {
	readonly label: string;
	readonly initial?: string;
	readonly onSubmit: (value: string) => void;
	readonly onCancel: () => void;
	readonly width: number;
	readonly isActive?: boolean;
};

export function Prompt({label, initial = '', onSubmit, onCancel, width, isActive = true}: Props) {
	useCapture(isActive);
	const [value, setValueState] = useState(initial);
	// read from a ref: keys typed faster than React re-renders all count, and Enter sees them all
	const valueRef = useRef(initial);
	useInput(
		(input, key) => {
			const typed = typeInto(valueRef.current, input, key);
			if (typed.cancel) return onCancel();
			if (typed.value !== valueRef.current) {
				valueRef.current = typed.value;
				setValueState(typed.value);
			}
			if (typed.submit) onSubmit(typed.value);
		},
		{isActive},
	);
	const room = Math.max(1, width - label.length - 2);
	const shown = value.length > room ? '…' + value.slice(value.length - room + 1) : value;
	return (
		<Box height={1} width={width}>
			<Text wrap="truncate">
				<Text color="cyan">{label} </Text>
				<SafeText>{fit(sanitize(shown), room)}</SafeText>
				<Text inverse> </Text>
			</Text>
		</Box>
	);
}
