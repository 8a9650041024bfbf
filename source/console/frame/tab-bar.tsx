import {Box, Text} from 'ink';

type Props = {readonly titles: readonly string[]; readonly active: number; readonly width: number; readonly readOnly: boolean};

/** The top line: the tabs (the active one highlighted; only its number elsewhere when narrow). */
export function TabBar({titles, active, width, readOnly}: Props) {
	// only the active tab's title when every title does not fit (six tabs need ~70 columns)
	const full = 'opsdeck '.length + titles.reduce((n, title, i) => n + ` ${i + 1} ${title} `.length, 0) + (readOnly ? '  read-only'.length : 0);
	const narrow = width < Math.max(60, full);
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate">
				{narrow ? null : <Text bold color="magenta">opsdeck </Text>}
				{titles.map((title, i) => {
					const label = narrow && i !== active ? `${i + 1}` : `${i + 1} ${title}`;
					return (
						<Text key={title} inverse={i === active} bold={i === active} color={i === active ? 'cyan' : undefined}>
							{` ${label} `}
						</Text>
					);
				})}
				{readOnly ? <Text color="yellow">{narrow ? ' RO' : '  read-only'}</Text> : null}
			</Text>
		</Box>
	);
}
