// What the main thread (../worker.ts) and a backup worker thread (run.ts) say to each other. Types
// only: nothing here runs, so both sides import it without loading the other.

export type TableCounts = Record<string, number | null>;

export type SnapshotResult = {
	readonly sizeBytes: number;
	readonly pageCount: number;
	readonly pageSize: number;
	readonly tables: TableCounts;
	/** copied byte for byte under a read transaction (not through the backup API) */
	readonly raw?: boolean;
};

export type InspectResult = {
	readonly sizeBytes: number;
	readonly sha256: string | undefined;
	readonly pageCount: number;
	readonly pageSize: number;
	readonly tables: TableCounts;
	/** 'ok', or the first problems quick_check / integrity_check reported */
	readonly check: string | undefined;
	/** SQLite could not open or read the file */
	readonly error: string | undefined;
};

/** follow: the sha256 of a file another worker is writing, and whether those bytes are the final ones. */
/** hash: the sha256 of exactly sizeBytes bytes */
export type HashResult = {readonly sha256: string; readonly sizeBytes: number};

export type FollowResult = {
	readonly sha256: string;
	readonly sizeBytes: number;
	/** hashed before the writer finished (overlapped with its fsync) and found unchanged afterwards */
	readonly early: boolean;
};

/**
 * snapshot: with `raw`, when the source file itself is the snapshot while a read transaction is held
 * (no WAL, an empty WAL, or a WAL entirely checkpointed), it is copied byte for byte under that read
 * transaction, said by a 'progress' message with `raw: true` (a 'hash' task then hashes those bytes of
 * the source), and the read transaction is held until the main thread posts {type: 'release'}.
 * Otherwise SQLite's backup API copies the pages (a 'follow' task hashes the copy).
 */
export type SnapshotTask = {readonly kind: 'snapshot'; readonly source: string; readonly dest: string; readonly raw?: boolean};
/**
 * hash: the sha256 of the first `bytes` bytes of `file`, the length given with {type: 'go', bytes}
 * when started with waitForGo. `growing`: the file is being written by another task, start to end;
 * its bytes are hashed as they arrive (see thread.ts sha256).
 */
export type HashTask = {readonly kind: 'hash'; readonly file: string; readonly bytes?: number; readonly growing?: boolean};
export type FollowTask = {readonly kind: 'follow'; readonly file: string; readonly expectedBytes: number; readonly quietMs: number};
export type InspectTask = {readonly kind: 'inspect'; readonly file: string; readonly check?: 'quick' | 'integrity' | 'open'; readonly hash?: boolean; readonly counts?: boolean};
/** copy: `hash: false` leaves the sha256 to a 'hash' task following the copy (sha256 is then '') */
export type CopyTask = {readonly kind: 'copy'; readonly source: string; readonly dest: string; readonly hash?: boolean};
export type LockTask = {readonly kind: 'lock'; readonly file: string; readonly busyTimeoutMs: number};

/** drill: part of a restore drill's checks on the scratch copy (worker-thread/drill.ts) */
export type DrillTask = {readonly kind: 'drill'; readonly file: string; readonly hash?: boolean; readonly integrity?: boolean; readonly relations?: boolean; readonly counts?: boolean; readonly checks?: readonly string[]};

export type ForeignKeyProblem = {readonly table: string; readonly rowid: number | null; readonly parent: string; readonly fkid: number};

/** one DRILL_CHECKS query: ok when its first column of its first row is truthy */
export type DrillCheck = {readonly sql: string; readonly ok: boolean; readonly value?: string | number | null; readonly error?: string};

export type DrillPartResult = {
	readonly sha256?: string;
	/** 'ok' or the first problems */
	readonly integrity?: string;
	readonly foreignKeys?: {readonly count: number; readonly samples: readonly ForeignKeyProblem[]};
	readonly tables?: TableCounts;
	readonly checks?: readonly DrillCheck[];
};

export type WorkerTask = (SnapshotTask | HashTask | FollowTask | InspectTask | CopyTask | LockTask | DrillTask) & {
	/** start the worker (thread, SQLite driver loaded) now but the task only when posted {type: 'go'} */
	readonly waitForGo?: boolean;
};

/** copy: the bytes copied, and the sha256 of exactly those bytes (hashed as they were read). */
export type CopyResult = {readonly sha256: string; readonly sizeBytes: number};

/**
 * lock: whether another connection holds a write transaction (busy), and the WAL folded into the
 * file when it could be. Unless busy, the task then holds the write lock (BEGIN IMMEDIATE) and says
 * so with a 'locked' message carrying this result (onLocked), until it is posted {type: 'release'}.
 */
export type SettleResult = {
	readonly busy: boolean;
	/** the write lock is held (until release) */
	readonly locked: boolean;
	readonly checkpointed: boolean;
	/** the checkpoint wrote pages into the file (its bytes changed) */
	readonly changed: boolean;
	readonly journalMode: string | undefined;
	readonly error: string | undefined;
};

export type TaskResult = SnapshotResult | HashResult | InspectResult | SettleResult | FollowResult | CopyResult | DrillPartResult;

export type WorkerProgress = {
	readonly phase: 'copy' | 'hash' | 'count' | 'check';
	readonly totalBytes?: number;
	/** copy: bytes copied so far */
	readonly doneBytes?: number;
	/** snapshot, copy: the source file is copied byte for byte under a read transaction (see SnapshotTask) */
	readonly raw?: boolean;
	/** raw snapshot: its descriptor of the source, for the hash task to read through (never to close) */
	readonly fd?: number;
};

/** what a worker is started with: its task, and better-sqlite3 as resolved by the main thread */
export type WorkerData = {readonly task: WorkerTask; readonly driver: string};

/** worker → main thread */
export type WorkerMessage =
	| ({readonly type: 'progress'} & WorkerProgress)
	| {readonly type: 'locked'; readonly lock: SettleResult}
	| {readonly type: 'done'; readonly result: TaskResult}
	| {readonly type: 'error'; readonly message: string; readonly code: unknown};

/** main thread → worker: go (waitForGo; a hash task's length with it), final (follow: the writer is done), release (lock, raw snapshot) */
export type ControlMessage = {readonly type: 'go' | 'final' | 'release'; readonly bytes?: number; readonly fd?: number};
