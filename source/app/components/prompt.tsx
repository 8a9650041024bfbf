// A one-line text field (filter, pattern, new watch). Enter submits, Esc cancels. Takes the keyboard.
import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import {useCapture} from '../context.js';
import {fit} from '../../text/format.js';

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
	const [value, setValue] = useState(initial);
	useInput(
		(input, key) => {
			if (key.escape) return onCancel();
			if (key.return) return onSubmit(value);
			if (key.backspace || key.delete) return setValue(v => v.slice(0, -1));
			if (key.ctrl && input === 'u') return setValue('');
			if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
			if (input) setValue(v => (v + input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')).slice(0, 512));
		},
		{isActive},
	);
	const room = Math.max(1, width - label.length - 2);
	const shown = value.length > room ? '…' + value.slice(value.length - room + 1) : value;
	return (
		<Box height={1} width={width}>
			<Text wrap="truncate">
				<Text color="cyan">{label} </Text>
				<Text>{fit(shown, room)}</Text>
				<Text inverse> </Text>
			</Text>
		</Box>
	);
}
