// 生年月日 of a household's members, consistent with their ages and with each other (parents, siblings, twins).
import type { Relationship } from '../import-row.ts';
import { anniversary, birthWindow, type ReferenceDate } from './calendar.ts';
import type { Draft } from './household-draft.ts';
import type { Prng } from './prng.ts';

const SIBLING_RELATIONSHIPS: ReadonlySet<Relationship> = new Set(['兄', '弟', '姉', '妹']);

/**
 * Birth days within each member's age: every child born on or after both parents' 18th
 * birthdays, and children of one couple either twins (same day) or at least 300 days apart.
 * Members are dated eldest first so parents are always dated before their children.
 */
export function assignBirthDays(prng: Prng, ref: ReferenceDate, drafts: readonly Draft[]): number[] {
  const indicesOf = (...relationships: Relationship[]) =>
    drafts.flatMap((d, i) => (relationships.includes(d.relationship) && d.koseki !== 'childFamily' ? [i] : []));
  const parentsOf = (d: Draft): number[] => {
    switch (d.relationship) {
      case '子': return indicesOf('世帯主', '妻', '夫');
      case '孫': return drafts.flatMap((x, i) => (x.relationship === '子の妻' || (x.relationship === '子' && x.koseki === 'childFamily') ? [i] : []));
      case '世帯主': return indicesOf('父', '母');
      case '妻': return indicesOf('妻の父', '妻の母');
      default: return [];
    }
  };
  const hasSiblings = drafts.some((d) => SIBLING_RELATIONSHIPS.has(d.relationship));
  const groupOf = (d: Draft): string | null =>
    d.relationship === '子' || d.relationship === '孫' ? d.relationship
      : hasSiblings && (d.relationship === '世帯主' || SIBLING_RELATIONSHIPS.has(d.relationship)) ? 'siblings' : null;

  const births: number[] = drafts.map(() => 0);
  const lastOfGroup = new Map<string, number>();
  const order = drafts.map((_, i) => i).sort((x, y) => drafts[y]!.age - drafts[x]!.age || x - y);
  for (const i of order) {
    const d = drafts[i]!;
    let [lo, hi] = birthWindow(ref, d.age);
    for (const parent of parentsOf(d)) {
      if (parent !== i && drafts[parent]!.age > d.age) lo = Math.max(lo, anniversary(births[parent]!, 18));
    }
    const group = groupOf(d);
    const previous = group === null ? undefined : lastOfGroup.get(group);
    if (previous !== undefined && drafts[previous]!.age === d.age) {
      births[i] = births[previous]!;
    } else {
      if (previous !== undefined && drafts[previous]!.age === d.age + 1) lo = Math.max(lo, births[previous]! + 300);
      births[i] = prng.int(lo, Math.max(lo, hi));
    }
    if (group !== null) lastOfGroup.set(group, i);
  }
  return births;
}
