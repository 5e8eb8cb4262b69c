// Operator operations (migrate, seed, import, audit verify, tenants and keys), the same whether the CLI runs them in-process or through the server.
import type { Readable } from 'node:stream';
import { migrateModules, type ModuleMigrationReport } from '../kernel/db/migrate.ts';
import { verifyAuditChain, type AuditChainReport } from '../kernel/audit/verify-audit-chain.ts';
import type { ImportSummary, Municipality, ProgressListener, SeedSummary } from '../modules/registry/index.ts';
import type { CaGeneration, CertificateRecord, CertificateRef, MonthlyStatement, RevocationReason, VerifierKind, VerifierRecord } from '../modules/jpki/index.ts';
import { registryErrors } from '../modules/registry/index.ts';
import { jpkiErrors } from '../modules/jpki/index.ts';
import { errorFactory } from '../kernel/errors.ts';
import { MODULE_MIGRATIONS, type Platform } from './create-platform.ts';
import type { CertificateVerification, MaintenanceEnding, OperatingChargeLine, ScheduledMaintenance, SettlementLine } from '../modules/issuance/index.ts';
import { certificateRequestFor, inProcessTransport, type CardPins, type CardRecord, type CardTransport, type CardEvent } from '../modules/card/index.ts';

/** What an operator can do to the platform's data. */
export interface PlatformOperations {
  migrate(): Promise<ModuleMigrationReport[]>;
  listMunicipalities(): Promise<(Municipality & { residents: number })[]>;
  registerMunicipality(input: Municipality): Promise<Municipality>;
  createApiKey(lgCode: string, staffName: string): Promise<{ id: string; apiKey: string }>;
  seed(options: { lgCode: string; residents: number; seed?: string; onProgress?: ProgressListener }): Promise<SeedSummary>;
  importCsv(lgCode: string, csv: Readable, options: { onProgress?: ProgressListener; totalHint?: number }): Promise<ImportSummary>;
  verifyAudit(onProgress?: ProgressListener): Promise<AuditChainReport>;
  /** `jpki init`: creates both CAs, or a new generation of both. */
  jpkiInit(options: { newGeneration?: boolean }): Promise<{ created: CaSummary[]; existing: CaSummary[] }>;
  /** `jpki issue`: a certificate for a resident from a public key (SPKI, base64 DER). */
  jpkiIssue(input: { lgCode: string; residentCode: string; kind: 'sign' | 'auth'; spkiBase64: string; cardExpiresOn?: string; replacesId?: string }): Promise<CertificateSummary>;
  /** `jpki revoke` / `--hold` / `--release`. */
  jpkiChangeStatus(input: { ref: CertificateRef; action: 'revoke' | 'hold' | 'release'; reason?: Exclude<RevocationReason, 'certificateHold'>; source: string }): Promise<CertificateSummary>;
  /** `jpki status`: one certificate by serial or id. */
  jpkiStatus(ref: CertificateRef): Promise<CertificateSummary>;
  /** `jpki crl`: the CRL (newest, or freshly generated with `generate`). */
  jpkiCrl(input: { kind: 'sign' | 'auth'; generation?: number; generate?: boolean }): Promise<CrlSummary>;
  /** `jpki verifier add`. */
  jpkiAddVerifier(input: { name: string; kind: VerifierKind; webhookUrl?: string }): Promise<{ verifier: VerifierRecord; credential: string }>;
  jpkiListVerifiers(): Promise<VerifierRecord[]>;
  /** `jpki statement`. */
  jpkiStatement(input: { verifierId: string; month: string }): Promise<MonthlyStatement>;
  /** `card list`: cards, newest first; demo cards come with their initial PINs and holder's name (synthetic people). */
  cardList(input: { lgCode?: string; demo?: boolean; status?: CardRecord['status']; limit?: number }): Promise<CardListEntry[]>;
  /** `card info`: one card and its history. */
  cardInfo(cardId: string): Promise<{ card: CardRecord; history: CardEvent[] }>;
  /** `card suspend` / `card resume` (the 24-hour hotline). */
  cardChangeStatus(input: { cardId: string; action: 'suspend' | 'resume'; reportedBy: string }): Promise<CardRecord>;
  /** A connection to a card's virtual chip (in process, or through the server's virtual card reader). */
  cardTransport(cardId: string): Promise<CardTransport>;
  /** `issuance settlement`: the month's statement lines. */
  issuanceSettlement(input: { month: string; lgCode?: string; operatorId?: string }): Promise<SettlementLine[]>;
  /** `issuance verify`: is this certificate PDF genuine? */
  issuanceVerify(input: { pdfBase64: string }): Promise<CertificateVerification>;
  /** `issuance maintenance add` (or bare `issuance maintenance`): a planned stop (times as ISO 8601). */
  issuanceMaintenance(input: { lgCode: string | null; from: string; until: string; reason: string }): Promise<MaintenanceSummary>;
  /** `issuance maintenance list`: current and upcoming windows (a municipality's with the whole service's, the whole service's only with null, or all). */
  issuanceMaintenanceList(input: { lgCode?: string | null }): Promise<MaintenanceSummary[]>;
  /** `issuance maintenance end`: ends a window now (one not yet started is removed). */
  issuanceMaintenanceEnd(input: { id: string }): Promise<{ outcome: MaintenanceEnding['outcome']; window: MaintenanceSummary }>;
  /** `issuance maintenance remove`. */
  issuanceMaintenanceRemove(input: { id: string }): Promise<MaintenanceSummary>;
  /** `issuance operating-charge`: J-LIS's yearly operating charge per participating municipality. */
  issuanceOperatingCharge(input: { fiscalYear: number }): Promise<OperatingChargeLine[]>;
}

