// The environment the console is on (a profile of the config file) and `P`, its picker. Switching
// loads the chosen profile's config (the same flags and environment: cli.tsx's loader), creates its
// backends and hands them to the frame under a new generation: every tab is mounted afresh (its
// polls, scans, watches, lists and cursors start over on the new stores) so nothing read from the
// old environment stays on screen; the old backends are closed after the automatic backups bound to
// them have stopped. Refused while a restore runs (it must not lose its stores half-way).
import {createContext, useCallback, useContext, useRef, useState} from 'react';
import {closeBackends, createBackends, type Backends} from '../../backends/index.js';
import {stopAutoBackups} from '../../backups/auto.js';
import {runningUploads} from '../../backups/remote/offsite.js';
import {loadConfig, type Config} from '../../config/config.js';
import {noProfilesShort} from '../../config/profiles.js';
import {safeError} from '../../text/out.js';
import {safe, sanitize} from '../../text/sanitize.js';
import type {Frame} from '../context.js';
import type {KeyEntry} from '../input/keymap.js';
import {currentWork} from '../work-in-progress.js';

export type ProfileLoader = (name: string) => Config;

/** Without a loader from cli.tsx (tests): the same config file, this profile chosen. */
export const fileLoader = (config: Config): ProfileLoader => name => loadConfig({flags: {config: config.configFile}, profile: name});

/** The loader, for the Status tab's overview of every profile. */
export const ProfileLoaderContext = createContext<ProfileLoader | undefined>(undefined);

export function useProfileLoader(config: Config): ProfileLoader {
	return useContext(ProfileLoaderContext) ?? fileLoader(config);
}

export type Environment = {
	readonly backends: Backends;
	/** moves on at every switch: the key the tabs are mounted under */
	readonly generation: number;
	/** the highlighted row of the open picker; undefined: closed */
	readonly picker: number | undefined;
	readonly names: readonly string[];
	readonly open: () => void;
	/** the picker's keys while it is open (it takes every key) */
	readonly pickerKeys: readonly KeyEntry[] | undefined;
	/** a flash for the tabs of this generation only: an answer from the old environment arriving late is dropped */
	readonly isCurrent: (generation: number) => boolean;
};

type Options = {
	readonly load: ProfileLoader;
	readonly flash: Frame['flash'];
	/** told of the new backends (run-console closes the last ones at exit) */
	readonly onSwitch?: ((backends: Backends) => void) | undefined;
};

export function useEnvironment(initial: Backends, {load, flash, onSwitch}: Options): Environment {
	const [env, setEnv] = useState({backends: initial, generation: 0});
	const [picker, setPicker] = useState<number | undefined>();
	// the generation now on screen, for the tabs' late answers (written by a switch only)
	const generation = useRef(0);
	// stable: the tabs' flash is made from it once per generation (their hooks depend on it)
	const isCurrent = useCallback((g: number) => g === generation.current, []);
	const {config} = env.backends;
	const names = config.profileNames;

	const open = () => {
		if (names.length === 0) {
			flash(sanitize(`no profiles to switch to: ${noProfilesShort(config.configFile)}`), 'warning');
			return;
		}
		setPicker(Math.max(0, names.indexOf(config.profile?.name ?? '')));
	};

	const choose = (name: string) => {
		setPicker(undefined);
		if (name === config.profile?.name) return flash(safe`already on ${sanitize(name)}`, 'info');
		const work = currentWork();
		if (work) return flash(safe`not switched: a ${sanitize(work.label)} is running on this environment`, 'warning');
		let next: Config;
		try {
			next = load(name);
		} catch (error) {
			return flash(safe`cannot switch to ${sanitize(name)}: ${safeError(error)}`, 'error');
		}
		const old = env.backends;
		// an upload of the old environment's keeps running (its progress stays with it, on its Backups tab)
		const uploading = runningUploads().find(u => u.dir === old.config.backupDir);
		const backends = createBackends(next);
		generation.current = env.generation + 1;
		setEnv({backends, generation: env.generation + 1});
		onSwitch?.(backends);
		const shadowed = next.profileShadowed.length > 0 ? safe` (${sanitize(next.profileShadowed.join(', '))} given on the command line still applies)` : safe``;
		const still = uploading ? safe`; the upload of ${sanitize(uploading.name)} from ${sanitize(config.profile?.name ?? 'the last environment')} goes on` : safe``;
		flash(safe`now on ${sanitize(name)}${next.readOnly ? safe` (read-only)` : safe``}${shadowed}${still}`, next.profileShadowed.length > 0 ? 'warning' : 'success');
		// the old environment's automatic backups stop (their shutdown backup taken), then its connections close
		void stopAutoBackups().catch(() => undefined).finally(() => void closeBackends(old));
	};

	const move = (by: number) => setPicker(at => (at === undefined ? at : (at + by + names.length) % names.length));
	const pickerKeys: KeyEntry[] | undefined = picker === undefined ? undefined : [
		{key: '↑ ↓', keys: ['up', 'down', 'j', 'k'], label: 'move', help: 'move (also j k)', run: p => move(p.name === 'down' || p.name === 'j' ? 1 : -1)},
		{key: 'g G', keys: ['g', 'home', 'G', 'end'], help: 'first / last environment', run: p => setPicker(p.name === 'g' || p.name === 'home' ? 0 : names.length - 1)},
		{key: 'Enter', label: 'switch', help: 'switch every tab to this environment', run: () => choose(names[picker]!)},
		{key: 'Esc', label: 'cancel', help: 'keep the environment', run: () => setPicker(undefined)},
		{key: 'q', run: () => setPicker(undefined)},
	];
	return {backends: env.backends, generation: env.generation, picker, names, open, pickerKeys, isCurrent};
}
