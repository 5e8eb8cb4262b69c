// A municipality's 証明発行サーバ: which certificates it offers to whom, at what fee, and the signed documents (called by the centre over HTTP).
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { jstDate, type Clock } from '../../../kernel/clock.ts';
import { recordStage, timedStage } from '../../../kernel/stage-timings.ts';
import type { RegistryService, StaffPrincipal } from '../../registry/index.ts';
import { CERTIFICATE_KINDS, type CertificateDocument, type CertificateKind } from '../documents/certificate-document.ts';
import { issuanceError } from '../errors.ts';
import { certificateContent, readPerson, RuleRefusal, type PersonData } from './certificate-content.ts';
import { checkOptions, optionSpecs, type OptionSpec } from './certificate-options.ts';
import { OFFERS_KEY, PARTICIPANT_KEY, type ReferenceDataCache } from '../reference-data-cache.ts';

/** Turns a certificate into its printable, signed PDF (documents/: layout, 公印, 地紋, QR, PAdES). */
export type DocumentFactory = (doc: CertificateDocument) => Promise<Uint8Array>;

/** One entry of the kiosk's menu. */
export interface Offer {
  type: CertificateKind;
  title: string;
  feeYen: number;
  target: 'residence' | 'honseki';
  options: OptionSpec[];
  /** False when the rules refuse it for this person (the kiosk shows the reason instead of the button). */
  available: boolean;
  unavailableReason?: string;
}

/** What the centre asks for when the resident has ordered. */
export interface IssueRequest {
  /** The centre's order id: the same order always yields the same serial numbers. */
  orderId: string;
  residentCode: string;
  type: CertificateKind;
  options: Record<string, unknown>;
  copies: number;
  /** 戸籍 requests: the 本籍 and 筆頭者 the resident registered (利用登録). */
  honseki?: { honseki: string; hittosha: string };
}

export const CERTIFICATE_TITLES: Record<CertificateKind, string> = {
  juminhyo: '住民票の写し', juminhyo_kisai_jiko: '住民票記載事項証明書', inkan: '印鑑登録証明書',
  tax: '所得・課税証明書', koseki: '戸籍証明書', koseki_fuhyo: '戸籍の附票の写し',
};

/** Fees the demo municipality starts with (yen per copy; a municipality sets its own, often lower than at the counter). */
export const DEFAULT_FEES: Record<CertificateKind, number> = { juminhyo: 200, juminhyo_kisai_jiko: 200, inkan: 200, tax: 200, koseki: 350, koseki_fuhyo: 200 };

export interface MunicipalServer {
  offers(lgCode: string, request: { residentCode: string; target: 'residence' | 'honseki'; honseki?: { honseki: string; hittosha: string } }): Promise<Offer[]>;
  issue(lgCode: string, request: IssueRequest): Promise<{ title: string; feePerCopyYen: number; documents: { copy: number; serialNumber: string; pdf: Uint8Array }[] }>;
  /** Municipal staff: the types offered and their fees. */
  configureOffers(staff: StaffPrincipal, offers: { type: CertificateKind; feeYen: number }[], options?: { koseki?: boolean }): Promise<void>;
}

