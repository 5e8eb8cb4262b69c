// The options a kiosk may choose per certificate type, and their checking: the municipal server's menu (OptionSpec of docs/issuance.md).
import type { CertificateKind } from '../documents/certificate-document.ts';

/** One choice the kiosk shows. */
export interface OptionSpec {
  name: string;
  label: string;
  /** `multiple`: several values (e.g. household members); `single`: one. */
  kind: 'single' | 'multiple';
  choices: { value: string; label: string }[];
  default: string | string[];
}

/** What the kiosk sent, checked and typed. */
export interface ChosenOptions {
  /** 住民票: 世帯連記式 or 個人票. */
  layout?: 'household' | 'individual';
  /** 住民票: `all` or the chosen members' ids. */
  members?: 'all' | string[];
  showHonseki?: boolean;
  showRelationship?: boolean;
  /** 所得・課税証明書: the fiscal year (年度). */
  fiscalYear?: number;
  /** 戸籍証明書: 全部事項 or 個人事項. */
  scope?: 'all' | 'individual';
}

const YES_NO = [{ value: 'no', label: '記載しない' }, { value: 'yes', label: '記載する' }];

/** The menu for one type, given what the person's data allows (members, tax years). */
export function optionSpecs(kind: CertificateKind, context: { members: { id: string; name: string }[]; taxYears: number[] }): OptionSpec[] {
  switch (kind) {
    case 'juminhyo':
      return [
        { name: 'layout', label: '様式', kind: 'single', choices: [{ value: 'household', label: '世帯連記式（世帯全員を1枚に）' }, { value: 'individual', label: '個人票（1人ずつ）' }], default: 'household' },
        { name: 'members', label: '記載する人', kind: 'multiple', choices: [{ value: 'all', label: '世帯全員' }, ...context.members.map((m) => ({ value: m.id, label: m.name }))], default: 'all' },
        { name: 'showHonseki', label: '本籍・筆頭者', kind: 'single', choices: YES_NO, default: 'no' },
        { name: 'showRelationship', label: '続柄', kind: 'single', choices: YES_NO, default: 'yes' },
      ];
    case 'juminhyo_kisai_jiko':
      return [{ name: 'showHonseki', label: '本籍・筆頭者', kind: 'single', choices: YES_NO, default: 'no' }];
    case 'tax':
      return [{ name: 'fiscalYear', label: '年度', kind: 'single', choices: context.taxYears.map((y) => ({ value: String(y), label: `${reiwaYear(y)}年度（${y - 1}年中の所得）` })), default: String(context.taxYears[0] ?? '') }];
    case 'koseki':
      return [{ name: 'scope', label: '種類', kind: 'single', choices: [{ value: 'all', label: '全部事項証明書（戸籍謄本）' }, { value: 'individual', label: '個人事項証明書（戸籍抄本）' }], default: 'all' }];
    default:
      return [];
  }
}

/** 令和N for a Gregorian fiscal year (2019 = 令和元年). */
function reiwaYear(year: number): string {
  const n = year - 2018;
  return n === 1 ? '令和元' : `令和${n}`;
}

/**
 * Checks the kiosk's raw options against the menu; throws a TypeError naming the bad option.
 * Unknown names are refused: a kiosk must not send what the municipality did not offer.
 */
export function checkOptions(kind: CertificateKind, raw: Record<string, unknown> | undefined, specs: OptionSpec[]): ChosenOptions {
  const given = raw ?? {};
  const known = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(given)) if (!known.has(name)) throw new TypeError(`${name} はこの証明書の選択肢にありません`);
  const value = (spec: OptionSpec): string | string[] => (given[spec.name] ?? spec.default) as string | string[];
  const chosen: ChosenOptions = {};
  for (const spec of specs) {
    const v = value(spec);
    const allowed = new Set(spec.choices.map((c) => c.value));
    if (spec.kind === 'multiple') {
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0 || list.some((x) => typeof x !== 'string' || !allowed.has(x)) || (list.includes('all') && list.length > 1)) throw new TypeError(`${spec.label}の選択が正しくありません`);
      if (spec.name === 'members') chosen.members = list.includes('all') ? 'all' : list;
      continue;
    }
    if (typeof v !== 'string' || !allowed.has(v)) throw new TypeError(`${spec.label}の選択が正しくありません`);
    if (spec.name === 'layout') chosen.layout = v as 'household' | 'individual';
    if (spec.name === 'showHonseki') chosen.showHonseki = v === 'yes';
    if (spec.name === 'showRelationship') chosen.showRelationship = v === 'yes';
    if (spec.name === 'fiscalYear') chosen.fiscalYear = Number(v);
    if (spec.name === 'scope') chosen.scope = v as 'all' | 'individual';
  }
  if (kind === 'tax' && !chosen.fiscalYear) throw new TypeError('課税データのある年度がありません');
  return chosen;
}
