// One key's value: type, TTL, memory, size ("preview — N total" when only part is shown) and the
// value as lines; `n` reads the next page (HSCAN cursor, offset or stream id), `p` the first again.
import {Box, Text} from 'ink';
import {useLatestInput} from '../../hooks/use-latest-input.js';
import {useMemo, useState} from 'react';
import type {Backends} from '../../../backends/index.js';
import {keyDetails} from '../../../cache/keys.js';
import {sizeLine, valueLines} from '../../../text/value-text.js';
import {readValue} from '../../../cache/values.js';
import {fit, formatBytes, formatTtl} from '../../../text/format.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
import {sanitize} from '../../../text/sanitize.js';
import {useLoad} from '../../hooks/use-load.js';
import {ScrollLines, type Line} from '../../components/scroll-lines.js';
import {SafeText} from '../../components/safe-text.js';

type Props = {
	readonly backends: Backends;
	readonly redisKey: string;
	readonly width: number;
	readonly height: number;
	readonly isActive: boolean;
	/** bump to reload */
	readonly generation: number;
};

export function ValueView({backends, redisKey, width, height, isActive, generation}: Props) {
	const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
	const from = pages.at(-1);
	const load = useLoad(async () => {
		const [detail] = await keyDetails(backends.redis, [redisKey]);
		const preview = await readValue(backends.redis, redisKey, {from});
		return {detail: detail!, preview};
	}, [backends, redisKey, from, generation]);
	useLatestInput(
		input => {
			const next = load.data?.preview.next;
			if (input === 'n' && next !== undefined) setPages(p => [...p, next]);
			else if (input === 'p' && pages.length > 1) setPages(p => p.slice(0, -1));
		},
		{isActive},
	);
	const lines: Line[] = useMemo(() => (load.data ? valueLines(load.data.preview).map(text => ({text: sanitize(text)})) : []), [load.data]);
	const head = sanitize(load.data
		? `${load.data.detail.type}  ttl ${formatTtl(load.data.detail.pttl)}  ${formatBytes(load.data.detail.bytes)}  ${sizeLine(load.data.preview)}${pages.length > 1 ? `  page ${pages.length}` : ''}`
		: load.loading ? 'loading…' : '');
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<SafeText bold color="cyan" wrap="truncate">{fit(keyText(redisKey), width)}</SafeText>
			<SafeText wrap="truncate">{fit(head, width)}</SafeText>
			{load.error ? <SafeText color="red" wrap="truncate">{fit(load.error, width)}</SafeText> : null}
			{load.data?.preview.type === 'none' ? <Text color="yellow">{fit('this key no longer exists', width)}</Text> : null}
			<ScrollLines lines={lines} width={width} height={Math.max(1, height - 2 - (load.error ? 1 : 0))} isActive={isActive} resetKey={`${redisKey}|${String(from)}`} />
		</Box>
	);
}
