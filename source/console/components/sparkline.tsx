import {Text} from 'ink';

const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The last `width` values as a row of block characters, scaled between their min and max. */
export function sparkline(values: readonly number[], width: number): string {
	const shown = values.slice(-width);
	if (shown.length === 0) return '';
	const min = Math.min(...shown);
	const max = Math.max(...shown);
	return shown
		.map(v => (max === min ? bars[0] : bars[Math.round(((v - min) / (max - min)) * (bars.length - 1))]))
		.join('');
}

export function Sparkline({values, width, color}: {readonly values: readonly number[]; readonly width: number; readonly color?: string}) {
	return <Text color={color}>{sparkline(values, width)}</Text>;
}
