// 住民となった年月日 of a household's members: when each came to live in the municipality.
import { anniversary, randomDayBetween } from './calendar.ts';
import type { Person } from './person.ts';
import { profileOf } from './residence-status-profiles.ts';
import type { RunState } from './run-state.ts';

/**
 * Heads either were born here or moved in (recent moves more common), their
 * families arrived with them or were born here later, and parents or lodgers joined afterwards.
 */
export function assignRegisteredDays(state: RunState, people: Person[], foreignHousehold: boolean): void {
  const { prng, ref } = state;
  const head = people[0]!;
  if (foreignHousehold) {
    const status = head.draft.foreign!.status;
    const stayDays = profileOf(status).stayYears * 365;
    const bornHere = status === '特別永住者' && prng.chance(0.6);
    const arrival = bornHere ? head.birthDay : Math.max(head.birthDay, ref.day - prng.int(0, stayDays));
    for (const p of people) p.registeredDay = Math.max(p.birthDay, arrival);
    return;
  }
  const adult = anniversary(head.birthDay, 18);
  const start = Math.max(adult, ref.day - 45 * 365);
  const bornHere = prng.chance(0.3);
  const u = prng.next();
  // Squaring skews move-ins towards recent years, as the 住民基本台帳人口移動報告 shows.
  const moveIn = bornHere ? randomDayBetween(prng, start, ref.day) : ref.day - Math.floor((ref.day - start) * u * u);
  for (const p of people) {
    const core = p.draft.koseki === 'head' || p.draft.koseki === 'childFamily' || p.draft.foreign !== null;
    if (p === head) p.registeredDay = bornHere ? head.birthDay : moveIn;
    else if (core) p.registeredDay = Math.max(p.birthDay, moveIn);
    else p.registeredDay = Math.max(p.birthDay, randomDayBetween(prng, moveIn, ref.day));
  }
}
