// The README promises what a new user sees: its quick start on top, and screenshots that are real
// (each image in media/ is written by `npm run media` and shown by the README, none missing); every
// command line it shows is one the CLI takes, and every command's usage is the one its --help prints.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {readArgv} from '../source/cli/argv.js';
import {flagSpec, kebab} from '../source/cli/flags.js';
import {commandHelp, commandHelpText, commandNames, isCommand} from '../source/commands/help.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
// media/dashboard.mjs (npm run media runs it after render.mjs) writes the dashboard's picture
const render = ['media/render.mjs', 'media/dashboard.mjs'].map(file => fs.readFileSync(path.join(root, file), 'utf8')).join('\n');
const images = fs.readdirSync(path.join(root, 'media')).filter(f => /\.(svg|png|gif)$/.test(f));

/** Words of a shell command line: quotes removed, cut at a pipe, redirect, comment or `;`/`&&`. */
function shellWords(line: string): string[] {
	const words: string[] = [];
	for (const [, single, double, bare] of line.matchAll(/'([^']*)'|"([^"]*)"|([^\s'"]+)/g)) {
		if (bare !== undefined && /^(\||>>?|#|;|&&|\}|2>&1)/.test(bare)) break;
		words.push(single ?? double ?? bare!.replace(/;$/, ''));
	}
	return words;
}

/** Every opsdeck command line the README shows: `$ opsdeck …`, `npx opsdeck …`, `… bin.js …` in its
 * code blocks and `opsdeck …` in its inline code, as the arguments after the program. */
function readmeCommandLines(): Array<{line: string; args: string[]}> {
	const out: Array<{line: string; args: string[]}> = [];
	for (const [, block] of readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
		for (const line of block!.split('\n')) {
			for (const [, rest] of line.matchAll(/(?:^\$ (?:\w+=\S+ )*opsdeck|\bnpx opsdeck|bin\.js)((?: [^&;#]*)?)/g)) out.push({line, args: shellWords(rest!)});
		}
	}
	// inline: not the usage lines with [options] or a placeholder (`opsdeck COMMAND --help`)
	for (const [, code] of readme.matchAll(/`(?:npx )?(opsdeck(?: [^`]*)?)`/g)) {
		if (/\[|\bCOMMAND\b/.test(code!)) continue;
		out.push({line: code!, args: shellWords(code!.slice('opsdeck'.length))});
	}
	return out;
}

describe('README', () => {
	it('starts with the two-command quick start', () => {
		const top = readme.slice(0, readme.indexOf('## Contents'));
		expect(top).toContain('npm ci && npm start');
		expect(top).toContain('npm ci && npm test');
	});

	it('shows every image in media/, each one rendered by npm run media', () => {
		expect(images.length).toBeGreaterThanOrEqual(5);
		for (const image of images) {
			expect(readme, `README shows media/${image}`).toContain(`(media/${image})`);
			expect(render, `media/render.mjs writes ${image}`).toContain(`'${image}'`);
		}
	});

	it('links only to images and sections that exist', () => {
		for (const [, target] of readme.matchAll(/\]\((media\/[^)]+)\)/g)) expect(fs.existsSync(path.join(root, target!)), target).toBe(true);
		const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map(([, title]) => title!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
		for (const [, anchor] of readme.matchAll(/\]\(#([^)]+)\)/g)) expect(anchors.has(anchor!), `#${anchor}`).toBe(true);
	});

	// Found by the hostile tester: an empty `## Health endpoint and metrics…` heading that the Contents
	// linked to, while the section itself was under another name further down
	it('has no empty section: every ## heading has text before the next heading', () => {
		const sections = readme.split(/^## /m).slice(1);
		for (const section of sections) {
			const [title, ...body] = section.split('\n');
			expect(body.join('\n').split(/^#{2,} /m)[0]!.trim(), title).not.toBe('');
		}
		expect(readme).toMatch(/^## Health endpoint and metrics: Kubernetes, Prometheus, Uptime Kuma, systemd\n\n`opsdeck serve`/m);
		expect(readme.match(/^## Health endpoint/gm)).toHaveLength(1);
	});

	it('gives every verb of a command in its usage line (redis bigkeys was missing)', () => {
		const usage = commandHelp.redis.usage;
		for (const [, verb] of commandHelp.redis.about.matchAll(/^(\w+)(?: [A-Z]+)?:/gm)) expect(usage, verb).toMatch(new RegExp(`(^|\\| )${verb}\\b`));
		expect(usage).toContain('bigkeys [PATTERN] [--top N]');
	});

	it('lists every one-shot command the CLI knows', () => {
		// the commands are the keys of the help texts (source/commands/help.ts): one place
		expect(commandNames.length).toBeGreaterThanOrEqual(14);
		for (const name of [...commandNames, 'help']) expect(readme, name).toMatch(new RegExp(`^opsdeck ${name}\\b`, 'm'));
	});

	it('gives opsdeck only flags it has (flags.ts)', () => {
		const known = new Set(Object.keys(flagSpec).map(name => kebab(name)));
		// systemctl's --now and redis-cli's --memkeys are not ours
		const ours = readme.split('\n').filter(line => !/systemctl|npm |npx vitest|redis-cli/.test(line));
		const flags = new Set(ours.flatMap(line => [...line.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map(([, flag]) => flag!)));
		expect(flags.size).toBeGreaterThan(20);
		for (const flag of flags) expect(known, `--${flag}`).toContain(flag);
	});

	it('shows only command lines the CLI takes (the argv pass finds nothing wrong, the command exists)', () => {
		const lines = readmeCommandLines();
		expect(lines.length).toBeGreaterThan(40);
		for (const {line, args} of lines) {
			expect(readArgv(args).problem, line).toBeUndefined();
			const command = args.find(arg => !arg.startsWith('-'));
			if (command !== undefined && args.indexOf(command) === 0) expect(isCommand(command) || command === 'help', line).toBe(true);
		}
	});

	it("lists each command with the usage its --help prints, and says what that help holds", () => {
		for (const name of commandNames) {
			const usage = commandHelp[name].usage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			expect(readme, name).toMatch(new RegExp(`^opsdeck ${name} +${usage}`, 'm'));
		}
		// "prints that command's usage line, what it does, its options and examples"
		const help = commandHelpText('demo');
		expect(help).toMatch(/^ {2}Usage: opsdeck demo \[--traffic]/m);
		expect(help).toMatch(/^ {2}Fills the configured backends/m);
		expect(help).toMatch(/^ {2}Options\n {4}--chats N/m);
		expect(help).toMatch(/^ {2}Examples\n {4}\$ opsdeck demo/m);
		expect(readme).toContain("prints that command's usage line, what it does, its options and examples");
	});
});
