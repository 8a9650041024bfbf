// Verdict-change alerts to a real local HTTP listener: one POST per change, never one per poll;
// a failing webhook is logged and retried, never thrown.
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {AlertNotifier} from '../../source/health/alerts.js';
import type {HealthReport, Verdict} from '../../source/health/health.js';
import {closedPort} from '../helpers/ports.js';
import {startLocalServer, type LocalServer} from '../helpers/health-env.js';
import {sleep, waitFor} from '../helpers/wait.js';

let hook: LocalServer;
beforeAll(async () => {
	hook = await startLocalServer();
});
afterAll(() => hook.close());
beforeEach(() => {
	hook.bodies.length = 0;
	hook.respond = {status: 200, delayMs: 0};
});

const report = (verdict: Verdict, message = 'redis down: connect ECONNREFUSED 127.0.0.1:6379'): Pick<HealthReport, 'verdict' | 'reasons' | 'checkedAt'> => ({
	verdict,
	reasons: verdict === 'healthy' ? [] : [{component: 'redis', level: verdict, message}],
	checkedAt: new Date().toISOString(),
});

describe('AlertNotifier', () => {
	it('posts once per verdict change, with content and text, not once per poll', async () => {
		const alerts = new AlertNotifier({url: hook.url});
		for (const verdict of ['healthy', 'healthy', 'degraded', 'degraded', 'degraded', 'healthy', 'healthy'] as const) alerts.observe(report(verdict));
		await waitFor(() => hook.bodies.length >= 2);
		await sleep(100);
		expect(hook.bodies).toHaveLength(2);
		const [down, back] = hook.bodies.map(b => JSON.parse(b) as Record<string, unknown>);
		expect(down).toMatchObject({verdict: 'degraded', previous: 'healthy', reasons: ['redis down: connect ECONNREFUSED 127.0.0.1:6379']});
		expect(down!.content).toBe('opsdeck: healthy -> degraded: redis down: connect ECONNREFUSED 127.0.0.1:6379');
		expect(down!.text).toBe(down!.content);
		expect(back).toMatchObject({verdict: 'healthy', previous: 'degraded', content: 'opsdeck: degraded -> healthy'});
		alerts.close();
	});

	it('masks passwords in the message', async () => {
		const alerts = new AlertNotifier({url: hook.url});
		alerts.observe(report('unhealthy', 'postgres down: cannot reach postgres://app:pa55word@db:5432/x'));
		await waitFor(() => hook.bodies.length === 1);
		expect(hook.bodies[0]).not.toContain('pa55word');
		expect(hook.bodies[0]).toContain('postgres://app:***@db');
		alerts.close();
	});

	it('a failing webhook is logged and retried later, in order', async () => {
		const logs: string[] = [];
		hook.respond = {status: 500, delayMs: 0};
		const alerts = new AlertNotifier({url: hook.url, retryMs: 200, log: line => logs.push(line)});
		alerts.observe(report('degraded'));
		await waitFor(() => logs.length >= 1);
		expect(logs[0]).toMatch(/^alert webhook failed \(HTTP 500\); 1 queued, retrying in 200 ms/);
		alerts.observe(report('unhealthy'));
		expect(alerts.pending).toBe(2);
		hook.respond = {status: 200, delayMs: 0};
		await waitFor(() => alerts.pending === 0, {timeout: 3000});
		const delivered = hook.bodies.map(b => JSON.parse(b) as {verdict: string}).slice(-2).map(b => b.verdict);
		expect(delivered).toEqual(['degraded', 'unhealthy']);
		alerts.close();
	});

	it('an unreachable webhook never throws', async () => {
		const logs: string[] = [];
		const alerts = new AlertNotifier({url: `http://127.0.0.1:${await closedPort()}/hook`, retryMs: 60_000, log: line => logs.push(line)});
		expect(() => alerts.observe(report('unhealthy'))).not.toThrow();
		await waitFor(() => logs.length === 1);
		expect(logs[0]).toMatch(/ECONNREFUSED/);
		alerts.close();
	});

	it('without a URL it tracks the verdict and sends nothing', () => {
		const alerts = new AlertNotifier({url: undefined});
		expect(alerts.observe(report('degraded'))).toBeUndefined();
		expect(alerts.pending).toBe(0);
	});
});
