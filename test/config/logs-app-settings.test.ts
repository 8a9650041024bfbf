// Issue 18's settings: LOG_FILES (comma-separated paths or globs; a list in the config file),
// LOG_UNIT, APP_SERVICE (systemd:UNIT, pm2:NAME, pidfile:PATH, port:N) and APP_RESTART_TIMEOUT,
// from the environment, .env and the config file, each refused in one line when malformed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/config.js';

let cwd: string;

beforeEach(() => {
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-config-logs-'));
});

afterEach(() => {
	fs.rmSync(cwd, {recursive: true, force: true});
});

const load = (env: Record<string, string> = {}, file?: object) => {
	if (file) fs.writeFileSync(path.join(cwd, 'opsdeck.config.json'), JSON.stringify(file));
	return loadConfig({env: {HOME: cwd, ...env}, cwd});
};

function refusal(env: Record<string, string>, file?: object): string {
	try {
		load(env, file);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return (error as Error).message;
	}
	throw new Error('not refused');
}

describe('LOG_FILES, LOG_UNIT, APP_SERVICE, APP_RESTART_TIMEOUT', () => {
	it('none set: no sources, no app service, 30 s', () => {
		expect(load()).toMatchObject({logFiles: [], logUnit: undefined, appService: undefined, appRestartTimeoutMs: 30_000});
	});

	it('from the environment: paths made absolute from the working directory', () => {
		const config = load({LOG_FILES: './logs/*.log, /var/log/chat/app.log,,', LOG_UNIT: 'chat.service', APP_SERVICE: 'pidfile:run/chat.pid', APP_RESTART_TIMEOUT: '5'});
		expect(config.logFiles).toEqual([path.join(cwd, 'logs/*.log'), '/var/log/chat/app.log']);
		expect(config.logUnit).toBe('chat.service');
		expect(config.appService).toEqual({kind: 'pidfile', path: path.join(cwd, 'run/chat.pid')});
		expect(config.appRestartTimeoutMs).toBe(5000);
		expect(load({APP_SERVICE: 'systemd:chat@1.service'}).appService).toEqual({kind: 'systemd', unit: 'chat@1.service'});
		expect(load({APP_SERVICE: 'pm2:chat-api'}).appService).toEqual({kind: 'pm2', name: 'chat-api'});
		expect(load({APP_SERVICE: 'port:5555'}).appService).toEqual({kind: 'port', port: 5555});
	});

	it('from .env and the config file (logFiles a list there); the environment wins', () => {
		fs.writeFileSync(path.join(cwd, '.env'), 'APP_SERVICE=port:5555\n');
		const config = load({}, {logFiles: ['./a.log', './logs/*.log'], logUnit: 'chat.service', appService: 'pm2:chat', appRestartTimeout: 60});
		expect(config).toMatchObject({logFiles: [path.join(cwd, 'a.log'), path.join(cwd, 'logs/*.log')], logUnit: 'chat.service', appService: {kind: 'port', port: 5555}, appRestartTimeoutMs: 60_000});
		expect(load({APP_SERVICE: 'pm2:other'}).appService).toEqual({kind: 'pm2', name: 'other'});
	});

	it.each([
		[{APP_SERVICE: 'chat'}, 'APP_SERVICE must be systemd:UNIT, pm2:NAME, pidfile:PATH or port:N (got "chat")'],
		[{APP_SERVICE: 'docker:chat'}, 'APP_SERVICE must be systemd:UNIT, pm2:NAME, pidfile:PATH or port:N (got "docker:chat")'],
		[{APP_SERVICE: 'pm2:'}, 'APP_SERVICE must be systemd:UNIT, pm2:NAME, pidfile:PATH or port:N: nothing after "pm2:"'],
		[{APP_SERVICE: 'port:0'}, 'APP_SERVICE: port must be a number from 1 to 65535 (got "0")'],
		[{APP_SERVICE: 'systemd:--now'}, 'APP_SERVICE: "--now" is not a systemd unit name'],
		[{APP_SERVICE: 'systemd:chat service'}, 'APP_SERVICE: "chat service" is not a systemd unit name'],
		[{APP_SERVICE: 'pm2:-s'}, 'APP_SERVICE: "-s" is not a pm2 process name'],
		[{LOG_UNIT: '-xe'}, 'LOG_UNIT: "-xe" is not a systemd unit name'],
		[{APP_RESTART_TIMEOUT: '0'}, 'APP_RESTART_TIMEOUT must be a whole number from 1 to 3600 (got "0")'],
	])('refuses %o', (env, message) => {
		expect(refusal(env)).toBe(message);
	});

	it('the config file: logFiles must be a list of paths, appService a string', () => {
		expect(refusal({}, {logFiles: './logs/*.log'})).toBe('logFiles in opsdeck.config.json must be a list of file paths or globs (got "./logs/*.log")');
		expect(refusal({}, {appService: 5555})).toBe('appService in opsdeck.config.json must be a string (got 5555)');
		expect(refusal({}, {appService: 'port:x'})).toBe('appService in opsdeck.config.json: port must be a number from 1 to 65535 (got "x")');
	});
});
