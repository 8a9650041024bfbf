// build/bundle/opsdeck.logs.js's entry (lean.ts): a plain `logs` line. logs uses no backend
// (run-line.ts's lean set): no driver is bundled.
import * as logs from '../commands/logs.js';
import {leanStart} from './lean.js';

export const start = (): boolean => leanStart('logs', logs, () => {
	throw new Error('logs uses no backend');
});
