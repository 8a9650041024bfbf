import {Text} from 'ink';

/** [██████░░░░] 60% */
export function progressBar(ratio: number, width: number): string {
	const r = Math.min(1, Math.max(0, Number.isFinite(ratio) ? ratio : 0));
	const inner = Math.max(1, width - 7);
	const filled = Math.round(r * inner);
	return `[${'█'.repeat(filled)}${'░'.repeat(inner - filled)}] ${String(Math.round(r * 100)).padStart(3)}%`;
}

export function ProgressBar({ratio, width, color = 'green'}: {readonly ratio: number; readonly width: number; readonly color?: string}) {
	return <Text color={color}>{progressBar(ratio, width)}</Text>;
}
