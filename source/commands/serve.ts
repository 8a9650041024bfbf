// opsdeck serve [--port N] [--host H]: GET /health (application/health+json) and GET /api/health
// for external monitors, /livez and /readyz for probes, /metrics for Prometheus (metrics/). Health is polled every pollIntervalMs in the background and requests are
// answered from the last report, so a busy monitor never hammers the backends. Each verdict change
// is logged (masked) and sent to the alert webhook. Runs until SIGINT/SIGTERM, then exits 0.
import http from 'node:http';
import {startBackends} from '../backends/index.js';
import {AlertNotifier} from '../health/alerts.js';
import {startAutoBackups} from '../backups/auto.js';
import {startDrills} from '../backups/drill-schedule.js';
import {checkHealth, summary, type HealthReport} from '../health/health.js';
import {apiHealth, healthJson, httpStatusFor, livez, readyz, requestProblem} from '../health/http.js';
import {createMetrics} from '../metrics/metrics.js';
import {errorMessage} from '../text/mask.js';
import {hostPort} from '../text/net-reason.js';
import {sanitize} from '../text/sanitize.js';
import {CommandError, print, type CommandContext, UsageError} from './shared.js';

function listen(server: http.Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve((server.address() as {port: number}).port);
		});
	});
}

/**
 * Why serve cannot listen, as a sentence naming the port (issue 16: it said "EADDRINUSE", exit 2).
 * A port someone else holds is a failure (exit 1); a host or port that cannot be used here is the
 * operator's setting to fix (exit 2).
 */
function listenError(error: unknown, host: string, port: number): Error {
	const code = (error as NodeJS.ErrnoException).code;
	const where = `port ${port} on ${host}`;
	const change = 'choose another with --port or HEALTH_PORT';
	if (code === 'EADDRINUSE') return new CommandError(`${where} is already in use (another opsdeck serve, or the app?): stop it or ${change}`);
	if (code === 'EACCES' || code === 'EPERM') return new UsageError(`${where}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE): ${change}`);
	if (code === 'EADDRNOTAVAIL') return new UsageError(`cannot listen on ${host}: no such address on this machine (--host)`);
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new UsageError(`cannot listen on ${host}: the name does not resolve (--host)`);
	return new UsageError(`cannot listen on ${where}: ${errorMessage(error)}`);
}

export async function run(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 0) throw new UsageError(`serve takes no arguments (got "${sanitize(ctx.args[0]!).slice(0, 40)}")`);
	const {config} = ctx;
	const log = (line: string) => print(ctx, `${new Date().toISOString()} ${sanitize(line)}`);
	const alerts = new AlertNotifier({url: config.alertWebhookUrl, log});
	await startBackends(ctx.backends);

	let latest: HealthReport | undefined;
	let stopped = false;
	let pollTimer: NodeJS.Timeout | undefined;
	const poll = async (): Promise<HealthReport> => {
		const report = await checkHealth(ctx.backends);
		if (report.verdict !== latest?.verdict) log(`verdict ${latest ? `${latest.verdict} -> ` : ''}${summary(report)}`);
		latest = report;
		alerts.observe(report);
		return report;
	};
	// chained, never overlapping: a slow check delays the next one instead of piling up
	const loop = async () => {
		await poll().catch(() => undefined);
		if (!stopped) pollTimer = setTimeout(() => void loop(), config.pollIntervalMs);
	};
	const first = poll();
	void first.finally(() => {
		if (!stopped) pollTimer = setTimeout(() => void loop(), config.pollIntervalMs);
	}).catch(() => undefined);

	// BACKUP_ENABLED: one backup now, one every interval, one at shutdown (below)
	const autoBackups = config.backupEnabled ? startAutoBackups(ctx.backends) : undefined;
	if (autoBackups) log(`automatic backups every ${config.backupIntervalHours} h into ${config.backupDir} (none at start when the newest is younger than that)`);

	// DRILL_INTERVAL_HOURS: the newest backup restored into a scratch file and checked, on a schedule
	const drills = startDrills(config, log);
	if (drills) log(`restore drills every ${config.drillIntervalHours} h of the newest backup in ${config.backupDir}`);
	// /metrics: collected on scrape (cached 2 s) in a registry of its own; the store values come
	// from `latest`, so neither a scrape nor a stalled store ever holds /health, /livez or /readyz
	const metrics = createMetrics({backends: ctx.backends, health: () => latest});

	const server = http.createServer((req, res) => {
		const send = (status: number, type: string, body: unknown, headers: Readonly<Record<string, string>> = {}) => {
			res.writeHead(status, {'content-type': type, 'cache-control': 'no-store', ...headers});
			res.end(req.method === 'HEAD' ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
		};
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		const problem = requestProblem(req.method, path);
		if (problem) {
			send(problem.status, 'application/json', problem.body, problem.headers);
			return;
		}
		if (path === '/livez') {
			send(200, 'application/json', livez(process.uptime()));
			return;
		}
		if (path === '/readyz') {
			const ready = readyz(latest);
			send(ready.status, 'application/json', ready.body);
			return;
		}
		if (path === '/metrics') {
			metrics.scrape().then(text => send(200, metrics.contentType, text), () => send(500, 'application/json', {success: false, error: 'metrics collection failed'}));
			return;
		}
		void (async () => {
			const report = latest ?? (await first);
			if (path === '/health') send(httpStatusFor(report.verdict), 'application/health+json', healthJson(report));
			else send(httpStatusFor(report.verdict), 'application/json', apiHealth(report));
		})().catch(() => send(500, 'application/json', {success: false, error: 'health check failed'}));
	});
	server.keepAliveTimeout = 5000;

	let port: number;
	try {
		port = await listen(server, config.healthPort, config.healthHost);
	} catch (error) {
		stopped = true;
		clearTimeout(pollTimer);
		alerts.close();
		await drills?.stop();
		throw listenError(error, config.healthHost, config.healthPort);
	}
	log(`listening on http://${hostPort(config.healthHost, port)} (GET /health, /api/health, /livez, /readyz, /metrics)`);

	await new Promise<void>(resolve => {
		const shutdown = (signal: string) => {
			process.off('SIGINT', onInt);
			process.off('SIGTERM', onTerm);
			log(`${signal}: stopping`);
			stopped = true;
			clearTimeout(pollTimer);
			alerts.close();
			server.closeAllConnections();
			server.close(() => resolve());
		};
		const onInt = () => shutdown('SIGINT');
		const onTerm = () => shutdown('SIGTERM');
		process.on('SIGINT', onInt);
		process.on('SIGTERM', onTerm);
	});
	await drills?.stop();
	if (autoBackups) {
		log('taking the shutdown backup');
		await autoBackups.stop();
		const last = autoBackups.state();
		log(last.lastError ? `shutdown backup failed: ${last.lastError}` : `shutdown backup ${last.lastName ?? ''} done`);
	}
	return 0;
}
