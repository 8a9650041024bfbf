// Tiered retention (issue 19): 90 simulated days of backups against rules whose survivors are
// worked out by hand below for a fixed calendar; the dry run lists exactly what the real prune
// then deletes; manual backups are kept apart.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {applyRetention, parseRetentionRules, planRetention, type RetentionEntry} from '../../source/backups/retention.js';

const bin = path.resolve('build/bin.js');

/** 2026-09-01 .. 2026-11-29 (90 days), two automatic backups a day (03:00 and 15:00 UTC), two manual ones */
function calendar(): RetentionEntry[] {
	const entries: RetentionEntry[] = [];
	for (let day = 0; day < 90; day++) {
		for (const hour of [3, 15]) {
			const time = Date.UTC(2026, 8, 1 + day, hour);
			entries.push({name: `auto_${new Date(time).toISOString().slice(0, 19).replace(/:/g, '-')}.db`, time, manual: false});
		}
	}
	entries.push({name: 'manual_2026-09-10T12-00-00.db', time: Date.UTC(2026, 8, 10, 12), manual: true});
	entries.push({name: 'manual_2026-10-20T12-00-00.db', time: Date.UTC(2026, 9, 20, 12), manual: true});
	return entries;
}

const rulesText = 'last=3,daily=7,weekly=4,monthly=3';
const auto = (stamp: string) => `auto_${stamp}.db`;
// Worked out by hand. 2026-11-29 is a Sunday, so ISO weeks end on 11-29, 11-22, 11-15, 11-08.
//   last=3:    11-29 15h, 11-29 03h, 11-28 15h
//   daily=7:   the 15h backup of 11-29, 11-28, 11-27, 11-26, 11-25, 11-24, 11-23
//   weekly=4:  the 15h backup of Sundays 11-29, 11-22, 11-15, 11-08
//   monthly=3: 11-29 15h, 10-31 15h, 09-30 15h
const expectedAuto = [
	'2026-11-29T15-00-00', '2026-11-29T03-00-00', '2026-11-28T15-00-00', '2026-11-27T15-00-00', '2026-11-26T15-00-00',
	'2026-11-25T15-00-00', '2026-11-24T15-00-00', '2026-11-23T15-00-00', '2026-11-22T15-00-00', '2026-11-15T15-00-00',
	'2026-11-08T15-00-00', '2026-10-31T15-00-00', '2026-09-30T15-00-00',
].map(auto);
const expectedManual = ['manual_2026-10-20T12-00-00.db', 'manual_2026-09-10T12-00-00.db'];

describe('planRetention', () => {
	it('keeps exactly the backups the rules name over 90 days, says which rule keeps each, and keeps manual ones apart', () => {
		const plan = planRetention(calendar(), parseRetentionRules(rulesText));
		expect(plan.keep.filter(k => !k.entry.manual).map(k => k.entry.name)).toEqual(expectedAuto);
		expect(plan.keep.filter(k => k.entry.manual).map(k => k.entry.name)).toEqual(expectedManual);
		expect(plan.drop).toHaveLength(180 - expectedAuto.length);
		const why = Object.fromEntries(plan.keep.map(k => [k.entry.name, k.keptBy.map(b => (b.period ? `${b.rule} ${b.period}` : b.rule))]));
		expect(why[auto('2026-11-29T15-00-00')]).toEqual(['last', 'daily 2026-11-29', 'weekly 2026-W48', 'monthly 2026-11']);
		expect(why[auto('2026-11-29T03-00-00')]).toEqual(['last']);
		expect(why[auto('2026-11-08T15-00-00')]).toEqual(['weekly 2026-W45']);
		expect(why[auto('2026-09-30T15-00-00')]).toEqual(['monthly 2026-09']);
		expect(why['manual_2026-09-10T12-00-00.db']).toEqual(['manual']);
	});

	it('refuses bad rules with one line naming the setting and the part', () => {
		const bad: [string, RegExp][] = [
			['', /^BACKUP_KEEP is empty/],
			['last=7,dayly=14', /^BACKUP_KEEP: unknown rule "dayly" \(the rules are last, hourly, daily, weekly, monthly, yearly\)$/],
			['last=7,,daily=3', /empty rule/],
			['daily', /"daily" is not RULE=N/],
			['daily=-1', /daily="-1" must be a whole number from 0 to 100000/],
			['daily=1.5', /whole number/],
			['daily=3,daily=4', /daily is given twice/],
			['last=0,daily=0', /keeps nothing/],
		];
		for (const [text, message] of bad) expect(() => parseRetentionRules(text), text).toThrow(message);
		expect(parseRetentionRules(' Last = 2 , monthly=12 ')).toEqual({last: 2, monthly: 12});
	});

	it('applyRetention deletes what the dry run listed, through the guard, from any store', async () => {
		const names = new Map(calendar().map(e => [e.name, e]));
		const store = {list: async () => [...names.values()], delete: async (name: string) => void names.delete(name)};
		const rules = parseRetentionRules(rulesText);
		const dry = await applyRetention(store, rules, {dryRun: true});
		expect(dry.deleted).toEqual([]);
		expect(names.size).toBe(182);
		const guarded: string[] = [];
		const real = await applyRetention(store, rules, {guard: async (what, work) => {
			guarded.push(what);
			await work();
		}});
		expect(real.deleted).toEqual(dry.drop.map(e => e.name));
		expect(guarded).toEqual([`${180 - 13} of 182 backups (keep ${rulesText})`]);
		expect([...names.keys()].sort()).toEqual([...expectedAuto, ...expectedManual].sort());
		// nothing left to drop: the guard is not even asked
		expect((await applyRetention(store, rules, {guard: async () => expect.fail('called')})).deleted).toEqual([]);
	});
});

