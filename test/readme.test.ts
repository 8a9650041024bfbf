// The README promises what a new user sees: its quick start on top, and screenshots that are real
// (each image in media/ is written by `npm run media` and shown by the README, none missing).
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {commandNames} from '../source/commands/help.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const render = fs.readFileSync(path.join(root, 'media/render.mjs'), 'utf8');
const images = fs.readdirSync(path.join(root, 'media')).filter(f => /\.(svg|png|gif)$/.test(f));

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

	it('lists every one-shot command the CLI knows', () => {
		// the commands are the keys of the help texts (source/commands/help.ts): one place
		expect(commandNames.length).toBeGreaterThanOrEqual(14);
		for (const name of [...commandNames, 'help']) expect(readme, name).toMatch(new RegExp(`^opsdeck ${name}\\b`, 'm'));
	});
});
