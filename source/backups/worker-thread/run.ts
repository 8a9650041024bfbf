// The entry of a backup worker thread (started by ../worker.ts): runs the one task it was given and
// posts its result. It runs as its own module: from the tsc build (build/backups/worker-thread/run.js),
// built beside the bundle (build/bundle/backup-worker.cjs), and, for tests run from the
// TypeScript sources, as a build of this file (scripts/backup-worker.mjs). better-sqlite3 is loaded
// from the absolute path the main thread resolved, so it is the main thread's copy whatever the cwd.
import {createRequire} from 'node:module';
import {parentPort, workerData} from 'node:worker_threads';
import {drillPart} from './drill.js';
import {inspect} from './inspect.js';
import type {ControlMessage, TaskResult, WorkerData, WorkerTask} from './protocol.js';
import {copy, lock} from './restore.js';
import {follow, hash, snapshot} from './snapshot.js';
import {messageOf, nextMessage, type Driver, type Thread} from './thread.js';

function runTask(thread: Thread, task: WorkerTask, go: ControlMessage | undefined): TaskResult | Promise<TaskResult> {
	switch (task.kind) {
		case 'snapshot':
			return snapshot(thread, task);
		case 'hash':
			return hash(task, go);
		case 'follow':
			return follow(thread, task);
		case 'lock':
			return lock(thread, task);
		case 'copy':
			return copy(thread, task);
		case 'inspect':
			return inspect(thread, task);
		case 'drill':
			return drillPart(thread, task);
	}
}

const port = parentPort;
if (!port) throw new Error('the backup worker runs only as a worker thread (../worker.ts starts it)');
const {task, driver} = workerData as WorkerData;
let loaded: Driver | undefined;
// better-sqlite3 loaded by the tasks that open SQLite, on first use: a copy or a hash (two of a
// restore's workers) never needs it, and its load is ~10 ms of CPU in every worker that makes it
const thread: Thread = {
	get Database() {
		loaded ??= createRequire(driver)(driver) as Driver;
		return loaded;
	},
	port,
	post: message => port.postMessage(message),
};

(async () => {
	try {
		const go = task.waitForGo ? await nextMessage(port, 'go') : undefined;
		thread.post({type: 'done', result: await runTask(thread, task, go)});
	} catch (error) {
		thread.post({type: 'error', message: messageOf(error), code: error && (error as {code?: unknown}).code});
	}
})();
