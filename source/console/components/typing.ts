// What a key (or a burst of keys Ink delivers as one "paste") does to a one-line text field.
// Over SSH several keys often arrive in one read: "flush\r" must type flush AND press Enter, and
// a backspace inside a burst must delete — never be stripped as a control character.
import type {Key} from 'ink';

export type Typed = {readonly value: string; readonly submit: boolean; readonly cancel: boolean};

export function typeInto(current: string, input: string, key: Key, max = 512): Typed {
	if (key.escape) return {value: current, submit: false, cancel: true};
	if (key.return) return {value: current, submit: true, cancel: false};
	if (key.backspace || key.delete) return {value: current.slice(0, -1), submit: false, cancel: false};
	if (key.ctrl && input === 'u') return {value: '', submit: false, cancel: false};
	if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) {
		return {value: current, submit: false, cancel: false};
	}
	let value = current;
	for (const ch of input) {
		if (ch === '\r' || ch === '\n') return {value, submit: true, cancel: false};
		if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
		// other controls never reach the field (or the screen)
		else if (!/[\u0000-\u001f\u007f-\u009f]/.test(ch) && value.length < max) value += ch;
	}
	return {value, submit: false, cancel: false};
}
