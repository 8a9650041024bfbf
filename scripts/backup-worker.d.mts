// Types of scripts/backup-worker.mjs for the TypeScript files that use it (vitest.config.ts, tests).
import type {Plugin as EsbuildPlugin} from 'esbuild';

export declare function builtWorker(root: string): string;
export declare const workerUrlExpression: string;
export declare function pointWorkerUrl(source: string, expression: string, file: string): string;
export declare function bundledWorkerUrl(relative: string): EsbuildPlugin;
export declare function sourceWorkerUrl(workerTs: string): Promise<string>;
export declare function sourceWorkerForVitest(): {name: string; enforce: 'pre'; transform(code: string, id: string): Promise<{code: string; map: null} | undefined>};
export declare function sourceWorkerForEsbuild(): EsbuildPlugin;
