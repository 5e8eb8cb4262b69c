// A household member while the records are being built: the composed draft plus the name and dates given to it.
import type { Draft } from './household-draft.ts';
import type { NameEntry } from './name-data.ts';

/** Separates family and given name in a full name, as on the 住民票. */
export const IDEOGRAPHIC_SPACE = '\u3000';

/** Dates are day numbers (see calendar.ts). */
export interface Person {
  draft: Draft;
  birthDay: number;
  family: NameEntry;
  given: NameEntry;
  registeredDay: number;
  /** `氏　名`, as the 筆頭者 field of other members' records spells it. */
  fullName: string;
}
