// What one generation run carries from household to household: the random stream, the reference date, and the counters that keep numbers unique.
import type { AddressBook } from './address-data.ts';
import type { ReferenceDate } from './calendar.ts';
import type { Prng } from './prng.ts';

export interface RunState {
  prng: Prng;
  ref: ReferenceDate;
  book: AddressBook;
  /** The 年度 of every tax record. */
  fiscalYear: number;
  /** The last 印鑑登録 number issued; numbers are unique within the run. */
  sealCount: number;
  /** 在留カード numbers issued so far, so that none repeats. */
  cardNumbers: Set<string>;
  /** (本籍, 筆頭者) of family registers already emitted: a 戸籍 is identified by the pair. */
  registers: Set<string>;
}
