// What the main thread (../worker.ts) and a backup worker thread (run.ts) say to each other. Types
// only: nothing here runs, so both sides import it without loading the other.

export type TableCounts = Record<string, number | null>;

export type SnapshotResult = {
	readonly sizeBytes: number;
	readonly pageCount: number;
	readonly pageSize: number;
	readonly tables: TableCounts;
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
export type FollowResult = {
	readonly sha256: string;
	readonly sizeBytes: number;
	/** hashed before the writer finished (overlapped with its fsync) and found unchanged afterwards */
	readonly early: boolean;
};

export type SnapshotTask = {readonly kind: 'snapshot'; readonly source: string; readonly dest: string};
export type FollowTask = {readonly kind: 'follow'; readonly file: string; readonly expectedBytes: number; readonly quietMs: number};
export type InspectTask = {readonly kind: 'inspect'; readonly file: string; readonly check?: 'quick' | 'integrity' | 'open'; readonly hash?: boolean; readonly counts?: boolean};
export type CopyTask = {readonly kind: 'copy'; readonly source: string; readonly dest: string};
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

export type WorkerTask = (SnapshotTask | FollowTask | InspectTask | CopyTask | LockTask | DrillTask) & {
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

export type TaskResult = SnapshotResult | InspectResult | SettleResult | FollowResult | CopyResult | DrillPartResult;

export type WorkerProgress = {
	readonly phase: 'copy' | 'hash' | 'count' | 'check';
	readonly totalBytes?: number;
	/** copy: bytes copied so far */
	readonly doneBytes?: number;
};

/** what a worker is started with: its task, and better-sqlite3 as resolved by the main thread */
export type WorkerData = {readonly task: WorkerTask; readonly driver: string};

/** worker → main thread */
export type WorkerMessage =
	| ({readonly type: 'progress'} & WorkerProgress)
	| {readonly type: 'locked'; readonly lock: SettleResult}
	| {readonly type: 'done'; readonly result: TaskResult}
	| {readonly type: 'error'; readonly message: string; readonly code: unknown};

/** main thread → worker: go (waitForGo), final (follow: the writer is done), release (lock) */
export type ControlMessage = {readonly type: 'go' | 'final' | 'release'};
