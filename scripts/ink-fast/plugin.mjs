// esbuild plugin: Ink's per-frame output composition and widest-line replaced by versions that cache
// across frames (scripts/ink-fast/*.js; why in their headers). Each is swapped in for the exact file
// it was written against (sha256 in scripts/patch-targets.mjs): the build stops on any other.
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import {patchPlugin} from '../patches.mjs';

const swap = file => () => fs.readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8');

// resolved from the replaced file's folder: their imports are the originals'
export const inkFast = guard => [
	patchPlugin(guard, 'ink-fast-output', /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/, swap('output.js')),
	patchPlugin(guard, 'ink-fast-widest-line', /[\\/]node_modules[\\/]widest-line[\\/]index\.js$/, swap('widest-line.js')),
];
