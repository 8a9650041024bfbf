// Types of scripts/patch-targets.mjs for the tests that use it.
export type PatchTarget = {readonly version: string; readonly sha256: string};
export declare const patchTargets: Readonly<Record<string, PatchTarget>>;
export declare class PatchTargetError extends Error {}
export declare function checkPatchTargets(modulesDir: string, targets?: Readonly<Record<string, PatchTarget>>): void;
export declare function patchGuard(modulesDir: string, targets?: Readonly<Record<string, PatchTarget>>): {read(file: string): string | undefined; missed(): string[]};
export declare function replaceOnce(source: string, from: string, to: string, file: string): string;
export declare function packageDir(relative: string): string;
