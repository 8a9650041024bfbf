// `x` on a row a pattern brought in: the watch list holds exact keys and patterns, and one key of a
// pattern cannot go without the pattern, so `x` asks before removing the whole pattern (issue 16,
// point 4: it went without a word, every key of it with it). Only the watch list changes (nothing
// in Redis), so y / n is enough: no word to type. It has the keyboard while it asks.
import {Text} from 'ink';
import {plural} from '../../../text/format.js';
import {sanitize} from '../../../text/sanitize.js';
import {useCapture} from '../../input/keyboard.js';
import {SafeText} from '../../components/safe-text.js';

export type RemoveQuestion = {readonly watch: string; readonly keys: number};

type Props = RemoveQuestion & {
	readonly isActive: boolean;
	readonly onRemove: () => void;
	readonly onKeep: () => void;
};

export function RemoveWatchQuestion({watch, keys, isActive, onRemove, onKeep}: Props) {
	useCapture(isActive
		? {
			entries: [
				{key: 'y', label: 'remove the pattern', run: onRemove},
				{key: 'n Esc', keys: ['n', 'escape'], label: 'keep it', run: onKeep},
			],
			other: () => undefined,
		}
		: undefined);
	return (
		<Text wrap="truncate" color="yellow">
			{'remove the pattern '}
			<SafeText bold>{sanitize(watch)}</SafeText>
			<SafeText>{sanitize(` (${plural(keys, 'key')})? y / n`)}</SafeText>
		</Text>
	);
}
