// Colour in the console, decided once before the first frame. Ink draws every colour through the
// one chalk instance it imports (Text's color/backgroundColor, Box's borderColor): replacing that
// instance's colour builders turns colour off or changes it everywhere at once, tabs written later
// included, without a prop to thread through each of them.
//   - NO_COLOR (any non-empty value) or --no-color: every foreground and background colour is the
//     text itself; bold, inverse, underline and dim stay (they are not colour, no-color.org), so the
//     highlighted row, the active tab and headings still show.
//   - THEME=high-contrast: no dim or grey text (it is drawn in the terminal's own foreground), and
//     each colour its bright variant in bold.
// A state is never carried by colour alone: every coloured state also has its word (DOWN, FAILED,
// the verdict), so nothing is lost without colour.
import chalk, {backgroundColorNames, foregroundColorNames} from 'chalk';
import type {Config} from '../config/config.js';

const plain = (text: string) => text;
const builders = ['hex', 'bgHex', 'rgb', 'bgRgb', 'ansi256', 'bgAnsi256'] as const;
const greys = ['gray', 'grey', 'blackBright'];
const hues = ['red', 'green', 'yellow', 'blue', 'magenta', 'cyan'] as const;

function replace(name: string, value: unknown): void {
	// an own property in front of chalk's prototype getter; `name in chalk` (Ink's check) stays true
	Object.defineProperty(chalk, name, {value, configurable: true, writable: true});
}

export type ColourMode = Pick<Config, 'noColor' | 'theme'>;

export function applyColourMode({noColor, theme}: ColourMode, argv: readonly string[] = process.argv): void {
	if (theme === 'high-contrast') {
		replace('dim', plain);
		for (const name of greys) replace(name, plain);
		if (!noColor) for (const hue of hues) replace(hue, chalk[`${hue}Bright`].bold);
	}
	if (!noColor) return;
	for (const name of [...foregroundColorNames, ...backgroundColorNames]) replace(name, plain);
	for (const name of builders) replace(name, () => plain);
	// chalk reads `--no-color` in argv itself and turns off bold and inverse too, which would hide the
	// highlighted row: on a terminal that has them, they come back (colours stay off, above)
	const flagOnly = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--no-color');
	if (chalk.level === 0 && flagOnly && process.stdout.isTTY && process.env.TERM !== 'dumb' && process.env.FORCE_COLOR !== '0') chalk.level = 1;
}
