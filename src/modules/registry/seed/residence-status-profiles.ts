// Typical age, family situation and length of stay for each 在留資格, used to shape foreign households and their records.
import type { ResidenceStatus } from './name-data.ts';
import type { Prng } from './prng.ts';

export interface StatusProfile {
  /** Age range of the main person holding this status. */
  ages: [number, number];
  /** Probability that they live with a spouse (and maybe children). */
  familyShare: number;
  /** Typical 在留期間 in years; null for statuses without one (永住者, 特別永住者). */
  periodYears: number | null;
  /** How far back their move-in may lie, in years. */
  stayYears: number;
}

/** For statuses without a profile of their own in STATUS_PROFILES (研究, 介護, 家族滞在 …). */
const DEFAULT_PROFILE: StatusProfile = { ages: [20, 60], familyShare: 0.3, periodYears: 3, stayYears: 10 };

const STATUS_PROFILES: Partial<Record<ResidenceStatus, StatusProfile>> = {
  '技能実習': { ages: [19, 35], familyShare: 0, periodYears: 1, stayYears: 3 },
  '特定技能': { ages: [20, 40], familyShare: 0, periodYears: 1, stayYears: 5 },
  '特定活動': { ages: [20, 40], familyShare: 0, periodYears: 1, stayYears: 3 },
  '留学': { ages: [18, 30], familyShare: 0.08, periodYears: 2, stayYears: 4 },
  '技術・人文知識・国際業務': { ages: [22, 50], familyShare: 0.35, periodYears: 3, stayYears: 10 },
  '技能': { ages: [25, 55], familyShare: 0.45, periodYears: 3, stayYears: 12 },
  '経営・管理': { ages: [30, 65], familyShare: 0.5, periodYears: 3, stayYears: 12 },
  '教育': { ages: [24, 60], familyShare: 0.3, periodYears: 3, stayYears: 10 },
  '高度専門職': { ages: [28, 55], familyShare: 0.5, periodYears: 5, stayYears: 8 },
  '定住者': { ages: [20, 70], familyShare: 0.6, periodYears: 3, stayYears: 25 },
  '永住者': { ages: [25, 85], familyShare: 0.55, periodYears: null, stayYears: 30 },
  '特別永住者': { ages: [25, 100], familyShare: 0.5, periodYears: null, stayYears: 80 },
  '日本人の配偶者等': { ages: [20, 70], familyShare: 0, periodYears: 3, stayYears: 20 },
  '永住者の配偶者等': { ages: [20, 70], familyShare: 0, periodYears: 3, stayYears: 20 },
};

/** The profile of a 在留資格, or a generic one for the less common statuses. */
export function profileOf(status: ResidenceStatus): StatusProfile {
  return STATUS_PROFILES[status] ?? DEFAULT_PROFILE;
}

/** The status of a foreign head's spouse and children, which follows from the head's. */
export const DEPENDANT_STATUS: Partial<Record<ResidenceStatus, (prng: Prng, who: 'spouse' | 'child') => ResidenceStatus>> = {
  '技術・人文知識・国際業務': () => '家族滞在',
  '技能': () => '家族滞在',
  '経営・管理': () => '家族滞在',
  '教育': () => '家族滞在',
  '高度専門職': () => '家族滞在',
  '留学': () => '家族滞在',
  '永住者': (prng, who) => (prng.chance(who === 'spouse' ? 0.6 : 0.5) ? '永住者' : '永住者の配偶者等'),
};
