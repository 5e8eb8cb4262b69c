// CPU time of other local processes from /proc (Linux): where a benchmark's cycles went, per process and per thread.
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat counts in clock ticks, 100 per second on Linux. */
const TICKS_PER_SECOND = 100;

/** utime + stime of /proc/<pid>[/task/<tid>]/stat in ms, or undefined when the process is not there (not Linux, a remote database). */
function statMs(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * A process's CPU so far: all threads, and its main thread (the Node event loop) alone. Node 20 does not
 * name its threads, so the rest is the libuv pool (WebCrypto signing) and V8's helpers (GC, compiler) together.
 */
export interface CpuSample {
  totalMs: number;
  mainThreadMs: number;
}

export function processCpu(pid: number): CpuSample | undefined {
  const totalMs = statMs(`/proc/${pid}/stat`);
  const mainThreadMs = statMs(`/proc/${pid}/task/${pid}/stat`);
  return totalMs === undefined || mainThreadMs === undefined ? undefined : { totalMs, mainThreadMs };
}

/** Summed CPU of several processes (PostgreSQL backends); undefined when none can be read. */
export function processesCpuMs(pids: readonly number[]): number | undefined {
  let sum: number | undefined;
  for (const pid of pids) {
    const ms = statMs(`/proc/${pid}/stat`);
    if (ms !== undefined) sum = (sum ?? 0) + ms;
  }
  return sum;
}
