// A household as composed, before anyone has a name or a date: each member's role, sex, age, surname line and 戸籍.
import type { Relationship, Sex } from '../import-row.ts';
import type { ForeignNationality, ResidenceStatus } from './name-data.ts';

/** Which 戸籍 a member belongs to, relative to the household. */
export type KosekiGroup = 'head' | 'parents' | 'wifeParents' | 'childFamily' | 'own';
/** Whose family name a member carries. */
export type SurnameLine = 'household' | 'wifeFamily' | 'own';
/** Who is 筆頭者 of the head's 戸籍: the head, her husband in the household, a late/absent husband, or the head's father. */
export type KosekiMode = 'self' | 'husband' | 'lateHusband' | 'father';

export interface ForeignDraft {
  nationality: ForeignNationality;
  status: ResidenceStatus;
}

export interface Draft {
  relationship: Relationship;
  sex: Sex;
  age: number;
  line: SurnameLine;
  koseki: KosekiGroup;
  foreign: ForeignDraft | null;
}

/** A composed household, head (世帯主) first. */
export interface Shape {
  members: Draft[];
  mode: KosekiMode;
}

/** A draft member; by default Japanese, carrying the household surname and in the head's 戸籍. */
export function draft(relationship: Relationship, sex: Sex, age: number, rest: Partial<Draft> = {}): Draft {
  return { relationship, sex, age, line: 'household', koseki: 'head', foreign: null, ...rest };
}
