// APP_SERVICE: how the app's own process is supervised, so opsdeck can find it and restart it.
//   systemd:UNIT    systemctl show / restart, the unit's journal
//   pm2:NAME        pm2 jlist / restart (PM2_HOME as the app's)
//   pidfile:PATH    the pid in a file its supervisor rewrites (a restart: SIGTERM, then a new pid there)
//   port:N          the process listening on TCP port N (a restart: SIGTERM, then a new listener)
import path from 'node:path';
import {ConfigError} from '../config/config-file.js';
import {quote} from '../text/sanitize.js';

export type AppService =
	| {readonly kind: 'systemd'; readonly unit: string}
	| {readonly kind: 'pm2'; readonly name: string}
	| {readonly kind: 'pidfile'; readonly path: string}
	| {readonly kind: 'port'; readonly port: number};

export type AppServiceKind = AppService['kind'];

// systemd.unit(5): ASCII letters, digits, ":", "-", "_", ".", "\" and "@" (template instances)
const unitName = /^[A-Za-z0-9:_.\\@-]+$/;

/** `systemd:chat.service` and the rest, checked; `name` says where it came from for the error. */
export function parseAppService(value: string, name: string, cwd: string): AppService {
	const usage = `${name} must be systemd:UNIT, pm2:NAME, pidfile:PATH or port:N`;
	const colon = value.indexOf(':');
	if (colon === -1) throw new ConfigError(`${usage} (got ${JSON.stringify(value.slice(0, 60))})`);
	const kind = value.slice(0, colon).trim();
	const rest = value.slice(colon + 1).trim();
	if (!rest) throw new ConfigError(`${usage}: nothing after "${kind.slice(0, 20)}:"`);
	switch (kind) {
		case 'systemd':
			if (!unitName.test(rest) || rest.startsWith('-')) throw new ConfigError(`${name}: ${quote(rest.slice(0, 60))} is not a systemd unit name`);
			return {kind, unit: rest};
		case 'pm2':
			if (rest.startsWith('-') || /[\s\x00-\x1f]/.test(rest)) throw new ConfigError(`${name}: ${quote(rest.slice(0, 60))} is not a pm2 process name`);
			return {kind, name: rest};
		case 'pidfile':
			return {kind, path: path.resolve(cwd, rest)};
		case 'port': {
			const port = /^\d{1,5}$/.test(rest) ? Number(rest) : Number.NaN;
			if (!(port >= 1 && port <= 65_535)) throw new ConfigError(`${name}: port must be a number from 1 to 65535 (got ${quote(rest.slice(0, 20))})`);
			return {kind, port};
		}
		default:
			throw new ConfigError(`${usage} (got ${JSON.stringify(value.slice(0, 60))})`);
	}
}

/** `pm2:chat`, as the operator wrote it (a pid file's path absolute). */
export function serviceText(service: AppService): string {
	switch (service.kind) {
		case 'systemd':
			return `systemd:${service.unit}`;
		case 'pm2':
			return `pm2:${service.name}`;
		case 'pidfile':
			return `pidfile:${service.path}`;
		case 'port':
			return `port:${service.port}`;
	}
}
