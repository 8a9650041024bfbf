// The console's health poll. With an alert webhook configured it runs whichever tab is shown (the
// Status tab is always mounted): verdict-change alerts come from the console too. Without one,
// nothing but the Status tab reads the report, so it polls only while that tab is shown. A backend
// that goes down or comes back triggers a poll at once instead of waiting for the next tick.
import {useEffect, useMemo} from 'react';
import {AlertNotifier} from '../../../health/alerts.js';
import {checkHealth, type HealthReport} from '../../../health/health.js';
import {useBackends, useFrame} from '../../context.js';
import {usePoll} from '../../hooks/use-poll.js';
import {sanitize} from '../../../text/sanitize.js';

export function useHealth(isVisible = true) {
	const backends = useBackends();
	const {config} = backends;
	// (the frame's flash is the same function for the console's life)
	const {flash} = useFrame();
	const alerts = useMemo(
		() => new AlertNotifier({url: config.alertWebhookUrl, log: line => flash(sanitize(line), 'warning')}),
		[config.alertWebhookUrl, flash],
	);
	useEffect(() => () => alerts.close(), [alerts]);

	// only the Status tab reads the report; the alerts need it on every tab
	const pollsHidden = Boolean(config.alertWebhookUrl);
	const poll = usePoll<HealthReport>(
		async () => {
			const report = await checkHealth(backends);
			alerts.observe(report);
			return report;
		},
		// every report differs (time, process memory): one update a tick while shown; while another
		// tab is shown the poll goes on only for the alerts and keeps its report to itself — no render
		{intervalMs: config.pollIntervalMs, enabled: isVisible || pollsHidden, isEqual: () => !isVisible},
		alerts,
	);

	const {refresh} = poll;
	// shown again: a fresh report at once rather than the one from when it was hidden (a poll that
	// was off while hidden starts with one by itself)
	useEffect(() => {
		if (isVisible && pollsHidden) refresh();
	}, [isVisible, pollsHidden, refresh]);
	useEffect(() => {
		const watch = (keeper: typeof backends.redis.keeper) => {
			let state = keeper.status.state;
			return keeper.onChange(status => {
				if (status.state === state) return;
				state = status.state;
				refresh();
			});
		};
		const offs = [watch(backends.redis.keeper), watch(backends.postgres.keeper)];
		return () => {
			for (const off of offs) off();
		};
	}, [backends, refresh]);

	return poll;
}