describe('opsdeck backup prune --dry-run with BACKUP_KEEP', () => {
	let dir: string;
	beforeAll(() => {
		if (!fs.existsSync(bin)) throw new Error('build/bin.js is missing: run npm run build first');
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-retention-'));
		fs.mkdirSync(path.join(dir, 'backups'));
		for (const e of calendar()) fs.writeFileSync(path.join(dir, 'backups', e.name), '');
		fs.writeFileSync(path.join(dir, 'app.db'), '');
	});
	afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

	const opsdeck = (keep: string, ...args: string[]) => {
		const env: NodeJS.ProcessEnv = {...process.env, SQLITE_PATH: path.join(dir, 'app.db'), BACKUP_DIR: path.join(dir, 'backups'), BACKUP_KEEP: keep};
		delete env.OPSDECK_READ_ONLY;
		const r = spawnSync(process.execPath, [bin, 'backup', 'prune', ...args, '--audit-log', path.join(dir, 'audit.log')], {cwd: dir, env, encoding: 'utf8', timeout: 20_000});
		return {code: r.status, out: r.stdout, err: r.stderr};
	};

	it('shows what would go and why, deletes nothing; the real prune then deletes exactly that; manual ones stay', () => {
		const json = opsdeck(rulesText, '--dry-run', '--json');
		expect(json.code, json.err).toBe(0);
		const plan = JSON.parse(json.out) as {keep: {name: string; why: string[]}[]; remove: {name: string}[]};
		expect(plan.keep.map(k => k.name).sort()).toEqual([...expectedAuto, ...expectedManual].sort());
		expect(plan.keep.find(k => k.name === auto('2026-10-31T15-00-00'))?.why).toEqual(['monthly 2026-10']);
		expect(fs.readdirSync(path.join(dir, 'backups'))).toHaveLength(182);

		const text = opsdeck(rulesText, '--dry-run');
		expect(text.code, text.err).toBe(0);
		expect(text.out).toMatch(/^NAME +KIND +CREATED \(UTC\) +ACTION +KEPT BY$/m);
		expect(text.out).toMatch(/auto_2026-11-15T15-00-00\.db +auto +2026-11-15 15:00:00 +keep +weekly 2026-W46$/m);
		expect(text.out).toMatch(/auto_2026-11-15T03-00-00\.db +auto +2026-11-15 03:00:00 +DELETE$/m);
		expect(text.out).toMatch(/manual_2026-09-10T12-00-00\.db +manual .* keep +manual$/m);
		expect(text.out).toContain(`dry run: would delete 167 backups, keep 15 (keep ${rulesText} automatic; manual ones only with --manual); nothing was changed`);

		// in read-only mode a dry run still answers (it changes nothing)
		expect(opsdeck(rulesText, '--dry-run', '--read-only').code).toBe(0);

		const real = opsdeck(rulesText, '--yes', '--json');
		expect(real.code, real.err).toBe(0);
		expect((JSON.parse(real.out) as {removed: string[]}).removed.sort()).toEqual(plan.remove.map(r => r.name).sort());
		expect(fs.readdirSync(path.join(dir, 'backups')).sort()).toEqual(plan.keep.map(k => k.name).sort());
	}, 120_000);

	it('a bad BACKUP_KEEP is one line and exit 2, nothing deleted', () => {
		const r = opsdeck('daily=x', '--dry-run');
		expect(r.code).toBe(2);
		expect(r.err).toBe('opsdeck: BACKUP_KEEP: daily="x" must be a whole number from 0 to 100000\n');
	});
});
