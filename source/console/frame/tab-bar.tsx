import {Box, Text} from 'ink';

type Props = {readonly titles: readonly string[]; readonly active: number; readonly width: number; readonly readOnly: boolean};

const name = 'opsdeck ';
const readOnlyMark = '  read-only';

/** The top line: the tabs (the active one highlighted; only its number elsewhere when narrow). */
export function TabBar({titles, active, width, readOnly}: Props) {
	// narrow whenever every title would not fit: the read-only mark must never be the part cut off
	const full = name.length + titles.reduce((sum, title, i) => sum + ` ${i + 1} ${title} `.length, 0) + (readOnly ? readOnlyMark.length : 0);
	const narrow = width < Math.max(60, full);
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate">
				{narrow ? null : <Text bold color="magenta">{name}</Text>}
				{titles.map((title, i) => {
					const label = narrow && i !== active ? `${i + 1}` : `${i + 1} ${title}`;
					return (
						<Text key={title} inverse={i === active} bold={i === active} color={i === active ? 'cyan' : undefined}>
							{` ${label} `}
						</Text>
					);
				})}
				{readOnly ? <Text color="yellow">{narrow ? ' RO' : readOnlyMark}</Text> : null}
			</Text>
		</Box>
	);
}
