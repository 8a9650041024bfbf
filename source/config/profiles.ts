// Named environments in the config file: `profiles: {staging: {...}, prod: {readOnly: true,
// colour: "red", ...}}`. A profile overrides the settings of the file's top level (nested objects,
// thresholds and collections, key by key); --profile NAME or OPSDECK_PROFILE picks one, and so does
// the console's picker (P). Precedence (config.ts): flag > profile > environment > .env > the file's
// top level > default — a profile is chosen on purpose, so the app's own .env in the working
// directory does not quietly keep another environment's URLs under its banner. One exception, for
// safety: read-only is on when the flag, OPSDECK_READ_ONLY=1 or the profile says so.
import fs from 'node:fs';
import path from 'node:path';
import {ConfigError} from './config-file.js';
import {quote, sanitize} from '../text/sanitize.js';

/** The colours a profile's banner may take (Ink's named colours) or #rrggbb. */
export const profileColours = ['red', 'yellow', 'green', 'blue', 'magenta', 'cyan', 'white', 'gray'] as const;

export type ActiveProfile = {
	readonly name: string;
	/** the banner's colour: a name of profileColours or #rrggbb (default: yellow) */
	readonly colour: string;
	readonly description: string | undefined;
};

/** What the console's picker shows of a profile without loading it: the file's own words. */
export type ProfileSummary = {readonly name: string; readonly colour: string; readonly readOnly: boolean; readonly description: string | undefined};

export function profileSummaries(file: Record<string, unknown>): ProfileSummary[] {
	return Object.entries(fileProfiles(file)).map(([name, settings]) => {
		const colour = String(settings.colour ?? 'yellow').trim().toLowerCase();
		const known = (profileColours as readonly string[]).includes(colour) || /^#[0-9a-f]{6}$/.test(colour);
		return {name, colour: known ? colour : 'gray', readOnly: settings.readOnly === true, description: settings.description === undefined ? undefined : String(settings.description)};
	});
}

/** Every profile the file defines, as given there (checked key by key by readConfigFile). */
export function fileProfiles(file: Record<string, unknown>): Record<string, Record<string, unknown>> {
	return (file.profiles ?? {}) as Record<string, Record<string, unknown>>;
}

/** The profile names, for a list in a message: quoted and escaped (a name is the operator's text, maybe hostile). */
export function profileList(names: readonly string[]): string {
	return names.map(name => `"${sanitize(name).slice(0, 40)}"`).join(', ');
}

/**
 * The wanted profile's settings, or a ConfigError naming the known ones (one line, exit 2). With no
 * config file at all it says so and where it looked: a file that is not there "defines no profiles"
 * only in a misleading sense (a typo'd directory, or --config forgotten).
 */
export function selectProfile(file: Record<string, unknown>, wanted: string, source: string, configFile: string): Record<string, unknown> {
	const profiles = fileProfiles(file);
	if (Object.hasOwn(profiles, wanted)) return profiles[wanted]!;
	const names = Object.keys(profiles);
	const fileName = path.basename(configFile);
	const what = `profile "${sanitize(wanted).slice(0, 40)}" (${source})`;
	if (names.length === 0 && !fs.existsSync(configFile)) {
		throw new ConfigError(`${what}: there is no config file: ${sanitize(configFile)} does not exist (profiles live in the config file; --config FILE or OPSDECK_CONFIG names another)`);
	}
	throw new ConfigError(names.length === 0 ? `unknown ${what}: ${fileName} defines no profiles` : `unknown ${what}; the profiles in ${fileName} are ${profileList(names)}`);
}

/**
 * Why there is no profile to list, for `profiles` and `status --all-profiles`: a file that does not
 * exist is not a file that "defines no profiles".
 */
export function noProfilesText(configFile: string): string {
	const file = sanitize(configFile);
	const how = 'define them there as {"profiles": {"staging": {...}, "prod": {...}}} (see the README: Environments)';
	return fs.existsSync(configFile) ? `${file} defines no profiles: ${how}` : `${file} does not exist: to use profiles, create it and ${how}`;
}

/** The same, short, for the console (the caller sanitizes): `opsdeck.config.json defines none`, or that there is no config file and where it was looked for. */
export function noProfilesShort(configFile: string): string {
	return fs.existsSync(configFile) ? `${path.basename(configFile)} defines none` : `there is no config file (${configFile} does not exist)`;
}

const isObject = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** Two layers of settings, the upper one winning key by key, nested objects merged (thresholds, collections.columns). */
export function mergeSettings(lower: Record<string, unknown>, upper: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {...lower};
	for (const [key, value] of Object.entries(upper)) {
		out[key] = isObject(value) && isObject(lower[key]) ? mergeSettings(lower[key], value) : value;
	}
	return out;
}

/** The banner of a selected profile: its colour checked (one of profileColours or #rrggbb). */
export function activeProfile(name: string, settings: Record<string, unknown>): ActiveProfile {
	const colour = settings.colour === undefined ? 'yellow' : String(settings.colour).trim().toLowerCase();
	if (!(profileColours as readonly string[]).includes(colour) && !/^#[0-9a-f]{6}$/.test(colour)) {
		throw new ConfigError(`profiles.${sanitize(name).slice(0, 40)}.colour must be one of ${profileColours.join(', ')} or #rrggbb (got ${quote(String(settings.colour).slice(0, 40))})`);
	}
	return {name, colour, description: settings.description === undefined ? undefined : String(settings.description)};
}
