// Whether a process still runs, by its pid: signal 0 checks without sending anything. EPERM means
// it runs as another user (alive all the same). Used for the pids in temp names and audit lines.
export function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
