// When コンビニ交付 is open: 6:30–23:00 JST every day except 29 December – 3 January, minus each municipality's maintenance windows.

/** A planned stop of one municipality's certificate server (or of the whole service when lgCode is null). */
export interface MaintenanceWindow {
  lgCode: string | null;
  from: Date;
  until: Date;
  reason: string;
}

/** Whether the service is open at an instant, and if not, why and when it opens again. */
export type ServiceAvailability =
  | { open: true }
  | { open: false; reason: 'hours' | 'year_end' | 'maintenance'; reopensAt: Date; message: string };

const JST_OFFSET_MS = 9 * 3600_000;
const OPENS_MINUTE = 6 * 60 + 30;
const CLOSES_MINUTE = 23 * 60;

/** JST calendar parts of an instant (JST has no daylight saving). */
function jstParts(at: Date): { year: number; month: number; day: number; minute: number } {
  const shifted = new Date(at.getTime() + JST_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
}

/** The instant of a JST wall-clock time. */
function jstInstant(year: number, month: number, day: number, minute: number): Date {
  return new Date(Date.UTC(year, month - 1, day, 0, minute) - JST_OFFSET_MS);
}

/** 年末年始 (12/29–1/3) is closed all day. */
function isYearEnd(month: number, day: number): boolean {
  return (month === 12 && day >= 29) || (month === 1 && day <= 3);
}

/** The next 6:30 JST at or after `at` that is not in the year-end closure. */
function nextOpening(at: Date): Date {
  let { year, month, day, minute } = jstParts(at);
  if (minute >= OPENS_MINUTE) ({ year, month, day } = jstParts(jstInstant(year, month, day + 1, 0)));
  while (isYearEnd(month, day)) ({ year, month, day } = jstParts(jstInstant(year, month, day + 1, 0)));
  return jstInstant(year, month, day, OPENS_MINUTE);
}

/** 「1月4日 6時30分」 for messages. */
export function formatJstOpening(at: Date): string {
  const { month, day, minute } = jstParts(at);
  return `${month}月${day}日 ${Math.floor(minute / 60)}時${String(minute % 60).padStart(2, '0')}分`;
}

/**
 * Availability for a municipality at an instant. Maintenance windows of that municipality (or of
 * the whole service) close it until the window ends, or until the next opening if that is later.
 *
 * @example serviceAvailability(new Date('2026-12-30T01:00:00Z'), '132047', []) // closed, year_end, reopens 1月4日 6時30分
 */
export function serviceAvailability(at: Date, lgCode: string, windows: readonly MaintenanceWindow[]): ServiceAvailability {
  const { month, day, minute } = jstParts(at);
  if (isYearEnd(month, day)) {
    const reopensAt = nextOpening(at);
    return { open: false, reason: 'year_end', reopensAt, message: `年末年始（12月29日〜1月3日）はご利用いただけません。${formatJstOpening(reopensAt)}から再開します。` };
  }
  if (minute < OPENS_MINUTE || minute >= CLOSES_MINUTE) {
    const reopensAt = nextOpening(at);
    return { open: false, reason: 'hours', reopensAt, message: `ご利用時間は6時30分から23時までです。${formatJstOpening(reopensAt)}から利用できます。` };
  }
  const window = windows.find((w) => (w.lgCode === null || w.lgCode === lgCode) && w.from <= at && at < w.until);
  if (window) {
    const after = serviceAvailability(window.until, lgCode, windows.filter((w) => w !== window));
    const reopensAt = after.open ? window.until : after.reopensAt;
    return { open: false, reason: 'maintenance', reopensAt, message: `システムの保守のため停止しています（${window.reason}）。${formatJstOpening(reopensAt)}から利用できます。` };
  }
  return { open: true };
}
