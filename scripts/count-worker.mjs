// Where `logs --count`'s worker (source/logs/count-worker.ts) runs from. source/logs/count.ts starts
// it from `new URL('./count-worker.js', import.meta.url)`: right in the tsc build, where
// count-worker.js sits beside count.js. In the bundle, count.js is inside a script (opsdeck.logs.js,
// opsdeck.script.js) that bin.js runs as a function expression, and no count-worker.js is beside it:
// scripts/bundle.mjs builds the worker on its own into build/bundle/count-worker.cjs and this plugin
// points that expression at it. When the expression is not found the build stops (a worker that
// cannot start is not an error at run time: the main thread counts every block itself, at half the
// speed, which only a benchmark would show).
import fs from 'node:fs';
import path from 'node:path';

/** the worker's module in the tsc build of the repository `root` (its bundle's entry) */
export const builtCountWorker = root => path.join(root, 'build/logs/count-worker.js');
export const countWorkerFile = 'count-worker.cjs';
const expression = "new URL('./count-worker.js', import.meta.url)";

/** The bundle's plugin: build/logs/count.js starts the worker from `relative` (to its own output file). */
export function bundledCountWorkerUrl(relative) {
	return {
		name: 'count-worker-url',
		setup(b) {
			b.onLoad({filter: /[\\/]build[\\/]logs[\\/]count\.js$/}, args => {
				const source = fs.readFileSync(args.path, 'utf8');
				const found = source.split(expression).length - 1;
				if (found !== 1) throw new Error(`scripts/count-worker.mjs: ${args.path} should hold \`${expression}\` once (found ${found} times); update scripts/count-worker.mjs with the way it starts the worker now`);
				return {contents: source.replace(expression, () => `new URL(${JSON.stringify(relative)}, import.meta.url)`), loader: 'js'};
			});
		},
	};
}
