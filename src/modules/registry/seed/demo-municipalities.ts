// Municipalities the seed command can register by code alone (public facts: name, prefecture, approximate population).

import type { Municipality } from '../contract.ts';

/** A few real municipalities for demos; any other must be registered before seeding. */
export const DEMO_MUNICIPALITIES: readonly Municipality[] = [
  { lgCode: '132047', name: '三鷹市', nameKana: 'ミタカシ', prefecture: '東京都', population: 190000 },
  { lgCode: '131016', name: '千代田区', nameKana: 'チヨダク', prefecture: '東京都', population: 68000 },
  { lgCode: '011002', name: '札幌市', nameKana: 'サッポロシ', prefecture: '北海道', population: 1960000 },
  { lgCode: '141003', name: '横浜市', nameKana: 'ヨコハマシ', prefecture: '神奈川県', population: 3770000 },
  { lgCode: '112011', name: '川越市', nameKana: 'カワゴエシ', prefecture: '埼玉県', population: 350000 },
  { lgCode: '271004', name: '大阪市', nameKana: 'オオサカシ', prefecture: '大阪府', population: 2750000 },
];