export function createMunicipalServer(deps: { db: Kysely<any>; clock: Clock; registry: RegistryService; documents: DocumentFactory; mayorName(lgCode: string): string; cache: ReferenceDataCache }): MunicipalServer {
  const { db, registry } = deps;
  const principal = (lgCode: string): StaffPrincipal => ({ apiKeyId: 'system:certificate-server', lgCode, staffName: '証明発行サーバ（コンビニ交付）' });
  const read = (lgCode: string, kind: CertificateKind) => ({ staff: principal(lgCode), purpose: `コンビニ交付による${CERTIFICATE_TITLES[kind]}の発行` });

  async function configured(lgCode: string): Promise<{ type: CertificateKind; feeYen: number }[]> {
    const offers = await deps.cache.get(`${OFFERS_KEY}${lgCode}`, async () => {
      const participant = await db.selectFrom('issuance.participants').select('lg_code').where('lg_code', '=', lgCode).executeTakeFirst();
      if (!participant) return null;
      const rows = await db.selectFrom('issuance.offers').selectAll().where('lg_code', '=', lgCode).execute();
      return rows.map((r) => ({ type: r.type as CertificateKind, feeYen: r.fee_yen as number })).sort((a, b) => CERTIFICATE_KINDS.indexOf(a.type) - CERTIFICATE_KINDS.indexOf(b.type));
    });
    if (!offers) throw issuanceError('ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING');
    return offers;
  }

  return {
    // The registry reads and rules behind the menu are the 'rules' stage of the benchmark.
    offers: (lgCode, request) => timedStage('rules', async () => {
      const offered = (await configured(lgCode)).filter((o) => (request.target === 'honseki') === (o.type === 'koseki' || o.type === 'koseki_fuhyo'));
      let person: PersonData | null = null;
      let taxYears: number[] = [];
      let hasSeal = false;
      if (request.target === 'residence') {
        try {
          person = await readPerson(registry, read(lgCode, 'juminhyo'), request.residentCode);
        } catch (error) {
          if (error instanceof RuleRefusal) throw issuanceError('ISSUANCE_RULE_REFUSED', { detail: error.message });
          throw error;
        }
        if (person && offered.some((o) => o.type === 'inkan')) {
          hasSeal = (await registry.listSeals(read(lgCode, 'inkan'), person.resident.id)).some((seal) => seal.status === 'registered');
        }
        if (person && offered.some((o) => o.type === 'tax')) {
          taxYears = (await registry.listTaxRecords(read(lgCode, 'tax'), person.resident.id)).map((t) => t.fiscalYear).sort((a, b) => b - a);
        }
      }
      const members = person ? person.household.filter((m) => m.status !== 'moved_out' && m.status !== 'deceased').map((m) => ({ id: m.id, name: `${m.familyName}　${m.givenName}` })) : [];
      const pendingMoveOut = person?.household.some((m) => m.status === 'moving_out') ?? false;
      return offered.map((o): Offer => {
        let reason: string | undefined;
        if (!reason && pendingMoveOut && (o.type === 'juminhyo' || o.type === 'juminhyo_kisai_jiko')) reason = '転出の届出をされている世帯の住民票はコンビニ交付では発行できません。';
        if (!reason && o.type === 'tax' && taxYears.length === 0) reason = '課税データがありません。';
        if (!reason && o.type === 'inkan' && !hasSeal) reason = '印鑑登録がありません。';
        return {
          type: o.type, title: CERTIFICATE_TITLES[o.type], feeYen: o.feeYen, target: request.target, options: optionSpecs(o.type, { members, taxYears }),
          available: reason === undefined, ...(reason ? { unavailableReason: reason } : {}),
        };
      });
    }),

    async issue(lgCode, request) {
      const rulesStarted = performance.now();
      const offer = (await configured(lgCode)).find((o) => o.type === request.type);
      if (!offer) throw issuanceError('ISSUANCE_TYPE_NOT_OFFERED');
      if (!Number.isInteger(request.copies) || request.copies < 1 || request.copies > 10) throw issuanceError('ISSUANCE_COPIES_INVALID');
      const context = read(lgCode, request.type);
      try {
        let person: PersonData | null = null;
        let taxYears: number[] = [];
        if (request.type !== 'koseki' && request.type !== 'koseki_fuhyo') {
          person = await readPerson(registry, context, request.residentCode);
          if (request.type === 'tax') taxYears = (await registry.listTaxRecords(context, person.resident.id)).map((t) => t.fiscalYear);
        }
        const members = person ? person.household.map((m) => ({ id: m.id, name: m.familyName })) : [];
        let options;
        try {
          options = checkOptions(request.type, request.options, optionSpecs(request.type, { members, taxYears }));
        } catch (error) {
          throw issuanceError('ISSUANCE_OPTIONS_INVALID', { detail: (error as Error).message });
        }
        const content = await certificateContent(registry, context, request.type, person, options,
          request.honseki ? { ...request.honseki, residentCode: request.residentCode } : undefined);
        const municipality = await registry.getMunicipality(lgCode);
        recordStage('rules', performance.now() - rulesStarted);
        const issuedAt = deps.clock.now();
        const documents = [];
        for (let copy = 1; copy <= request.copies; copy++) {
          const serialNumber = serialFor(lgCode, request.orderId, copy);
          const pdf = await deps.documents({
            ...content, serialNumber, issuedAt,
            issuer: { lgCode, prefecture: municipality.prefecture, municipalityName: municipality.name, mayorTitle: `${municipality.name}長`, mayorName: deps.mayorName(lgCode) },
          });
          documents.push({ copy, serialNumber, pdf });
        }
        return { title: content.title, feePerCopyYen: offer.feeYen, documents };
      } catch (error) {
        if (error instanceof RuleRefusal) throw issuanceError('ISSUANCE_RULE_REFUSED', { message: error.message });
        throw error;
      }
    },

    async configureOffers(staff, offers, options = {}) {
      for (const o of offers) {
        if (!CERTIFICATE_KINDS.includes(o.type) || !Number.isInteger(o.feeYen) || o.feeYen < 0 || o.feeYen > 10_000) {
          throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: `証明書の種類は ${CERTIFICATE_KINDS.join(' / ')}、手数料は0〜10,000円の整数です` });
        }
      }
      const repeated = offers.find((o, i) => offers.findIndex((other) => other.type === o.type) !== i);
      if (repeated) throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: `証明書の種類「${CERTIFICATE_TITLES[repeated.type]}」が2回指定されています（種類ごとに1つ）` });
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('issuance.participants').values({ lg_code: staff.lgCode, joined_on: jstDate(deps.clock.now()), koseki: options.koseki ?? false })
          .onConflict((oc) => oc.column('lg_code').doUpdateSet({ koseki: options.koseki ?? false })).execute();
        await tx.deleteFrom('issuance.offers').where('lg_code', '=', staff.lgCode).execute();
        if (offers.length > 0) await tx.insertInto('issuance.offers').values(offers.map((o) => ({ lg_code: staff.lgCode, type: o.type, fee_yen: o.feeYen }))).execute();
      });
      deps.cache.invalidate(`${OFFERS_KEY}${staff.lgCode}`);
      deps.cache.invalidate(`${PARTICIPANT_KEY}${staff.lgCode}`);
    },
  };
}

/** 発行番号: the municipality's code, then 12 characters derived from the order and copy (stable across retries). */
export function serialFor(lgCode: string, orderId: string, copy: number): string {
  const digest = createHash('sha256').update(`${orderId}:${copy}`).digest('hex').toUpperCase();
  return `${lgCode}-${digest.slice(0, 4)}-${digest.slice(4, 8)}-${digest.slice(8, 12)}`;
}
