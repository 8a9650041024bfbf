import {Box, Text} from 'ink';
import type {ActiveProfile} from '../../config/config.js';
import {cellWidth} from '../../text/format.js';
import {profileName} from '../../text/profile-text.js';
import {safe} from '../../text/sanitize.js';
import {SafeText} from '../components/safe-text.js';

type Props = {readonly titles: readonly string[]; readonly active: number; readonly width: number; readonly readOnly: boolean; readonly profile?: ActiveProfile | undefined};

const name = 'opsdeck ';
const readOnlyMark = '  read-only';

/**
 * The environment's banner: the profile's name (escaped, cut) in its colour, inverse and bold, first
 * on the top line of every frame — a word, not only a colour, so NO_COLOR or a colour-blind eye
 * still reads "prod".
 */
export function ProfileBanner({profile, cells}: {readonly profile: ActiveProfile; readonly cells: number}) {
	return <SafeText bold inverse color={profile.colour}>{safe` ${profileName(profile.name, cells)} `}</SafeText>;
}

/** The cells the banner takes, with the space after it. */
function bannerWidth(profile: ActiveProfile | undefined, cells: number): number {
	return profile ? cellWidth(profileName(profile.name, cells)) + 3 : 0;
}

/** The top line: the profile's banner, the tabs (the active one highlighted; only its number elsewhere when narrow). */
export function TabBar({titles, active, width, readOnly, profile}: Props) {
	// every title whenever they fit: the name "opsdeck" goes first, then the read-only mark shortens
	// to RO, and only then the titles give way to their numbers (hostile defect W3: read-only with no
	// profile at 80 columns lost the titles the banner's frame kept); the read-only mark is never cut
	const titlesWidth = titles.reduce((sum, title, i) => sum + ` ${i + 1} ${title} `.length, 0);
	const lead = bannerWidth(profile, 20);
	const fitsWith = (extra: number, mark: number) => lead + extra + titlesWidth + (readOnly ? mark : 0) <= width;
	const showName = !profile && fitsWith(name.length, readOnlyMark.length);
	const longMark = showName || fitsWith(0, readOnlyMark.length);
	const narrow = width < 60 || !(longMark || fitsWith(0, 3));
	// narrow: the name takes what the tab numbers and the RO mark leave (at least 3 cells)
	const narrowRest = titles.reduce((sum, title, i) => sum + (i === active ? ` ${i + 1} ${title} ` : ` ${i + 1} `).length, 0) + (readOnly ? 3 : 0) + 3;
	const cells = narrow ? Math.max(3, Math.min(12, width - narrowRest)) : 20;
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate">
				{profile ? <ProfileBanner profile={profile} cells={cells} /> : null}
				{profile ? ' ' : null}
				{showName && !narrow ? <Text bold color="magenta">{name}</Text> : null}
				{titles.map((title, i) => {
					const label = narrow && i !== active ? `${i + 1}` : `${i + 1} ${title}`;
					return (
						<Text key={title} inverse={i === active} bold={i === active} color={i === active ? 'cyan' : undefined}>
							{` ${label} `}
						</Text>
					);
				})}
				{readOnly ? <Text color="yellow">{narrow || !longMark ? ' RO' : readOnlyMark}</Text> : null}
			</Text>
		</Box>
	);
}