/** A maintenance window as the CLI shows it (times as ISO 8601). */
export type MaintenanceSummary = Omit<ScheduledMaintenance, 'from' | 'until'> & { from: string; until: string };

function toMaintenanceSummary(w: ScheduledMaintenance): MaintenanceSummary {
  return { ...w, from: w.from.toISOString(), until: w.until.toISOString() };
}

/** A card in `card list`; `demo` carries what the demo needs to use it. */
export interface CardListEntry extends CardRecord {
  demoHolder?: { name: string; pins: CardPins };
}

/** A CRL as the CLI shows it. */
export interface CrlSummary {
  kind: string;
  generation: number;
  crlNumber: string;
  thisUpdate: string;
  nextUpdate: string;
  entries: number;
  derBase64: string;
}

/** A certificate as the CLI shows it (DER as base64). */
export interface CertificateSummary {
  id: string;
  kind: string;
  serialHex: string;
  caGeneration: number;
  lgCode: string;
  notBefore: string;
  notAfter: string;
  status: string;
  statusChangedAt: string | null;
  revocationReason: string | null;
  replacesId: string | null;
  derBase64: string;
}

function toCertificateSummary(c: CertificateRecord): CertificateSummary {
  return {
    id: c.id, kind: c.kind, serialHex: c.serialHex, caGeneration: c.caGeneration, lgCode: c.lgCode,
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), status: c.status,
    statusChangedAt: c.statusChangedAt?.toISOString() ?? null, revocationReason: c.revocationReason, replacesId: c.replacesId,
    derBase64: Buffer.from(c.der).toString('base64'),
  };
}

const registryError = errorFactory(registryErrors);
const jpkiError = errorFactory(jpkiErrors);

/** A CA generation as the CLI shows it (the certificate travels as base64 DER). */
export interface CaSummary {
  kind: string;
  generation: number;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  issuing: boolean;
  certificateBase64: string;
}

function toCaSummary(ca: CaGeneration): CaSummary {
  return {
    kind: ca.kind, generation: ca.generation, serialHex: ca.serialHex, notBefore: ca.notBefore.toISOString(),
    notAfter: ca.notAfter.toISOString(), issuing: ca.issuing, certificateBase64: Buffer.from(ca.certificate).toString('base64'),
  };
}

