// build/bundle/opsdeck.keys.js's entry (lean.ts): a plain `keys` line.
import * as keys from '../commands/keys.js';
import {leanStart} from './lean.js';

export const start = (): boolean => leanStart('keys', keys, async () => import('../backends/index.js'));
