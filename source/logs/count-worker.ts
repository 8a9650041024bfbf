// The worker of `logs --count` (count.ts starts it with the job as workerData): the same file
// (checked by device and inode), the same filter compiled from its spec, the blocks not taken yet;
// each block's count posted as it is done, then `done`. A module of its own so that the bundle can
// build it as one small CommonJS file (build/bundle/count-worker.cjs, scripts/count-worker.mjs): a
// worker starts that faster than an ES module, and the bundle's scripts are function expressions
// that do nothing when a worker runs them as a file.
import fs from 'node:fs/promises';
import {isMainThread, parentPort, workerData} from 'node:worker_threads';
import type {CountJob, CountReport} from './count.js';
import {compileFilter} from './filter.js';
import {grepFile} from './grep.js';
import type {LogFile} from './tail.js';

// (the size count.ts reads with: one buffer a thread)
const readBytes = 4 * 1024 * 1024;

async function countInWorker(job: CountJob): Promise<void> {
	const port = parentPort!;
	const file = await sameFile(job);
	try {
		if (file) {
			const filter = job.spec === undefined ? undefined : compileFilter(job.spec);
			const taken = new Int32Array(job.next);
			const buffer = Buffer.allocUnsafe(readBytes);
			const blocks = job.starts.length - 1;
			for (let i = Atomics.add(taken, 0, 1); i < blocks; i = Atomics.add(taken, 0, 1)) {
				const {matched} = await grepFile(file, {filter, from: job.starts[i], to: job.starts[i + 1], buffer});
				port.postMessage({block: i, count: matched} satisfies CountReport);
			}
		}
	} finally {
		await file?.handle.close();
		port.postMessage({done: true} satisfies CountReport);
	}
}

/** The file the main thread has open: through /proc/self/fd (the same file even if renamed since), else by its path; undefined when neither is it. */
async function sameFile(job: CountJob): Promise<LogFile | undefined> {
	for (const path of [`/proc/self/fd/${job.fd}`, job.path]) {
		try {
			const handle = await fs.open(path, 'r');
			const stat = await handle.stat();
			if (stat.dev === job.dev && stat.ino === job.ino) return {path: job.path, handle, dev: stat.dev, ino: stat.ino, size: stat.size};
			await handle.close();
		} catch {
			// the next way, or none
		}
	}
	return undefined;
}

if (!isMainThread && (workerData as Partial<CountJob> | undefined)?.kind === 'opsdeck-count') void countInWorker(workerData as CountJob);
