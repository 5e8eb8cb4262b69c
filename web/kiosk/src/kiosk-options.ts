// Settings a kiosk page takes from its query string (tests shorten the timers), with their defaults.

export interface KioskOptions {
  /** A session ends this long after the last input (`?idle=` seconds; default 60, as docs/issuance.md step 8). */
  idleMs: number;
  /** The warning shows for this last part of it (`?warn=` seconds; default 15, at most half of idle). */
  warnMs: number;
  /** Simulated printing time per copy (`?print=` ms; default 1200). */
  printMs: number;
  /** How often the start and out-of-hours screens ask the centre whether it is open (`?poll=` seconds; default 60). */
  pollMs: number;
  /** The timed-out reminder goes back to the start after this long (default 20 s). */
  reminderMs: number;
}

export function readKioskOptions(search: string): KioskOptions {
  const query = new URLSearchParams(search);
  const number = (name: string, fallback: number, min: number) => {
    const value = Number(query.get(name));
    return query.has(name) && Number.isFinite(value) && value >= min ? value : fallback;
  };
  const idle = number('idle', 60, 1);
  return {
    idleMs: idle * 1000,
    warnMs: Math.min(number('warn', 15, 0), idle / 2) * 1000,
    printMs: number('print', 1200, 0),
    pollMs: number('poll', 60, 1) * 1000,
    reminderMs: Math.max(idle, 20) * 1000,
  };
}
