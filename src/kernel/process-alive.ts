// Whether a process id names a running process (a lock or hand-over file left by a process that died is stale).

/** True when `pid` runs (signal 0 reaches it, or it exists under another user: EPERM). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
