// 印鑑登録 of household members, each with a small SVG image of the registered seal.
import { anniversary, isoOf, randomDayBetween } from './calendar.ts';
import type { Person } from './person.ts';
import type { RunState } from './run-state.ts';

/** A 印鑑登録 of one member. */
export interface SyntheticSeal {
  memberIndex: number;
  /** 登録番号, unique within the run (one run = one municipality). */
  registrationNo: string;
  /** A small SVG of a red round seal with the surname written vertically. */
  imageSvg: string;
  registeredOn: string;
}

/** Probability of a registered seal by age: rare among teenagers, common from middle age. */
function sealProbability(age: number): number {
  return age < 15 ? 0 : age < 20 ? 0.08 : age < 25 ? 0.3 : age < 30 ? 0.45 : age < 40 ? 0.58 : 0.62;
}

/** The seals registered by members of one household, numbered on from the previous household's. */
export function sealsFor(state: RunState, people: Person[]): SyntheticSeal[] {
  const { prng, ref } = state;
  const seals: SyntheticSeal[] = [];
  people.forEach((p, memberIndex) => {
    if (!prng.chance(sealProbability(p.draft.age))) return;
    // 印鑑登録 needs a resident aged 15 or over.
    const from = Math.max(p.registeredDay, anniversary(p.birthDay, 15));
    // A seal cannot carry Latin letters well; such surnames are engraved in their katakana reading.
    const latin = /[A-Za-z]/.test(p.family[0]);
    seals.push({
      memberIndex,
      registrationNo: String(++state.sealCount).padStart(8, '0'),
      imageSvg: renderSealSvg(latin ? p.family[1] : p.family[0]),
      registeredOn: isoOf(randomDayBetween(prng, from, ref.day)),
    });
  });
  return seals;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * A small SVG of a red round 印鑑 with `surname` written top to bottom. Each character is its own
 * <text> element because `writing-mode` is unevenly supported by SVG renderers.
 */
export function renderSealSvg(surname: string): string {
  const chars = Array.from(surname);
  const size = Math.min(22, Math.floor(42 / Math.max(1, chars.length)));
  const top = 32 - (chars.length * size) / 2;
  const glyphs = chars
    .map((c, i) => `<text x="32" y="${(top + (i + 0.5) * size).toFixed(1)}" font-size="${size}" text-anchor="middle" dominant-baseline="central">${escapeXml(c)}</text>`)
    .join('');
  return '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    + '<circle cx="32" cy="32" r="29" fill="none" stroke="#c8161d" stroke-width="3"/>'
    + `<g fill="#c8161d" font-family="'Noto Serif JP','Hiragino Mincho ProN','Yu Mincho',serif" font-weight="700">${glyphs}</g></svg>`;
}
