// The off-site upload and restore drill results on /metrics (issues 19, 20). Read on scrape from
// what is written down — each backup's sidecar (`offsite`, per remote) and the drill log — so the
// values are right after a restart; this process's own recent uploads (offsite.ts recentUploads)
// are added, in case a sidecar could not be written. Labels are the configured remotes only
// (BACKUP_REMOTE, passwords masked): bounded by the configuration, never by what a sidecar claims.
import type {Gauge} from 'prom-client';
import {Gauge as GaugeClass} from 'prom-client';
import {lastDrill} from '../backups/drill-log.js';
import {listBackups} from '../backups/files.js';
import {notOffsiteRemotes, offsiteRecord, recentUploads} from '../backups/remote/offsite.js';
import type {Collector} from './collector.js';

/** no value known: the series goes (an unlabelled gauge would otherwise say 0) */
function unset(gauge: Gauge): void {
	gauge.reset();
	gauge.remove();
}

const epochSeconds = (iso: string): number | undefined => {
	const ms = Date.parse(iso);
	return Number.isFinite(ms) ? ms / 1000 : undefined;
};

export const uploadsCollector: Collector = {
	name: 'uploads',
	create(registry, {backends}) {
		const {config} = backends;
		const registers = [registry];
		const lastSuccess = new GaugeClass({name: 'opsdeck_backup_upload_last_success_timestamp_seconds', help: 'When a backup last uploaded to each BACKUP_REMOTE with its sha256 checked (Unix time; 0: never)', labelNames: ['remote'], registers});
		const lastOk = new GaugeClass({name: 'opsdeck_backup_upload_last_ok', help: 'Whether the newest upload to each BACKUP_REMOTE went through (1) or failed (0)', labelNames: ['remote'], registers});
		const notOffsite = new GaugeClass({name: 'opsdeck_backups_not_offsite', help: 'Local backups whose last upload to some BACKUP_REMOTE failed (not off-site)', registers});
		return async () => {
			lastSuccess.reset();
			lastOk.reset();
			const remotes = config.backupRemotes.map(r => r.id);
			if (remotes.length === 0) {
				unset(notOffsite);
				return;
			}
			const entries = await listBackups(config.backupDir);
			const events = [
				...entries.flatMap(e => Object.entries(offsiteRecord(e.meta)).map(([remote, u]) => ({remote, at: epochSeconds(String(u?.at)), ok: u?.ok === true}))),
				...recentUploads().map(u => ({remote: u.remote, at: epochSeconds(u.at), ok: u.ok})),
			];
			for (const remote of remotes) {
				let success = 0;
				let newest: {at: number; ok: boolean} | undefined;
				for (const event of events) {
					if (event.remote !== remote || event.at === undefined) continue;
					if (event.ok) success = Math.max(success, event.at);
					if (!newest || event.at >= newest.at) newest = {at: event.at, ok: event.ok};
				}
				lastSuccess.set({remote}, success);
				if (newest) lastOk.set({remote}, newest.ok ? 1 : 0);
			}
			notOffsite.set(entries.filter(e => notOffsiteRemotes(e.meta).length > 0).length);
		};
	},
};

export const drillCollector: Collector = {
	name: 'drill',
	create(registry, {backends}) {
		const {config} = backends;
		const registers = [registry];
		const at = new GaugeClass({name: 'opsdeck_drill_last_timestamp_seconds', help: 'When the last restore drill ran (Unix time)', registers});
		const ok = new GaugeClass({name: 'opsdeck_drill_last_ok', help: 'Whether the last restore drill passed (1) or found problems (0)', registers});
		const duration = new GaugeClass({name: 'opsdeck_drill_last_duration_seconds', help: 'How long the last restore drill took', registers});
		return async () => {
			const last = await lastDrill(config.backupDir);
			const when = last ? epochSeconds(last.at) : undefined;
			if (!last || when === undefined) {
				for (const gauge of [at, ok, duration]) unset(gauge);
				return;
			}
			at.set(when);
			ok.set(last.ok ? 1 : 0);
			duration.set(last.durationMs / 1000);
		};
	},
};
