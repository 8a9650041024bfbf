// The settings of issue 19 through loadConfig: BACKUP_KEEP, BACKUP_REMOTE_KEEP, DRILL_INTERVAL_HOURS,
// DRILL_CHECKS, ORPHAN_CHECKS from the environment and the config file; bad values are one line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadConfig} from '../../source/config/config.js';

let cwd: string;
beforeAll(() => {
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-settings-'));
});
afterAll(() => fs.rmSync(cwd, {recursive: true, force: true}));

const load = (env: Record<string, string> = {}) => loadConfig({env: {HOME: cwd, ...env}, cwd});

describe('backup settings (issue 19)', () => {
	it('defaults: no tiers (BACKUP_RETENTION counts), no drills, no checks', () => {
		expect(load()).toMatchObject({backupKeep: undefined, backupRemoteKeep: undefined, drillIntervalHours: undefined, drillChecks: [], orphanChecks: []});
	});

	it('reads them from the environment', () => {
		expect(load({
			BACKUP_KEEP: 'last=7,daily=14,weekly=8,monthly=12',
			BACKUP_REMOTE_KEEP: 'monthly=24',
			DRILL_INTERVAL_HOURS: '0.5',
			DRILL_CHECKS: "select max(created_at) > datetime('now', '-1 day') from players;; select count(*) from teams;",
			ORPHAN_CHECKS: 'messages.chat_code->chats.code, inventories.player_id -> players.id',
		})).toMatchObject({
			backupKeep: {last: 7, daily: 14, weekly: 8, monthly: 12},
			backupRemoteKeep: {monthly: 24},
			drillIntervalHours: 0.5,
			drillChecks: ["select max(created_at) > datetime('now', '-1 day') from players", 'select count(*) from teams'],
			orphanChecks: [{child: 'messages', childColumn: 'chat_code', parent: 'chats', parentColumn: 'code'}, {child: 'inventories', childColumn: 'player_id', parent: 'players', parentColumn: 'id'}],
		});
	});

	it('reads them from the config file', () => {
		fs.writeFileSync(path.join(cwd, 'opsdeck.config.json'), JSON.stringify({backupKeep: 'daily=3', drillIntervalHours: 24, drillChecks: ['select 1'], orphanChecks: ['a.b->c.d']}));
		try {
			expect(load()).toMatchObject({backupKeep: {daily: 3}, drillIntervalHours: 24, drillChecks: ['select 1'], orphanChecks: [{child: 'a', childColumn: 'b', parent: 'c', parentColumn: 'd'}]});
		} finally {
			fs.rmSync(path.join(cwd, 'opsdeck.config.json'));
		}
	});

	it('a bad value is one line naming the setting', () => {
		const bad: [Record<string, string>, string][] = [
			[{BACKUP_KEEP: 'weekly=2,fortnightly=1'}, 'BACKUP_KEEP: unknown rule "fortnightly" (the rules are last, hourly, daily, weekly, monthly, yearly)'],
			[{BACKUP_REMOTE_KEEP: 'last=0'}, 'BACKUP_REMOTE_KEEP keeps nothing: at least one rule must be above 0'],
			[{DRILL_INTERVAL_HOURS: '0'}, 'DRILL_INTERVAL_HOURS must be a number of hours above 0 and up to 8760 (got "0")'],
			[{DRILL_CHECKS: 'delete from players'}, 'DRILL_CHECKS: each check is one query (SELECT, WITH, VALUES or PRAGMA) that returns a value; got "delete from players"'],
			[{ORPHAN_CHECKS: 'a.b->c'}, 'ORPHAN_CHECKS: "a.b->c" is not child_table.column->parent_table.column (plain SQL names)'],
		];
		for (const [env, message] of bad) expect(() => load(env), message).toThrow(message);
	});
});