/** The in-process implementation over an open platform. */
export function platformOperations(platform: Platform): PlatformOperations {
  return {
    migrate: () => migrateModules(platform.database.db, MODULE_MIGRATIONS),
    listMunicipalities: () => platform.registry.listMunicipalities(),
    registerMunicipality: (input) => platform.registry.registerMunicipality(input),
    createApiKey: (lgCode, staffName) => platform.registry.createApiKey(lgCode, staffName),
    seed: (options) => platform.registry.seedMunicipality(options),
    importCsv: (lgCode, csv, options) => platform.registry.importResidentsCsv(lgCode, csv, { actor: { system: 'cli' }, ...options }),
    verifyAudit: (onProgress) => verifyAuditChain(platform.database.db, onProgress),
    async jpkiInit(options) {
      const { created, existing } = await platform.jpki.initCertificateAuthorities(options);
      return { created: created.map(toCaSummary), existing: existing.map(toCaSummary) };
    },
    async jpkiIssue(input) {
      if (typeof input?.spkiBase64 !== 'string' || typeof input.residentCode !== 'string' || typeof input.lgCode !== 'string') {
        throw jpkiError('JPKI_REQUEST_INVALID', { detail: 'lgCode, residentCode, spkiBase64 が必要です' });
      }
      // The operator acts for the municipality's counter; the read of the resident is audited as such.
      const ctx = { staff: { apiKeyId: 'ops-cli', lgCode: input.lgCode, staffName: '運用者（CLI）' }, purpose: '電子証明書の発行（公的個人認証）' };
      const municipality = await platform.registry.getMunicipality(input.lgCode);
      const { items } = await platform.registry.findResidents(ctx, { residentCode: input.residentCode, limit: 1 });
      if (!items[0]) throw registryError('REGISTRY_RESIDENT_NOT_FOUND');
      const resident = await platform.registry.getResident(ctx, items[0].id);
      const spki = Uint8Array.from(Buffer.from(input.spkiBase64, 'base64'));
      const request = certificateRequestFor(municipality, resident, input.kind, spki, {
        actor: `${municipality.name}（運用者 CLI）`,
        ...(input.cardExpiresOn ? { cardExpiresOn: input.cardExpiresOn } : {}),
        ...(input.replacesId ? { replacesId: input.replacesId } : {}),
      });
      return toCertificateSummary(await platform.jpki.issueCertificate(request));
    },
    async jpkiChangeStatus({ ref, action, reason, source }) {
      const jpki = platform.jpki;
      const changed = action === 'hold' ? await jpki.holdCertificate(ref, source)
        : action === 'release' ? await jpki.releaseHold(ref, source)
          : await jpki.revokeCertificate(ref, reason ?? ('' as never), source);
      return toCertificateSummary(changed);
    },
    jpkiStatus: async (ref) => toCertificateSummary(await platform.jpki.getCertificate(ref)),
    async jpkiCrl({ kind, generation, generate }) {
      const crl = generate ? await platform.jpki.generateCrl(kind, generation) : await platform.jpki.currentCrl(kind, generation);
      return {
        kind: crl.kind, generation: crl.generation, crlNumber: crl.crlNumber.toString(), thisUpdate: crl.thisUpdate.toISOString(),
        nextUpdate: crl.nextUpdate.toISOString(), entries: crl.entries, derBase64: Buffer.from(crl.der).toString('base64'),
      };
    },
    jpkiAddVerifier: (input) => platform.jpki.registerVerifier(input),
    jpkiListVerifiers: () => platform.jpki.listVerifiers(),
    jpkiStatement: ({ verifierId, month }) => platform.jpki.monthlyStatement(verifierId, month),
    async cardList(input) {
      const cards = await platform.card.listCards(input);
      return Promise.all(cards.map(async (card): Promise<CardListEntry> => {
        if (!card.demo) return card;
        const ctx = { staff: { apiKeyId: 'ops-cli', lgCode: card.lgCode, staffName: '運用者（CLI）' }, purpose: 'デモ用カードの一覧' };
        const { items } = await platform.registry.findResidents(ctx, { residentCode: card.residentCode, limit: 1 });
        const holder = items[0];
        return { ...card, demoHolder: { name: holder ? `${holder.familyName}　${holder.givenName}` : '', pins: await platform.card.demoPins(card.id) } };
      }));
    },
    async cardInfo(cardId) {
      return { card: await platform.card.getCard(cardId), history: await platform.card.cardHistory(cardId) };
    },
    cardChangeStatus({ cardId, action, reportedBy }) {
      const actor = { system: 'J-LIS 一時停止コールセンター（CLI）' };
      return action === 'suspend' ? platform.card.suspend(cardId, { actor, reportedBy }) : platform.card.resume(cardId, { actor, reportedBy });
    },
    cardTransport: async (cardId) => inProcessTransport(await platform.card.openChip(cardId)),
    issuanceSettlement: ({ month, ...filter }) => platform.issuance.settlement(month, filter),
    issuanceMaintenance: async ({ from, until, ...rest }) => toMaintenanceSummary(await platform.issuance.addMaintenanceWindow({ ...rest, from: new Date(from), until: new Date(until) })),
    issuanceMaintenanceList: async (filter) => (await platform.issuance.listMaintenanceWindows(filter)).map(toMaintenanceSummary),
    async issuanceMaintenanceEnd({ id }) {
      const { outcome, window } = await platform.issuance.endMaintenanceWindow(id);
      return { outcome, window: toMaintenanceSummary(window) };
    },
    issuanceMaintenanceRemove: async ({ id }) => toMaintenanceSummary(await platform.issuance.removeMaintenanceWindow(id)),
    issuanceOperatingCharge: ({ fiscalYear }) => platform.issuance.operatingCharges(fiscalYear),
    issuanceVerify: ({ pdfBase64 }) => platform.issuance.verifyDocument(new Uint8Array(Buffer.from(pdfBase64, 'base64'))),
  };
}
