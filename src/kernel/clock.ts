// The injectable clock: time is stored in UTC and shown in Japan Standard Time (Asia/Tokyo).

/** Source of the current time; tests pass a fixed clock. */
export interface Clock {
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock frozen at one instant (tests, replay).
 *
 * @example
 * const clock = fixedClock('2026-04-01T00:00:00Z');
 */
export function fixedClock(at: string | Date): Clock & { set(to: string | Date): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (to) => { current = new Date(to); },
    advance: (ms) => { current = new Date(current.getTime() + ms); },
  };
}

/**
 * A running clock that started at `start` (demos and end-to-end tests that must happen at a given
 * time of day, e.g. inside コンビニ交付's service hours): it advances with real time.
 *
 * @example
 * const clock = shiftedClock(new Date('2026-11-24T10:00:00+09:00'));
 */
export function shiftedClock(start: Date, real: Clock = systemClock): Clock {
  const offset = start.getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offset) };
}

const JST_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function jstParts(at: Date): Record<string, string> {
  return Object.fromEntries(JST_PARTS.formatToParts(at).map((p) => [p.type, p.value]));
}

/** The calendar date in Japan at an instant, as `YYYY-MM-DD` (used for 異動日, ages, fiscal years). */
export function jstDate(at: Date): string {
  const p = jstParts(at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** An instant shown in JST: `2026-11-24 04:32:57 JST`. */
export function formatJst(at: Date): string {
  const p = jstParts(at);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} JST`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when `YYYY-MM-DD` names a real calendar date from 1800 on (rejects 2023-02-29, 2024-13-01). */
export function isIsoDate(value: string): boolean {
  // Hot in bulk imports (several dates a row), so no Date object and no regex.
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  if (y < 1800 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** Age in full years on `onDate` for someone born on `birthDate` (both `YYYY-MM-DD`), as the 年齢計算ニ関スル法律 counts it. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  // The law has a person turn a year older at the end of the day before the birthday,
  // which for whole-day dates means: the birthday itself counts as the new age.
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}
