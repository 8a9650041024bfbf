// The Status tab's overview of every environment (a): one row per profile of the config file, its
// verdict (a word, and its colour), PostgreSQL and Redis latency (DOWN when down) and the newest
// backup's age — the same checkProfiles `opsdeck status --all-profiles` prints. The profile on
// screen is checked on its own backends; the others get theirs for each check, closed after it.
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {checkProfiles, type ProfileHealth} from '../../../health/all-profiles.js';
import {formatClock, fit} from '../../../text/format.js';
import {overviewCells} from '../../../text/profile-text.js';
import {safe, sanitize} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import {useBackends} from '../../context.js';
import {ProfileBanner} from '../../frame/tab-bar.js';
import {useProfileLoader} from '../../frame/use-environment.js';
import {usePoll} from '../../hooks/use-poll.js';

const verdictColour: Record<ProfileHealth['verdict'], string> = {healthy: 'green', degraded: 'yellow', unhealthy: 'red', invalid: 'magenta'};

export function useProfilesOverview(enabled: boolean) {
	const backends = useBackends();
	const load = useProfileLoader(backends.config);
	const names = backends.config.profileNames;
	return usePoll(
		() => checkProfiles(names, load, {current: backends}),
		// each check opens a connection to every other environment: not every second
		{intervalMs: Math.max(5000, backends.config.pollIntervalMs), enabled: enabled && names.length > 0},
		backends,
	);
}

type Props = {readonly rows: readonly ProfileHealth[] | undefined; readonly checkedAt: number | undefined; readonly error: string | undefined; readonly count: number; readonly width: number; readonly height: number};

export function ProfilesOverview({rows, checkedAt, error, count, width, height}: Props) {
	if (count === 0) return <Text color="yellow" wrap="truncate">no profiles: the config file defines none (see the README, Environments)</Text>;
	const title = `All environments (${count})${checkedAt ? `  ${formatClock(new Date(checkedAt))}` : ''}`;
	if (!rows) return <Text dimColor wrap="truncate">{`checking ${count} environment${count === 1 ? '' : 's'}…`}</Text>;
	const lines = overviewRows(rows, count, width).map(row => row.node);
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text bold wrap="truncate">{fit(title, width)}</Text>
			{lines.slice(0, Math.max(0, height - (error ? 2 : 1)))}
			{error ? <SafeText color="red" wrap="truncate">{sanitize(error)}</SafeText> : null}
		</Box>
	);
}

/** A row per profile (two in a narrow pane): for the overview and the Status tab's scroll. */
export function overviewRows(rows: readonly ProfileHealth[] | undefined, count: number, width: number): Array<{readonly key: string; readonly node: ReactNode}> {
	if (!rows || count === 0) return [];
	const narrow = width < 60;
	const nameCells = Math.max(3, Math.min(narrow ? 12 : 16, Math.max(...rows.map(r => sanitize(r.name).length))));
	return rows.map(row => {
		const c = overviewCells(row);
		const banner = <ProfileBanner profile={{name: row.name, colour: row.colour, description: undefined}} cells={nameCells} />;
		const verdict = <Text bold color={verdictColour[row.verdict]}>{` ${c.verdict.toUpperCase().padEnd(9)}`}</Text>;
		const figures = `pg ${c.postgres}  redis ${c.redis}  backup ${c.backup}`;
		return narrow
			? [
				{key: `${row.name}:1`, node: <Text wrap="truncate">{banner}{' '.repeat(Math.max(0, nameCells - sanitize(row.name).length))}{verdict}{row.current ? <Text dimColor> current</Text> : null}</Text>},
				{key: `${row.name}:2`, node: <Text wrap="truncate">{`  ${figures}`}</Text>},
			]
			: [
				{key: row.name, node: <Text wrap="truncate">
					{banner}{' '.repeat(Math.max(0, nameCells - sanitize(row.name).length))}{verdict}{`  ${figures}`}
					{row.current ? <Text dimColor>  (current)</Text> : null}
					{c.reason ? <SafeText dimColor>{safe`  ${c.reason}`}</SafeText> : null}
				</Text>},
			];
	}).flat();
}
