// esbuild plugin: Ink's per-frame output composition and widest-line replaced by versions that cache
// across frames (scripts/ink-fast/*.js; why in their headers). Each is swapped in only when the file
// it replaces still has the shape it was written against; another version is bundled as it is.
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';

const replacements = [
	{
		filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/,
		shape: /class OutputCaches[\s\S]*export default class Output[\s\S]*styledCharsToString\(lineWithoutEmptyItems\)\.trimEnd\(\)/,
		file: fileURLToPath(new URL('output.js', import.meta.url)),
	},
	{
		filter: /[\\/]node_modules[\\/]widest-line[\\/]index\.js$/,
		shape: /^import stringWidth from 'string-width';\s*export default function widestLine\(string\) \{\s*let lineWidth = 0;/,
		file: fileURLToPath(new URL('widest-line.js', import.meta.url)),
	},
];

export const inkFast = {
	name: 'ink-fast',
	setup(b) {
		for (const {filter, shape, file} of replacements) {
			b.onLoad({filter}, args => {
				if (!shape.test(fs.readFileSync(args.path, 'utf8'))) return undefined;
				// resolved from the replaced file's folder: its imports are the original's
				return {contents: fs.readFileSync(file, 'utf8'), loader: 'js'};
			});
		}
	},
};
