// Where the backup worker (source/backups/worker-thread/run.ts) runs from. source/backups/worker.ts
// starts it from `new URL('./worker-thread/run.js', import.meta.url)`: right in the tsc build, where
// run.js sits beside worker.js. The bundle and the tests that run the TypeScript sources have no
// such file beside the code that starts the worker, so they point that expression at their own
// build of the worker; when the expression is not found the build stops (a worker that cannot be
// found would only fail at the first backup).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

/** the worker's module in the tsc build of the repository `root` (the bundle's second entry) */
export const builtWorker = root => path.join(root, 'build/backups/worker-thread/run.js');
export const workerUrlExpression = "new URL('./worker-thread/run.js', import.meta.url)";

/** `source` (the text of worker.ts or worker.js) with the worker's URL replaced by `expression`. */
export function pointWorkerUrl(source, expression, file) {
	const found = source.split(workerUrlExpression).length - 1;
	if (found !== 1) throw new Error(`scripts/backup-worker.mjs: ${file} should hold \`${workerUrlExpression}\` once (found ${found} times); update scripts/backup-worker.mjs with the way it starts the worker now`);
	return source.replace(workerUrlExpression, () => expression);
}

/** The bundle's plugin: build/backups/worker.js starts the worker from `relative` (to its own output file). */
export function bundledWorkerUrl(relative) {
	return {
		name: 'backup-worker-url',
		setup(b) {
			b.onLoad({filter: /[\\/]build[\\/]backups[\\/]worker\.js$/}, args => ({
				contents: pointWorkerUrl(fs.readFileSync(args.path, 'utf8'), `new URL(${JSON.stringify(relative)}, import.meta.url)`, args.path),
				loader: 'js',
			}));
		},
	};
}

const fromSource = new Map();
/**
 * For tests that run the TypeScript sources (vitest, or a child bundled from them): the worker built
 * from source/backups/worker-thread/run.ts (beside `workerTs`, the worker.ts being loaded) into the
 * temp folder, named by its content (so concurrent test processes and worktrees never overwrite each
 * other's), and its file URL.
 */
export function sourceWorkerUrl(workerTs) {
	const entry = path.join(path.dirname(workerTs), 'worker-thread', 'run.ts');
	if (!fromSource.has(entry)) {
		fromSource.set(entry, (async () => {
			const {build} = await import('esbuild');
			// CommonJS, as in the bundle (scripts/bundle.mjs says why)
			const result = await build({entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'error'});
			const code = result.outputFiles[0].text;
			const file = path.join(os.tmpdir(), `opsdeck-backup-worker-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
			if (!fs.existsSync(file)) {
				const temp = `${file}.${process.pid}.tmp`;
				fs.writeFileSync(temp, code);
				fs.renameSync(temp, file);
			}
			return pathToFileURL(file).href;
		})());
	}
	return fromSource.get(entry);
}

const workerTs = /[\\/]source[\\/]backups[\\/]worker\.ts$/;

/** vitest (vite) plugin: source/backups/worker.ts starts the worker built from source. */
export function sourceWorkerForVitest() {
	return {
		name: 'backup-worker-from-source',
		// before esbuild turns the TypeScript into JavaScript (and rewrites its quotes)
		enforce: 'pre',
		async transform(code, id) {
			const file = id.split('?')[0];
			if (!workerTs.test(file)) return undefined;
			return {code: pointWorkerUrl(code, `new URL(${JSON.stringify(await sourceWorkerUrl(file))})`, file), map: null};
		},
	};
}

/** esbuild plugin for a test's child process bundled from the sources: the same. */
export function sourceWorkerForEsbuild() {
	return {
		name: 'backup-worker-from-source',
		setup(b) {
			b.onLoad({filter: workerTs}, async args => ({
				contents: pointWorkerUrl(fs.readFileSync(args.path, 'utf8'), `new URL(${JSON.stringify(await sourceWorkerUrl(args.path))})`, args.path),
				loader: 'ts',
			}));
		},
	};
}
