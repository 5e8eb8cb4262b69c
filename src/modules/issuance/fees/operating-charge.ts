// J-LIS's yearly operating charge (コンビニ交付サービス運営負担金) per municipality, by population class (FY2017 table, seed 001).

/** A municipality as the charge classes see it. */
export interface ChargedMunicipality {
  lgCode: string;
  name: string;
  population: number;
}

/** The class and the yearly charge in yen. */
export interface OperatingCharge {
  classJa: string;
  yenPerYear: number;
}

/**
 * 政令指定都市 (designated cities), by 全国地方公共団体コード: the table charges them by their own classes.
 * Source: 総務省's list of the 20 designated cities.
 */
const DESIGNATED_CITIES = new Set([
  '011002', '041009', '111007', '121002', '141003', '141305', '141500', '151009', '221007', '221309',
  '231002', '261009', '271004', '271403', '281000', '331007', '341002', '401005', '401307', '431001',
]);

/**
 * The FY2017 charge (thousand yen per year, after the 10 % reduction) from
 * `../shared/data/001_jlis_konbini_operating_charge_tiers_fy2017.csv`, copied here so the
 * platform carries its own tariff: 政令市 ≥ 1,000,000: 9,700; 政令市 < 1,000,000: 7,700;
 * 市(区) ≥ 150,000: 4,700; 50,000–149,999: 2,700; 市 < 50,000 (new class): 2,200; 町村: 700.
 * 特別区 count as 市(区); a ward under 50,000 takes the 市 < 50,000 class (the table has no row for it).
 */
export function operatingCharge(municipality: ChargedMunicipality): OperatingCharge {
  const { lgCode, name, population } = municipality;
  if (DESIGNATED_CITIES.has(lgCode)) {
    return population >= 1_000_000 ? { classJa: '政令市（100万以上）', yenPerYear: 9_700_000 } : { classJa: '政令市（100万未満）', yenPerYear: 7_700_000 };
  }
  if (/[町村]$/.test(name)) return { classJa: '町村', yenPerYear: 700_000 };
  if (population >= 150_000) return { classJa: '市（区）15万以上', yenPerYear: 4_700_000 };
  if (population >= 50_000) return { classJa: '市（区）5万〜15万', yenPerYear: 2_700_000 };
  return { classJa: '市 5万未満', yenPerYear: 2_200_000 };
}
