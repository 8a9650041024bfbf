// The one text field every prompt types into: the Keys tab's pattern, the Monitor's new watch, the
// word a confirm dialog asks for. While open it takes every key (a capture): Enter submits, Esc
// cancels, Backspace deletes, Ctrl-U clears, a printable key types itself, nothing else gets in
// (controls never reach the text, nor the screen). Keys come one commit apart (input/), so on a
// terminal without bracketed paste a pasted "flush⏎" types the word and then submits all of it.
// A bracketed paste only types: its text goes in, a newline in it is dropped and submits nothing
// (the operator reads what was pasted and presses Enter), as do its controls. A field that must
// be typed by hand (the confirm dialog's word) refuses pastes: `pasteRefused` says why.
import {Text} from 'ink';
import {useState} from 'react';
import {useCapture} from '../input/keyboard.js';
import type {KeyEntry} from '../input/keymap.js';
import type {KeyPress} from '../input/keys.js';
import {sanitize, type Safe} from '../../text/sanitize.js';
import {SafeText} from './safe-text.js';

/** What a key other than Enter and Esc does to the text (typing stops at `max` characters). */
export function typeKey(value: string, press: KeyPress, max: number): string {
	if (press.name === 'backspace' || press.name === 'delete') return Array.from(value).slice(0, -1).join('');
	if (press.name === 'ctrl-u') return '';
	if (press.text && Array.from(value).length < max) return Array.from(value + press.text).slice(0, max).join('');
	return value;
}

/** Typed text the field dropped: it is full. */
const cut = (value: string, press: KeyPress, next: string) => press.text !== undefined && press.text !== '' && Array.from(next).length - Array.from(value).length < Array.from(press.text).length;

export type TextFieldOptions = {
	readonly initial?: string;
	/** in characters */
	readonly max?: number;
	/** what Enter does, for the bottom bar */
	readonly submitLabel: string;
	/** takes the keys only while true */
	readonly isActive: boolean;
	readonly onSubmit: (value: string) => void;
	readonly onCancel: () => void;
	readonly onChange?: (value: string) => void;
	/** typed text was dropped at `max` (said once until the text is shorter again) */
	readonly onFull?: () => void;
	/** more keys the field takes while open (after Enter and Esc): a dialog's scroll, never a printable key */
	readonly keys?: readonly KeyEntry[];
	/** refuses a bracketed paste: why, in the console's own words (flashed as `paste ignored: …`, 40 columns) */
	readonly pasteRefused?: string;
};

/** The text typed so far; the keys go to the field while it is active. */
export function useTextField({initial = '', max = 512, submitLabel, isActive, onSubmit, onCancel, onChange, onFull, keys = [], pasteRefused}: TextFieldOptions): string {
	const [value, setValue] = useState(initial);
	// typing or a paste past the limit is cut there, and said once (not once a key)
	const [full, setFull] = useState(false);
	useCapture(isActive
		? {
			entries: [
				{key: 'Enter', label: submitLabel, run: () => onSubmit(value)},
				{key: 'Esc', label: 'cancel', run: onCancel},
				...keys,
			],
			paste: pasteRefused === undefined ? 'type' : {refused: pasteRefused},
			other: press => {
				const next = typeKey(value, press, max);
				if (cut(value, press, next) && !full) {
					setFull(true);
					onFull?.();
				} else if (full && Array.from(next).length < max) setFull(false);
				if (next === value) return;
				setValue(next);
				onChange?.(next);
			},
		}
		: undefined);
	return value;
}

/** The end of a long text, where the typing happens. */
export function tail(text: Safe, room: number): Safe {
	const chars = Array.from(text);
	return (chars.length > room ? '…' + chars.slice(chars.length - room + 1).join('') : text) as Safe;
}

type Props = TextFieldOptions & {readonly label: string; readonly width: number};

/** A one-line field: "label: text█". */
export function TextField({label, width, ...options}: Props) {
	const value = useTextField(options);
	return (
		<Text wrap="truncate">
			<Text color="cyan">{label} </Text>
			<SafeText>{tail(sanitize(value), Math.max(1, width - Array.from(label).length - 2))}</SafeText>
			<Text inverse> </Text>
		</Text>
	);
}
