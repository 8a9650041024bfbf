// Preloaded into a child opsdeck (NODE_OPTIONS=--require ...) by the `logs --count` tests: wraps
// worker_threads.Worker so that, when a worker posts `done` (count-worker.ts's last message), one line
// goes to stderr: `count worker: N blocks counted, done`. A worker that never ran its code (the
// bundle's, until 2026-12-01) posts nothing, and the line is missing.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
const fs = require('node:fs');
const threads = require('node:worker_threads');
const Worker = threads.Worker;
threads.Worker = class extends Worker {
	constructor(...args) {
		super(...args);
		let blocks = 0;
		this.on('message', message => {
			if (message && typeof message.block === 'number') blocks++;
			else if (message && message.done === true) fs.writeSync(2, `count worker: ${blocks} blocks counted, done\n`);
		});
	}
};
