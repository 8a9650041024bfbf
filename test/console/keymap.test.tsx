// The bottom bar, the `?` help and the keys themselves come from one keymap: an entry added to the
// Status tab's keymap module (and nowhere else) is listed in the bar, written in the help and runs
// when pressed; one that does nothing now is in the help only, and pressing it runs nothing.
import {describe, expect, it, vi} from 'vitest';
import {App} from '../../source/console/app.js';
import {createBackends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {keys, render} from '../helpers/render.js';

const pressed = vi.hoisted((): string[] => []);

vi.mock('../../source/console/tabs/status/keymap.js', async importOriginal => {
	const original = await importOriginal<typeof import('../../source/console/tabs/status/keymap.js')>();
	return {
		...original,
		statusKeymap: (actions: Parameters<typeof original.statusKeymap>[0]) => [
			...original.statusKeymap(actions),
			{key: 'Z', label: 'zap probe', help: 'zap: an entry only the keymap has', run: () => pressed.push('Z')},
			{key: 'Y', label: 'yank probe', help: 'yank: does nothing now', when: false, run: () => pressed.push('Y')},
		],
	};
});

function backends() {
	return createBackends(loadConfig({env: {REDIS_URL: 'redis://127.0.0.1:1/0', DATABASE_URL: 'postgres://127.0.0.1:1/x'}, cwd: '/nonexistent'}));
}

const bar = (screen: string) => screen.split('\n').filter(line => line.trim()).at(-1) ?? '';

describe('one keymap drives the keys, the bottom bar and the help', () => {
	it('an entry added to a tab\'s keymap is in the bar and the help, and pressing it runs it', async () => {
		const app = render(<App backends={backends()} startOnMount={false} />);
		const screen = await app.waitFor(s => bar(s).includes('Z zap probe'));
		expect(bar(screen)).toMatch(/^P reconnect PG +R reconnect Redis +F flush +r refresh +Z zap probe +\? help +q quit$/);
		expect(bar(screen)).not.toContain('yank');

		await app.press('Y');
		await app.press('Z');
		expect(pressed).toEqual(['Z']);

		await app.press('?');
		const help = await app.waitFor('Esc or ? closes this help');
		expect(help).toMatch(/Z +zap: an entry only the keymap has/);
		expect(help).toMatch(/Y +yank: does nothing now/);
		expect(help).toMatch(/F +flush the Redis cache/);
		expect(bar(help)).toMatch(/^Esc close help +q close$/);
		await app.press(keys.escape);
		await app.waitFor(s => !s.includes('closes this help'));
	});

	it('keeps `? help` in the bar of a 40-column terminal', async () => {
		const app = render(<App backends={backends()} startOnMount={false} />);
		await app.waitFor(s => bar(s).includes('? help'));
		// ink-testing-library's stdout is 100 columns wide: narrow it as a resize would
		Object.defineProperty(app.stdout, 'columns', {value: 40, configurable: true});
		app.stdout.emit('resize');
		const screen = await app.waitFor(s => !s.includes('2 Keys'));
		expect(bar(screen)).toMatch(/^P reconnect PG +\? help$/);
	});
});
